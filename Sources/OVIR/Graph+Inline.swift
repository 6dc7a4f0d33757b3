extension Graph {
    /// Copies `body`'s nodes into this graph with its Parameters replaced by `arguments` (one per Parameter, in
    /// order) and returns the values its Results read, in result order (an argument itself when a Result reads a
    /// Parameter). The copies keep their friendly names and rt_info but not their tensor names (the caller moves
    /// the names of what it replaces onto the returned values); bodies of copied If/Loop nodes are copied too.
    /// Only the nodes the Results reach are copied.
    public func inline(_ body: Graph, arguments: [Output]) throws -> [Output] {
        guard arguments.count == body.parameters.count else {
            throw GraphError(node: name, "inlining a body of \(body.parameters.count) Parameters with \(arguments.count) arguments")
        }
        var counterpart: [ObjectIdentifier: Node] = [:]
        var values: [ObjectIdentifier: Output] = [:]
        for (parameter, argument) in zip(body.parameters, arguments) { values[ObjectIdentifier(parameter)] = argument }
        func value(_ output: Output) -> Output {
            values[ObjectIdentifier(output.node)] ?? Output(counterpart[ObjectIdentifier(output.node)]!, output.index)
        }
        for node in body.topologicalOrder() where !(node.op is Parameter || node.op is ResultOp) {
            var op = node.op
            if let owner = op as? any SubgraphOp { op = owner.replacingBodies(try node.subgraphs.map { try $0.copy() }) }
            let copy = try add(op, node.inputs.map(value), name: node.name)
            copy.rtInfo = node.rtInfo
            counterpart[ObjectIdentifier(node)] = copy
        }
        return body.results.map { value($0.inputs[0]) }
    }
}
