import OVIR

extension Graph {
    /// Replaces every output of `node` by a Const holding the matching tensor, so `node` becomes dead.
    /// Each Const keeps the node's friendly name (`name.i` for output `i` of a multi-output node, as
    /// OpenVINO's folding names them) and the output's tensor names, and lists `fusedNames` in `fused_names`.
    @discardableResult
    func replace(_ node: Node, withConstants values: [Tensor], fusedNames: [String]) throws -> [Node] {
        precondition(values.count == node.outputCount, "one value per output")
        return try zip(node.outputs, values).map { output, value in
            let name = node.outputCount == 1 ? node.name : "\(node.name).\(output.index)"
            let constant = try add(Constant(value), [], name: name)
            if !fusedNames.isEmpty { constant.fusedNames = fusedNames }
            moveTensorNames(from: output, to: constant.output())
            try replaceAllUses(of: output, with: constant.output())
            return constant
        }
    }
}

extension Node {
    /// The `fused_names` rt_info: the source nodes this one stands for (sorted, unique; empty when absent).
    var fusedNames: [String] {
        get {
            guard let entry = rtInfo.first(where: { $0.name == "fused_names" }),
                  let value = entry.values.first(where: { $0.key == "value" })?.value else { return [] }
            return value.split(separator: ",").map(String.init)
        }
        set {
            rtInfo.removeAll { $0.name == "fused_names" }
            let names = Set(newValue).sorted()
            if !names.isEmpty { rtInfo.append(RTAttribute(name: "fused_names", values: [("value", names.joined(separator: ","))])) }
        }
    }

    /// The source nodes this one stands for: its `fused_names`, or its own name when it has none.
    var sourceNames: [String] { fusedNames.isEmpty ? [name] : fusedNames }

    /// Whether the node carries `name` in its rt_info (`decompression`, ...).
    func hasRTAttribute(_ name: String) -> Bool { rtInfo.contains { $0.name == name } }
}
