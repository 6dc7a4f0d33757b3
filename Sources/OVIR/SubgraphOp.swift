/// An op that owns body graphs (If, Loop): each body has its own Parameters and Results, and the op's port
/// descriptions say which outer inputs feed which body Parameters and which body Results become outputs.
///
/// The op is a value, its bodies are `Graph` objects: copies of one op value share its bodies, so a graph never
/// gives one op value to two nodes (`Graph.copy()` and `Graph.inline` copy bodies). The graph keeps each body's
/// Parameter types equal to what the node's inputs dictate (`bodyParameterTypes`), re-inferring the body when an
/// input type changes.
public protocol SubgraphOp: Op {
    /// The XML element names of the bodies, in `bodies` order (`then_body`, `else_body`; `body`).
    static var bodyNames: [String] { get }
    /// The bodies, in serialization order.
    var bodies: [Graph] { get }
    /// The same op with other bodies (same count and order, each with the same Parameters and Results).
    func replacingBodies(_ bodies: [Graph]) -> Self
    /// The types the bodies' Parameters take for these inputs: per body, Parameter index → type (Parameters not
    /// listed keep their own); nil for a body that is not inferred (the branch a constant If condition skips).
    func bodyParameterTypes(_ inputs: [InferenceInput]) throws -> [[Int: TensorType]?]
}

extension SubgraphOp {
    /// Whether two lists of bodies are structurally equal (`Graph.firstDifference`), as `==` of an op compares them.
    public static func sameBodies(_ a: [Graph], _ b: [Graph]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 === $1 || $0.firstDifference(from: $1) == nil }
    }

    /// Requires each `(body, inputs)` pair to feed every body Parameter exactly once from an existing outer input,
    /// and each `(body, outputs)` pair to read existing Results; `name` is the body's name for messages.
    static func checkPorts(_ body: Graph, _ name: String, inputs: [BodyInput], outputs: [BodyOutput], inputCount: Int,
                           firstInput: Int, unfed: Set<Int> = []) throws {
        var fed = Set<Int>()
        for d in inputs {
            guard (firstInput..<max(firstInput, inputCount)).contains(d.input) else {
                throw ShapeInference.Failure("\(name): port map reads input \(d.input), the op has inputs \(firstInput)..<\(inputCount)")
            }
            guard body.parameters.indices.contains(d.parameter) else {
                throw ShapeInference.Failure("\(name): port map feeds Parameter #\(d.parameter), the body has \(body.parameters.count)")
            }
            guard fed.insert(d.parameter).inserted else {
                throw ShapeInference.Failure("\(name): Parameter #\(d.parameter) '\(body.parameters[d.parameter].name)' is fed twice")
            }
            if case .merged(let r) = d.kind, !body.results.indices.contains(r) {
                throw ShapeInference.Failure("\(name): back edge from Result #\(r), the body has \(body.results.count)")
            }
        }
        for (k, p) in body.parameters.enumerated() where !fed.contains(k) && !unfed.contains(k) {
            throw ShapeInference.Failure("\(name): Parameter #\(k) '\(p.name)' is fed by no input")
        }
        for d in outputs where !body.results.indices.contains(d.result) {
            throw ShapeInference.Failure("\(name): output \(d.output) reads Result #\(d.result), the body has \(body.results.count)")
        }
    }

    /// Requires the outputs' indices to be 0..<n, each once; returns n.
    static func checkOutputIndices(_ outputs: [BodyOutput], _ name: String) throws -> Int {
        let indices = outputs.map(\.output).sorted()
        guard indices == Array(0..<outputs.count) else {
            throw ShapeInference.Failure("\(name): port map outputs \(indices) are not 0..<\(outputs.count), each once")
        }
        return outputs.count
    }
}

extension Node {
    /// The body graphs of the node's op, in serialization order; empty for ops without bodies. Every walk into
    /// bodies (`Graph.walk`, copy, equality, the IR writer, the evaluator) goes through this.
    public var subgraphs: [Graph] { (op as? any SubgraphOp)?.bodies ?? [] }

    /// The XML names of `subgraphs` (`then_body`, `else_body`; `body`).
    public var subgraphNames: [String] {
        guard let op = op as? any SubgraphOp else { return [] }
        return type(of: op).bodyNames
    }
}
