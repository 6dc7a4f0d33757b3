extension Graph {
    /// The first structural difference from `other`, or nil when both graphs serialize alike: name,
    /// model rt_info, parameter/result order and, node by node in topological order, op (type, version,
    /// attributes, Const bytes, body graphs compared the same way), inputs, friendly name, tensor names, output
    /// types and rt_info.
    public func firstDifference(from other: Graph) -> String? {
        if name != other.name { return "graph name '\(name)' vs '\(other.name)'" }
        if rtInfo != other.rtInfo { return "model rt_info \(rtInfo) vs \(other.rtInfo)" }
        let mine = topologicalOrder(), theirs = other.topologicalOrder()
        if mine.count != theirs.count { return "\(mine.count) vs \(theirs.count) reachable nodes" }
        let myPosition = Self.positions(mine), theirPosition = Self.positions(theirs)
        let myParameters = parameters.map { myPosition[$0.id] }, theirParameters = other.parameters.map { theirPosition[$0.id] }
        if myParameters != theirParameters { return "parameters at positions \(myParameters) vs \(theirParameters)" }
        let myResults = results.map { myPosition[$0.id] }, theirResults = other.results.map { theirPosition[$0.id] }
        if myResults != theirResults { return "results at positions \(myResults) vs \(theirResults)" }

        for (k, (a, b)) in zip(mine, theirs).enumerated() {
            let at = "node #\(k) '\(a.name)' (\(a.op.typeName))"
            if a.name != b.name { return "\(at): name vs '\(b.name)'" }
            if a.op.typeName != b.op.typeName || a.op.opsetName != b.op.opsetName {
                return "\(at): op \(a.op.typeName)-\(a.op.opsetName) vs \(b.op.typeName)-\(b.op.opsetName)"
            }
            for (name, (x, y)) in zip(a.subgraphNames, zip(a.subgraphs, b.subgraphs)) where x !== y {
                if let d = x.firstDifference(from: y) { return "\(at): \(name): \(d)" }
            }
            if !a.op.isEqual(to: b.op), let x = a.op as? any SubgraphOp {
                return "\(at): port maps \(x) vs \(b.op)"
            }
            if !a.op.isEqual(to: b.op) {
                if let x = a.op as? Constant, let y = b.op as? Constant {
                    return "\(at): constant \(x.tensor) vs \(y.tensor) (or their bytes) differ"
                }
                return "\(at): attributes \(a.op.attributes) vs \(b.op.attributes)"
            }
            let myInputs = a.inputs.map { "#\(myPosition[$0.node.id] ?? -1):\($0.index)" }
            let theirInputs = b.inputs.map { "#\(theirPosition[$0.node.id] ?? -1):\($0.index)" }
            if myInputs != theirInputs { return "\(at): inputs \(myInputs) vs \(theirInputs)" }
            if a.outputTypes != b.outputTypes { return "\(at): output types \(a.outputTypes) vs \(b.outputTypes)" }
            if a.tensorNames != b.tensorNames { return "\(at): tensor names \(a.tensorNames) vs \(b.tensorNames)" }
            if a.rtInfo != b.rtInfo { return "\(at): rt_info \(a.rtInfo) vs \(b.rtInfo)" }
        }
        return nil
    }

    private static func positions(_ order: [Node]) -> [Int: Int] {
        Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1.id, $0) })
    }
}
