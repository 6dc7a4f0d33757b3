import OVIR

extension IRWriter {
    /// The port maps of an op owning bodies, as OpenVINO's serializer writes them: If's `<else_port_map>` then
    /// `<then_port_map>`; Loop's `<port_map>` (its special ports last, with `purpose`) and `<back_edges>`. Body
    /// Parameters and Results are named by their layer ids in `bodies` (the bodies' numberings).
    func writePortMaps(_ node: Node, bodies: [LayerNumbering], to w: XMLTextWriter) throws {
        switch node.op {
        case let op as If:
            try writePortMap("else_port_map", node, bodies[1], op.elseBody, op.elseInputs, op.elseOutputs, to: w)
            try writePortMap("then_port_map", node, bodies[0], op.thenBody, op.thenInputs, op.thenOutputs, to: w)
        case let op as Loop:
            let numbering = bodies[0]
            try writePortMap("port_map", node, numbering, op.body, op.bodyInputs, op.bodyOutputs, to: w) {
                if op.currentIterationInputIndex >= 0 {
                    try w.empty("input", [("external_port_id", "-1"),
                                          ("internal_layer_id", try Self.layer(op.body, parameter: op.currentIterationInputIndex, numbering, node)),
                                          ("purpose", "current_iteration")])
                }
                try w.empty("output", [("external_port_id", "-1"),
                                       ("internal_layer_id", try Self.layer(op.body, result: op.bodyConditionOutputIndex, numbering, node)),
                                       ("purpose", "execution_condition")])
            }
            let merged = op.bodyInputs.compactMap { d in d.backEdgeResult.map { (d.parameter, $0) } }
            if !merged.isEmpty {
                try w.start("back_edges")
                for (parameter, result) in merged {
                    try w.empty("edge", [("from-layer", try Self.layer(op.body, result: result, numbering, node)),
                                         ("to-layer", try Self.layer(op.body, parameter: parameter, numbering, node))])
                }
                try w.end()
            }
        default:
            guard node.subgraphs.isEmpty else {
                throw GraphError(node: node.name, "the IR writer does not know the port maps of \(node.op.typeName)")
            }
        }
    }

    /// One `<…port_map>`: an `<input>` per input description, an `<output>` per output description (a
    /// concatenated one with OpenVINO's `axis` first and `start`, `end`, `stride`, `part_size` last), then `extra`.
    private func writePortMap(_ element: String, _ node: Node, _ numbering: LayerNumbering, _ body: Graph, _ inputs: [BodyInput],
                              _ outputs: [BodyOutput], to w: XMLTextWriter, extra: () throws -> Void = {}) throws {
        try w.start(element)
        for d in inputs {
            try w.empty("input", [("external_port_id", String(d.input)),
                                  ("internal_layer_id", try Self.layer(body, parameter: d.parameter, numbering, node))])
        }
        for d in outputs {
            let port = String(node.inputs.count + d.output)
            let layer = try Self.layer(body, result: d.result, numbering, node)
            switch d.kind {
            case .last:
                try w.empty("output", [("external_port_id", port), ("internal_layer_id", layer)])
            case .concatenated(let c):
                try w.empty("output", [("axis", String(c.axis)), ("external_port_id", port), ("internal_layer_id", layer),
                                       ("start", String(c.start)), ("end", String(c.end)), ("stride", String(c.stride)),
                                       ("part_size", String(c.partSize))])
            }
        }
        try extra()
        try w.end()
    }

    private static func layer(_ body: Graph, parameter: Int, _ numbering: LayerNumbering, _ node: Node) throws -> String {
        guard body.parameters.indices.contains(parameter), let id = numbering.layerID(of: body.parameters[parameter]) else {
            throw GraphError(node: node.name, "port map names body Parameter #\(parameter), which the body does not have")
        }
        return String(id)
    }

    private static func layer(_ body: Graph, result: Int, _ numbering: LayerNumbering, _ node: Node) throws -> String {
        guard body.results.indices.contains(result), let id = numbering.layerID(of: body.results[result]) else {
            throw GraphError(node: node.name, "port map names body Result #\(result), which the body does not have")
        }
        return String(id)
    }
}
