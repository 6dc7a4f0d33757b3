import OVIR

/// The ONNX names visible while one graph is translated: the IR graph its nodes go into, the values it defines,
/// and for a subgraph (an If branch, a Loop or Scan body) the enclosing scope, whose tensors it reads through
/// Parameters of its own (`captured`), as OpenVINO bodies read outer values.
final class ONNXScope {
    let graph: Graph
    let parent: ONNXScope?
    private var values: [String: Output] = [:]
    /// Outer tensors the subgraph reads, each with the body Parameter that stands for it, in order of first use.
    private(set) var captured: [(outer: Output, parameter: Node)] = []
    private let uniqueName: (String) -> String

    init(graph: Graph, parent: ONNXScope?, uniqueName: @escaping (String) -> String) {
        self.graph = graph
        self.parent = parent
        self.uniqueName = uniqueName
    }

    /// Whether this is the model's main graph rather than a subgraph.
    var isTopLevel: Bool { parent == nil }

    /// How many subgraphs enclose this one.
    var depth: Int { parent.map { $0.depth + 1 } ?? 0 }

    /// The value named `name` here or in an enclosing scope (an outer tensor is captured); nil when undefined.
    func lookup(_ name: String) throws -> Output? {
        if let v = values[name] { return v }
        guard let parent, let outer = try parent.lookup(name) else { return nil }
        let v: Output
        if let c = outer.constant {
            v = try graph.constant(c, name: uniqueName("\(name)/body"))
        } else {
            let p = try graph.addParameter(uniqueName(name), outer.type)
            captured.append((outer, p))
            v = p.output()
        }
        values[name] = v
        return v
    }

    func isDefinedHere(_ name: String) -> Bool { values[name] != nil }

    /// Whether `name` is defined here or in an enclosing scope (without capturing it).
    func isVisible(_ name: String) -> Bool { values[name] != nil || parent?.isVisible(name) == true }

    func define(_ name: String, _ value: Output) { values[name] = value }

    /// Which outer input feeds each captured Parameter, given where the op's inputs already are: a new input
    /// is appended to `inputs` unless `share` and the value is there already. Returns (input, parameter) pairs.
    func capturedPorts(_ inputs: inout [Output], share: Bool) -> [(input: Int, parameter: Int)] {
        captured.map { c in
            let parameter = graph.parameters.firstIndex { $0 === c.parameter }!
            if share, let k = inputs.firstIndex(of: c.outer) { return (k, parameter) }
            inputs.append(c.outer)
            return (inputs.count - 1, parameter)
        }
    }
}
