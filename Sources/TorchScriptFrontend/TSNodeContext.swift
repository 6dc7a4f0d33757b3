import OVIR

/// What a translator sees of one dump node: its inputs as values, its annotations, and a way to add IR nodes
/// named after it.
public struct TSNodeContext {
    let session: TSImportSession
    public let node: TSNode
    /// The friendly name of the node's main IR node; helper nodes get `name/suffix`.
    public let name: String

    init(session: TSImportSession, node: TSNode, name: String) {
        self.session = session
        self.node = node
        self.name = name
    }

    public var kind: String { node.kind }
    public var inputCount: Int { node.inputs.count }
    public var graph: Graph { session.graph }

    // MARK: Inputs

    /// Input `i` as a value.
    public func value(_ i: Int) throws -> TSValue {
        guard i < node.inputs.count else { throw error("input \(i) is required (the node has \(node.inputs.count))") }
        guard let v = try session.scope.lookup(node.inputs[i]) else { throw error("input %\(node.inputs[i]) is not defined before use") }
        return v
    }

    /// Whether input `i` is absent or None.
    public func isNone(_ i: Int) throws -> Bool {
        guard i < node.inputs.count else { return true }
        if case .none = try value(i) { return true }
        return false
    }

    /// Input `i` as a tensor; Python numbers become 0-D Consts (int → i64, float → f32, bool → boolean).
    public func tensor(_ i: Int) throws -> Output {
        try tensor(value(i), "input \(i)")
    }

    /// Input `i` as a tensor, or nil when it is absent or None.
    public func optionalTensor(_ i: Int) throws -> Output? {
        try isNone(i) ? nil : tensor(i)
    }

    func tensor(_ v: TSValue, _ what: String) throws -> Output {
        switch v {
        case .tensor(let o): return o
        case .int(let n): return try constant(.scalar(i64: n), "const")
        case .float(let f): return try constant(.scalar(f32: Float(f)), "const")
        case .bool(let b): return try constant(.boolean([b], dims: []), "const")
        default: throw error("\(what) must be a tensor, got \(v)")
        }
    }

    /// Input `i` as an int known at conversion time (a bool counts as 0/1; a tensor whose value type
    /// inference knows exactly counts too).
    public func int(_ i: Int) throws -> Int {
        guard let n = try staticInt(value(i)) else { throw error("input \(i) must be an int known at conversion time, got \(try value(i))") }
        return n
    }

    /// Input `i` as an int, or nil when it is absent or None.
    public func optionalInt(_ i: Int) throws -> Int? {
        try isNone(i) ? nil : int(i)
    }

    func staticInt(_ v: TSValue) -> Int? {
        switch v {
        case .int(let n): return n
        case .bool(let b): return b ? 1 : 0
        case .tensor(let o):
            guard o.elementType.isInteger || o.elementType == .boolean, let value = o.value, value.count == 1 else { return nil }
            return value[0].value
        default: return nil
        }
    }

    /// Input `i` as a list of ints known at conversion time (a single int reads as a one-element list).
    public func ints(_ i: Int) throws -> [Int] {
        let v = try value(i)
        if case .list(let items) = v {
            return try items.map { item in
                guard let n = staticInt(item) else { throw error("input \(i) must be a list of ints known at conversion time, got an element \(item)") }
                return n
            }
        }
        if let n = staticInt(v) { return [n] }
        throw error("input \(i) must be a list of ints, got \(v)")
    }

    /// Input `i` as a number known at conversion time.
    public func double(_ i: Int) throws -> Double {
        switch try value(i) {
        case .float(let f): return f
        case .int(let n): return Double(n)
        case .bool(let b): return b ? 1 : 0
        case .tensor(let o):
            if let t = o.constant, t.elementCount == 1, let d = t.doubleValues()?.first { return d }
            if let n = staticInt(.tensor(o)) { return Double(n) }
            throw error("input \(i) must be a number known at conversion time")
        case let v: throw error("input \(i) must be a number, got \(v)")
        }
    }

    /// Input `i` as a number, or nil when it is absent or None.
    public func optionalDouble(_ i: Int) throws -> Double? {
        try isNone(i) ? nil : double(i)
    }

    public func bool(_ i: Int) throws -> Bool {
        switch try value(i) {
        case .bool(let b): return b
        case .int(let n): return n != 0
        case let v:
            if let n = staticInt(v) { return n != 0 }
            throw error("input \(i) must be a bool known at conversion time, got \(v)")
        }
    }

    public func string(_ i: Int) throws -> String {
        guard case .string(let s) = try value(i) else { throw error("input \(i) must be a string, got \(try value(i))") }
        return s
    }

    /// Input `i` as a list of tensors (`prim::ListConstruct` of tensors, or a list a node produced).
    public func tensors(_ i: Int) throws -> [Output] {
        guard case .list(let items) = try value(i) else { throw error("input \(i) must be a list of tensors, got \(try value(i))") }
        return try items.enumerated().map { try tensor($1, "element \($0) of input \(i)") }
    }

    /// Input `i`, a list of ints some of which may be known only at run time, as a 1-D i64 tensor.
    public func shapeTensor(_ i: Int) throws -> Output {
        let v = try value(i)
        if case .tensor(let o) = v, o.shape.rank == 1 { return try convert(o, to: .i64) }
        guard case .list(let items) = v else {
            // A single int, known or a 0-D tensor, reads as a one-element list.
            if case .tensor = v { return try shapeTensor(of: [v]) }
            if staticInt(v) != nil { return try shapeTensor(of: [v]) }
            throw error("input \(i) must be a list of ints, got \(v)")
        }
        return try shapeTensor(of: items)
    }

    func shapeTensor(of items: [TSValue]) throws -> Output {
        let known = items.map(staticInt)
        if known.allSatisfy({ $0 != nil }) { return try i64(known.map { $0! }, "shape") }
        let parts = try items.enumerated().map { k, item -> Output in
            if let n = known[k] { return try i64([n], "dim\(k)") }
            let t = try convert(tensor(item, "element \(k)"), to: .i64)
            return try add(Reshape(specialZero: false), [t, i64([1], "one")], "dim\(k)")
        }
        return try add(Concat(axis: 0), parts, "shape")
    }

    /// A scalar (0-D) tensor of element type `type` for a number input (a Const when it is known).
    public func scalar(_ i: Int, as type: ElementType) throws -> Output {
        try convert(tensor(i), to: type)
    }

    // MARK: Annotations

    /// The annotated type of output `i`.
    public func outputType(_ i: Int = 0) -> TSType? { i < node.outputs.count ? node.outputs[i].type : nil }

    /// The element type output `i`'s annotation gives (`Float(...)` → f32), if it gives one.
    public func annotatedElementType(_ i: Int = 0) -> ElementType? {
        guard case .tensor(let t)? = outputType(i), let s = t.scalarType else { return nil }
        return TSScalarType.elementType(name: s)
    }

    // MARK: Building

    /// Adds an IR node; without `suffix` it takes the node's own name. Returns its first output.
    @discardableResult
    public func add(_ op: any Op, _ inputs: [Output], _ suffix: String? = nil) throws -> Output {
        try addNode(op, inputs, suffix).output(0)
    }

    /// Adds an IR node and returns it (for ops with several outputs).
    public func addNode(_ op: any Op, _ inputs: [Output], _ suffix: String? = nil) throws -> Node {
        let base = suffix.map { "\(name)/\($0)" } ?? name
        return try graph.add(op, inputs, name: session.uniqueName(base))
    }

    public func constant(_ tensor: Tensor, _ suffix: String) throws -> Output {
        try add(Constant(tensor), [], suffix)
    }

    /// A 1-D i64 Const.
    public func i64(_ values: [Int], _ suffix: String) throws -> Output {
        try constant(.i64(values), suffix)
    }

    /// `x` converted to `type` (itself when it already is).
    public func convert(_ x: Output, to type: ElementType, _ suffix: String = "convert") throws -> Output {
        x.elementType == type ? x : try add(Convert(type), [x], suffix)
    }

    /// A scalar Const of `value` in `type` (an f32 or i64 Const, converted when `type` differs).
    public func scalarConstant(_ value: Double, _ type: ElementType, _ suffix: String) throws -> Output {
        let c = type.isFloatingPoint ? try constant(.scalar(f32: Float(value)), suffix) : try constant(.scalar(i64: Int(value)), suffix)
        return try convert(c, to: type, "\(suffix)Cast")
    }

    /// Records that this node converted but may not match PyTorch exactly.
    public func warn(_ message: String) {
        session.warnings.append("\(session.dumpPath):\(node.line): \(describe): \(message)")
    }

    /// An error naming this node and its line.
    public func error(_ message: String) -> TorchScriptFrontendError {
        TorchScriptFrontendError(.badNode, "\(session.dumpPath):\(node.line): \(describe): \(message)")
    }

    var describe: String {
        let outs = node.outputs.map { "%" + $0.name }.joined(separator: ", ")
        let scope = node.modulePath.map { " in module '\($0)'" } ?? ""
        return "while converting \(outs.isEmpty ? "" : outs + " = ")\(node.kind)\(scope)"
    }

    /// The rank of `x`, which must be known.
    func rank(_ x: Output, _ what: String = "input") throws -> Int {
        guard let r = x.shape.rank else { throw error("\(what) rank must be known") }
        return r
    }

    /// `axis` resolved against `rank` (negative counts from the end).
    func axis(_ axis: Int, rank: Int) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < max(rank, 1) else { throw error("dim \(axis) is out of range for rank \(rank)") }
        return a
    }
}
