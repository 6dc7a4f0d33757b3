import OVIR

/// Translates one dump node; returns one value per node output, in order.
public typealias TSTranslate = (TSNodeContext) throws -> [TSValue]

/// One row of the translator table: a node kind (`aten::relu`) and its translation.
public struct TSTranslatorEntry {
    public let kind: String
    public let translate: TSTranslate

    public init(_ kind: String, _ translate: @escaping TSTranslate) {
        self.kind = kind
        self.translate = translate
    }

    /// `kind(x)` → `O()(x)`, the first input only (the rest are defaults such as `inplace`).
    public static func unary<O: Op>(_ kind: String, _ type: O.Type) -> TSTranslatorEntry {
        TSTranslatorEntry(kind) { ctx in [.tensor(try ctx.add(O(), [ctx.tensor(0)]))] }
    }

    /// `kind(x, ...)` → x: ops that change nothing at inference (`detach`, `contiguous`, `dropout`).
    public static func identity(_ kind: String) -> TSTranslatorEntry {
        TSTranslatorEntry(kind) { ctx in [try ctx.value(0)] }
    }
}

/// All translators, looked up by node kind. An in-place kind (`aten::relu_`) without its own entry takes the
/// functional one's (`aten::relu`): dumps read the in-place op's output, so the two are the same at inference.
public struct TSTranslatorTable {
    private var byKind: [String: TSTranslate] = [:]

    public init(_ entries: [TSTranslatorEntry]) {
        for e in entries { byKind[e.kind] = e.translate }
    }

    public func lookup(_ kind: String) -> TSTranslate? {
        if let t = byKind[kind] { return t }
        if kind.hasSuffix("_"), !kind.hasSuffix("__") { return byKind[String(kind.dropLast())] }
        return nil
    }

    /// Every translator ovconvert has.
    public static let standard = TSTranslatorTable(prim + conv + activation + elementwise + pooling + shape + creation
                                                   + reduction + normalization + attention + controlFlow)
}
