extension Graph {
    /// Checks that edges, use-lists and types are consistent, here and in every body graph (whose Parameters
    /// must have the types their owner's inputs dictate); throws naming the first bad node (a body's node through
    /// the nodes owning it).
    public func verify() throws {
        try walk { graph, path in
            do { try graph.verifyOwnNodes() } catch let e as GraphError { throw path.wrap(e) }
        }
    }

    /// `verify()` of this graph's nodes, not descending into bodies.
    private func verifyOwnNodes() throws {
        for node in nodes {
            for (k, input) in node.inputs.enumerated() {
                guard contains(input.node) else { throw GraphError(node: node.name, "input \(k) comes from a removed node '\(input.node.name)'") }
                guard input.index < input.node.outputCount else {
                    throw GraphError(node: node.name, "input \(k) reads output \(input.index) of '\(input.node.name)', which has \(input.node.outputCount)")
                }
                guard input.node.uses[input.index].contains(Use(node: node, inputIndex: k)) else {
                    throw GraphError(node: node.name, "input \(k) is missing from the use-list of '\(input.node.name)'")
                }
            }
            for (i, uses) in node.uses.enumerated() {
                for use in uses where !contains(use.node) || use.node.inputs[use.inputIndex] != Output(node, i) {
                    throw GraphError(node: node.name, "stale use by '\(use.node.name)'")
                }
            }
            let expected = try Graph.infer(node.op, node.inputs, name: node.name)
            guard expected.count == node.outputCount else {
                throw GraphError(node: node.name, "has \(node.outputCount) outputs, its op infers \(expected.count)")
            }
            for (i, (have, want)) in zip(node.outputTypes, expected).enumerated() where have != want {
                throw GraphError(node: node.name, "output \(i) is typed \(have) but infers \(want)")
            }
            if let stale = try Graph.staleBodyParameters(of: node) { throw GraphError(node: node.name, stale) }
            let value = Graph.inferValue(node.op, node.inputs)
            guard value == node.value else {
                throw GraphError(node: node.name, "output 0 holds the known value \(node.value.map(\.description) ?? "nil") but infers \(value.map(\.description) ?? "nil")")
            }
        }
        let order = topologicalOrder()
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { (ObjectIdentifier($1), $0) })
        for node in order {
            for input in node.inputs {
                guard let p = position[ObjectIdentifier(input.node)], p < position[ObjectIdentifier(node)]! else {
                    throw GraphError(node: node.name, "is part of a cycle")
                }
            }
        }
    }
}
