extension Graph {
    /// A graph with new nodes and the same structure: ops (Const tensors shared, not copied), friendly names,
    /// tensor names, rt_info, and parameter and result order. Nodes no Result reaches are left out (Parameters
    /// are kept). Body graphs (`Node.subgraphs`) are copied the same way, so rewriting the copy, its bodies
    /// included, leaves this graph as it was.
    public func copy() throws -> Graph {
        try copyWithCounterparts().graph
    }

    /// `copy()`, and each copied node of this graph (by `ObjectIdentifier`) with its counterpart in the copy, for
    /// callers holding ports of this graph that must find them in the copy.
    public func copyWithCounterparts() throws -> (graph: Graph, counterparts: [ObjectIdentifier: Node]) {
        let copy = Graph(name: name)
        copy.rtInfo = rtInfo
        var counterpart: [ObjectIdentifier: Node] = [:]
        func add(_ node: Node) throws {
            let inputs = node.inputs.map { Output(counterpart[ObjectIdentifier($0.node)]!, $0.index) }
            var op = node.op
            if let owner = op as? any SubgraphOp {
                op = owner.replacingBodies(try node.subgraphs.map { try $0.copy() })
            }
            let new = try copy.add(op, inputs, name: node.name)
            new.tensorNames = node.tensorNames
            new.rtInfo = node.rtInfo
            counterpart[ObjectIdentifier(node)] = new
        }
        // Parameters come first in topological order, each after its inputs; Results are added last, in order.
        for node in topologicalOrder() where !(node.op is ResultOp) { try add(node) }
        for node in results { try add(node) }
        return (copy, counterpart)
    }
}
