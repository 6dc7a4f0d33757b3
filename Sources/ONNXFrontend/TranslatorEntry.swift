import OVIR

/// Translates one ONNX node into IR nodes; returns one output per ONNX output it produces, in order.
public typealias Translate = (NodeContext) throws -> [Output]

/// One row of a translator table: an ONNX op from `since` (an opset version) on.
public struct TranslatorEntry {
    public let domain: String
    public let op: String
    public let since: Int
    public let translate: Translate

    public init(_ op: String, domain: String = "ai.onnx", since: Int = 1, _ translate: @escaping Translate) {
        self.domain = domain
        self.op = op
        self.since = since
        self.translate = translate
    }

    /// `op(x)` → `O()(x)`.
    public static func unary<O: Op>(_ op: String, since: Int = 1, _ type: O.Type) -> TranslatorEntry {
        TranslatorEntry(op, since: since) { ctx in [try ctx.add(O(), [ctx.input(0)])] }
    }

    /// `op(a, b)` → `make()(a, b)` (OpenVINO's binary ops broadcast like numpy by default). With
    /// `legacyBroadcast`, the op's `broadcast`/`axis` attributes before opset 7 are honoured.
    public static func binary<O: Op>(_ op: String, since: Int = 1, legacyBroadcast: Bool = false,
                                     _ make: @escaping () -> O) -> TranslatorEntry {
        TranslatorEntry(op, since: since) { ctx in
            let a = try ctx.input(0), b = try ctx.input(1)
            return [try ctx.add(make(), [a, legacyBroadcast ? ctx.legacyBroadcast(a, b) : b])]
        }
    }
}

/// All translators, looked up by domain, op and the model's opset for that domain.
public struct TranslatorTable {
    private var byOp: [String: [TranslatorEntry]] = [:]

    public init(_ entries: [TranslatorEntry]) {
        for e in entries { byOp["\(e.domain)::\(e.op)", default: []].append(e) }
        for k in byOp.keys { byOp[k]!.sort { $0.since > $1.since } }
    }

    /// The entry with the highest `since` not above `opset`.
    public func lookup(domain: String, op: String, opset: Int) -> TranslatorEntry? {
        byOp["\(domain)::\(op)"]?.first { $0.since <= opset }
    }
}
