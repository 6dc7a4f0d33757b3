import OVIR

/// What a rule's callback sees: the matched root, the captured values, and a builder for the replacement
/// (nodes added through it are named after the root and removed again when the driver declines them).
public final class Match {
    public let graph: Graph
    /// The node the pattern's top matched; its output 0 is what the replacement replaces.
    public let root: Node
    /// The op nodes the pattern matched, root first (Consts not included).
    public let nodes: [Node]
    let captures: [String: Output]
    /// Nodes the callback added, in order.
    private(set) var created: [Node] = []

    init(graph: Graph, root: Node, state: MatchState) {
        self.graph = graph
        self.root = root
        self.nodes = state.nodes
        self.captures = state.captures
    }

    /// The value captured under `name` (a rule asking for a name its pattern does not capture is a bug).
    public subscript(_ name: String) -> Output {
        guard let value = captures[name] else { preconditionFailure("the pattern captures no '\(name)'") }
        return value
    }

    /// The value of the Const captured under `name`.
    public func constant(_ name: String) -> Tensor {
        guard let tensor = self[name].constant else { preconditionFailure("'\(name)' is not a Const") }
        return tensor
    }

    /// Adds `op` reading `inputs`, named `<root>/<op type>`; returns its output 0.
    public func add(_ op: any Op, _ inputs: Output...) throws -> Output {
        let suffix = created.isEmpty ? "" : "_\(created.count)"
        let node = try graph.add(op, inputs, name: "\(root.name)/\(op.typeName)\(suffix)")
        created.append(node)
        return node.output()
    }

    /// Adds a Const holding `tensor`.
    public func constant(_ tensor: Tensor) throws -> Output {
        try add(Constant(tensor))
    }

    /// Removes the nodes the callback added (newest first), when the driver does not use them.
    func discardCreated() throws {
        for node in created.reversed() where !node.hasUses { try graph.erase(node) }
        created = []
    }
}
