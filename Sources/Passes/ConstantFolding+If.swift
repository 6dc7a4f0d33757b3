import OVIR

extension ConstantFolding {
    // If(Const c, x...) -> the body c takes, inlined with its Parameters bound to x...
    /// Replaces an If whose condition is a Const by the nodes of the branch it takes. Each output's value takes
    /// the If's tensor names; the node computing it (when it comes from the body) takes the If's friendly name
    /// (`name.k` for output k of a multi-output If) and lists the If in `fused_names`. The other inlined nodes keep
    /// their body names and rt_info. Returns false (and changes nothing) when the condition is not a Const.
    static func inlineTakenBranch(_ node: Node, in graph: Graph) throws -> Bool {
        guard let op = node.op as? If, let condition = node.inputs[0].constant?.intValues(), condition.count == 1 else { return false }
        let (body, inputs, outputs) = condition[0] != 0 ? (op.thenBody, op.thenInputs, op.thenOutputs)
                                                        : (op.elseBody, op.elseInputs, op.elseOutputs)
        var arguments = [Output?](repeating: nil, count: body.parameters.count)
        for d in inputs { arguments[d.parameter] = node.inputs[d.input] }
        guard let bound = arguments as? [Output] else { return false }  // a Parameter fed by nothing: the If does not verify
        let before = Set(graph.nodes.map(ObjectIdentifier.init))
        let values = try graph.inline(body, arguments: bound)
        var renamed = Set<ObjectIdentifier>()
        for d in outputs.sorted(by: { $0.output < $1.output }) {
            let old = node.output(d.output), new = values[d.result]
            let producer = new.node
            if !before.contains(ObjectIdentifier(producer)), renamed.insert(ObjectIdentifier(producer)).inserted {
                producer.fusedNames = producer.sourceNames + node.sourceNames
                producer.name = outputs.count == 1 ? node.name : "\(node.name).\(d.output)"
            }
            graph.moveTensorNames(from: old, to: new)
            try graph.replaceAllUses(of: old, with: new)
        }
        return true
    }
}
