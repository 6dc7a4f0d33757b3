extension Graph {
    /// A graph with new nodes and the same structure: ops (Const tensors shared, not copied), friendly names,
    /// tensor names, rt_info, and parameter and result order. Nodes no Result reaches are left out (Parameters
    /// are kept). Rewriting the copy leaves this graph as it was.
    public func copy() throws -> Graph {
        let copy = Graph(name: name)
        copy.rtInfo = rtInfo
        var counterpart: [ObjectIdentifier: Node] = [:]
        func add(_ node: Node) throws {
            let inputs = node.inputs.map { Output(counterpart[ObjectIdentifier($0.node)]!, $0.index) }
            let new = try copy.add(node.op, inputs, name: node.name)
            new.tensorNames = node.tensorNames
            new.rtInfo = node.rtInfo
            counterpart[ObjectIdentifier(node)] = new
        }
        // Parameters come first in topological order, each after its inputs; Results are added last, in order.
        for node in topologicalOrder() where !(node.op is ResultOp) { try add(node) }
        for node in results { try add(node) }
        return copy
    }
}
