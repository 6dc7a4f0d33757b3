import OVIR

/// The values visible while one graph or block body is translated: the IR graph its nodes go into, the values it
/// defines, and for a body (of an If or Loop) the enclosing scope, whose tensors it reads through Parameters of
/// its own (`captured`), as OpenVINO bodies read outer values.
final class TSScope {
    let graph: Graph
    let parent: TSScope?
    private var values: [String: TSValue] = [:]
    /// Outer tensors a body reads, each with the body Parameter that stands for it, in order of first use.
    private(set) var captured: [(outer: Output, parameter: Node)] = []
    private let uniqueName: (String) -> String

    init(graph: Graph, parent: TSScope?, uniqueName: @escaping (String) -> String) {
        self.graph = graph
        self.parent = parent
        self.uniqueName = uniqueName
    }

    /// Whether this is the graph itself rather than a body.
    var isTopLevel: Bool { parent == nil }

    /// The value named `name` here or in an enclosing scope (whose tensors are captured); nil when undefined.
    func lookup(_ name: String) throws -> TSValue? {
        if let v = values[name] { return v }
        guard let parent, let outer = try parent.lookup(name) else { return nil }
        let v = try capture(outer, name)
        values[name] = v
        return v
    }

    func isDefinedHere(_ name: String) -> Bool { values[name] != nil }

    func define(_ name: String, _ value: TSValue) { values[name] = value }

    /// An outer value as this body sees it: constants are copied in, other tensors become Parameters.
    private func capture(_ v: TSValue, _ name: String) throws -> TSValue {
        switch v {
        case .tensor(let o):
            if let known = captured.first(where: { $0.outer == o }) { return .tensor(known.parameter.output()) }
            if let c = o.constant { return .tensor(try graph.constant(c, name: uniqueName("\(name)/body"))) }
            let p = try graph.addParameter(uniqueName(name), o.type)
            captured.append((o, p))
            return .tensor(p.output())
        case .list(let xs): return .list(try xs.map { try capture($0, name) })
        case .tuple(let xs): return .tuple(try xs.map { try capture($0, name) })
        default: return v
        }
    }
}
