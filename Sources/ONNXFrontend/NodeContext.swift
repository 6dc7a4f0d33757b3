import OVIR

/// What a translator sees of one ONNX node: its inputs as IR outputs, its attributes, and a way to
/// add IR nodes named after it.
public struct NodeContext {
    let session: ImportSession
    let proto: Onnx_NodeProto
    let path: [Int]
    /// The opset version of the node's domain.
    public let opset: Int
    /// The friendly name of the node's main IR node; helper nodes get `name/suffix`.
    public let name: String

    init(session: ImportSession, proto: Onnx_NodeProto, path: [Int], opset: Int, name: String) {
        self.session = session
        self.proto = proto
        self.path = path
        self.opset = opset
        self.name = name
    }

    public var opType: String { proto.opType }
    public var inputCount: Int { proto.input.count }
    public var outputCount: Int { proto.output.count }
    public var graph: Graph { session.graph }

    /// Whether ONNX output `i` is requested (present and non-empty).
    public func hasOutput(_ i: Int) -> Bool { i < proto.output.count && !proto.output[i].isEmpty }

    // MARK: Inputs

    /// Input `i`, which must be present.
    public func input(_ i: Int) throws -> Output {
        guard let v = try optionalInput(i) else { throw error("input \(i) is required") }
        return v
    }

    /// Input `i`, or nil when it is absent or empty (an omitted optional input).
    public func optionalInput(_ i: Int) throws -> Output? {
        guard i < proto.input.count, !proto.input[i].isEmpty else { return nil }
        guard let v = try session.lookup(proto.input[i]) else { throw error("input '\(proto.input[i])' is not defined") }
        return v
    }

    /// All present inputs (variadic ops: Concat, Sum, Max...).
    public func inputs() throws -> [Output] {
        try (0..<inputCount).compactMap { try optionalInput($0) }
    }

    // MARK: Attributes

    /// The attribute `name` when it holds a value of `type` (files that leave the type unset are trusted);
    /// an attribute of another type reads as absent, so it never silently becomes 0 or [].
    func attribute(_ name: String, _ type: Onnx_AttributeProto.AttributeType) -> Onnx_AttributeProto? {
        guard let a = proto.attribute.first(where: { $0.name == name }) else { return nil }
        return a.type == type || a.type == .undefined ? a : nil
    }

    public func int(_ name: String) -> Int? { attribute(name, .int).map { Int($0.i) } }
    public func int(_ name: String, _ fallback: Int) -> Int { int(name) ?? fallback }
    public func ints(_ name: String) -> [Int]? { attribute(name, .ints).map { $0.ints.map(Int.init) } }
    public func float(_ name: String) -> Float? { attribute(name, .float).map(\.f) }
    public func float(_ name: String, _ fallback: Float) -> Float { float(name) ?? fallback }
    public func floats(_ name: String) -> [Float]? { attribute(name, .floats).map(\.floats) }
    public func string(_ name: String) -> String? { attribute(name, .string).map { String(decoding: $0.s, as: UTF8.self) } }
    public func string(_ name: String, _ fallback: String) -> String { string(name) ?? fallback }
    public func strings(_ name: String) -> [String]? {
        attribute(name, .strings).map { $0.strings.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A graph attribute (an If branch, a Loop or Scan body) and its protobuf path (where its tensors' raw data is).
    func subgraph(_ attributeName: String) throws -> (proto: Onnx_GraphProto, path: [Int]) {
        guard let index = proto.attribute.firstIndex(where: { $0.name == attributeName }) else {
            throw error("attribute '\(attributeName)' (a graph) is required")
        }
        let a = proto.attribute[index]
        guard a.hasG, a.type == .graph || a.type == .undefined else { throw error("attribute '\(attributeName)' is not a graph") }
        return (a.g, path + [5, index, 6, 0])
    }

    /// A tensor attribute (`value` of Constant, `value` of ConstantOfShape, ...).
    public func tensor(_ attributeName: String) throws -> Tensor? {
        guard let index = proto.attribute.firstIndex(where: { $0.name == attributeName }) else { return nil }
        let a = proto.attribute[index]
        guard a.hasT else { throw error("attribute '\(attributeName)' is not a tensor") }
        return try session.decoder.tensor(a.t, path: path + [5, index, 5, 0], what: "node '\(name)' attribute '\(attributeName)'")
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

    /// Adds a Const.
    public func constant(_ tensor: Tensor, _ suffix: String) throws -> Output {
        try add(Constant(tensor), [], suffix)
    }

    /// A 1-D i64 Const (shapes, axes, pads).
    public func i64(_ values: [Int], _ suffix: String) throws -> Output {
        try constant(.i64(values), suffix)
    }

    /// A scalar i64 Const.
    public func scalarI64(_ value: Int, _ suffix: String) throws -> Output {
        try constant(.scalar(i64: value), suffix)
    }

    /// Records that this node converted but may not match ONNX exactly (printed as a warning).
    public func warn(_ message: String) {
        session.warnings.append("\(session.modelPath): \(describe): \(message)")
    }

    /// An error naming this node.
    public func error(_ message: String) -> ONNXFrontendError {
        ONNXFrontendError(.badNode, "\(session.modelPath): \(describe): \(message)")
    }

    var describe: String {
        let out = proto.output.first.map { ", output '\($0)'" } ?? ""
        return "while converting ONNX node '\(proto.name.isEmpty ? name : proto.name)' (\(proto.opType)\(out))"
    }
}
