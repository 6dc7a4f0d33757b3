/// Where a body graph sits: the nodes owning it and their body names, outermost first (empty for the model).
public struct SubgraphPath: Sendable, CustomStringConvertible {
    public struct Step: Sendable {
        public let node: String
        public let opType: String
        public let body: String
    }

    public private(set) var steps: [Step] = []

    public init() {}

    /// The path one level deeper: `body` of `node`.
    public func appending(_ node: Node, body: String) -> SubgraphPath {
        var p = self
        p.steps.append(Step(node: node.name, opType: node.op.typeName, body: body))
        return p
    }

    /// `error` (about a node of the body at this path) as an error of the outermost owning node, naming the path.
    public func wrap(_ error: GraphError) -> GraphError {
        steps.reversed().reduce(error) { inner, step in GraphError(node: step.node, "\(step.body): \(inner)") }
    }

    /// `If 'a' then_body > Loop 'b' body`, or `model`.
    public var description: String {
        steps.isEmpty ? "model" : steps.map { "\($0.opType) '\($0.node)' \($0.body)" }.joined(separator: " > ")
    }
}

extension Graph {
    /// Visits this graph, then depth first every body graph of its nodes (each graph before its bodies, nodes in
    /// creation order, bodies in serialization order), with the path to it. Bodies are read after `visit` returns,
    /// so a visit that removes nodes does not walk into their bodies.
    public func walk(_ visit: (Graph, SubgraphPath) throws -> Void) rethrows {
        try walk(at: SubgraphPath(), visit)
    }

    private func walk(at path: SubgraphPath, _ visit: (Graph, SubgraphPath) throws -> Void) rethrows {
        try visit(self, path)
        for node in nodes {
            for (body, name) in zip(node.subgraphs, node.subgraphNames) {
                try body.walk(at: path.appending(node, body: name), visit)
            }
        }
    }

    /// This graph and every graph nested in it, in `walk` order.
    public var allGraphs: [Graph] {
        var out: [Graph] = []
        walk { graph, _ in out.append(graph) }
        return out
    }
}
