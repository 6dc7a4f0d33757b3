import OVIR

extension IRGraphBuilder {
    /// Builds an If or a Loop from its layer: each body (`<then_body>`, `<else_body>`; `<body>`) read like a model
    /// into its own graph, and the port maps read as OpenVINO reads them (an `<input>` with a back edge is merged,
    /// otherwise invariant; an `<output>` with `axis` is concatenated; `external_port_id="-1"` entries are Loop's
    /// special ports when they carry a `purpose`, and ignored otherwise).
    func makeSubgraphOp(_ k: Int, _ type: any Op.Type) throws -> any Op {
        switch type {
        case is If.Type:
            let thenBody = try body(k, "then_body"), elseBody = try body(k, "else_body")
            let thenMap = try portMap(k, "then_port_map", thenBody)
            let elseMap = try portMap(k, "else_port_map", elseBody)
            return If(then: thenBody.graph, else: elseBody.graph, thenInputs: thenMap.inputs, elseInputs: elseMap.inputs,
                      thenOutputs: thenMap.outputs, elseOutputs: elseMap.outputs)
        case is Loop.Type:
            let body = try body(k, "body")
            let map = try portMap(k, "port_map", body, backEdges: try backEdges(k))
            guard let condition = map.condition else {
                throw error(k, "the Loop's port_map has no output with purpose=\"execution_condition\"")
            }
            return Loop(body: body.graph, bodyInputs: map.inputs, bodyOutputs: map.outputs,
                        currentIterationInputIndex: map.currentIteration ?? -1, bodyConditionOutputIndex: condition)
        default:
            throw error(k, "the IR reader does not know the port maps of \(layers[k].type)")
        }
    }

    /// A body read into its own graph, with its nodes by layer id; errors inside it name this layer and the body.
    private func body(_ k: Int, _ name: String) throws -> (graph: Graph, nodes: [Int: Node]) {
        guard let element = layers[k].element.child(name) else { throw error(k, "\(layers[k].type) has no <\(name)>") }
        do {
            let (graph, nodes) = try IRGraphBuilder.graph(from: element, file: file, weights: weights, registry: registry)
            return (graph, nodes)
        } catch let e as IRReadError {
            var place = ""
            if let id = e.layerID { place += "layer \(id)" }
            if let n = e.layerName { place += (place.isEmpty ? "" : " ") + "'\(n)'" }
            throw error(k, "\(name): \(place.isEmpty ? "" : place + ": ")\(e.message)")
        }
    }

    /// `<back_edges>`: body Parameter layer id → the body Result layer id feeding it.
    private func backEdges(_ k: Int) throws -> [Int: Int] {
        var edges: [Int: Int] = [:]
        for edge in layers[k].element.child("back_edges")?.children("edge") ?? [] {
            guard let from = edge.attribute("from-layer").flatMap(Int.init), let to = edge.attribute("to-layer").flatMap(Int.init) else {
                throw error(k, "a back edge (line \(edge.line)) has no valid from-layer or to-layer")
            }
            edges[to] = from
        }
        return edges
    }

    /// One port map against its body.
    private func portMap(_ k: Int, _ name: String, _ body: (graph: Graph, nodes: [Int: Node]), backEdges: [Int: Int] = [:]) throws
        -> (inputs: [BodyInput], outputs: [BodyOutput], currentIteration: Int?, condition: Int?) {
        let layer = layers[k]
        guard let map = layer.element.child(name) else { throw error(k, "\(layer.type) has no <\(name)>") }
        func int(_ e: XMLElement, _ key: String, default value: Int? = nil) throws -> Int {
            guard let text = e.attribute(key) else {
                if let value { return value }
                throw error(k, "\(name): <\(e.name)> (line \(e.line)) has no '\(key)'")
            }
            guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw error(k, "\(name): <\(e.name)> (line \(e.line)) has a bad \(key) '\(text)'")
            }
            return v
        }
        func index(of layerID: Int, in list: [Node], _ what: String, _ e: XMLElement) throws -> Int {
            guard let node = body.nodes[layerID], let i = list.firstIndex(where: { $0 === node }) else {
                throw error(k, "\(name): <\(e.name)> (line \(e.line)) names layer \(layerID), which is no \(what) of the body")
            }
            return i
        }
        var inputs: [BodyInput] = [], outputs: [BodyOutput] = []
        var currentIteration: Int?, condition: Int?
        for e in map.children("input") {
            let port = try int(e, "external_port_id"), inner = try int(e, "internal_layer_id")
            let parameter = try index(of: inner, in: body.graph.parameters, "Parameter", e)
            if e.attribute("purpose") == "current_iteration" { currentIteration = parameter; continue }
            if port < 0 { continue }
            if e.attribute("axis") != nil {
                throw error(k, "\(name): sliced inputs (<input axis=...>, line \(e.line)) are not supported")
            }
            guard let input = layer.inputPorts.firstIndex(of: port) else {
                throw error(k, "\(name): <input> (line \(e.line)) names input port \(port), which the layer does not declare")
            }
            if let from = backEdges[inner] {
                let result = try index(of: from, in: body.graph.results, "Result", e)
                inputs.append(.merged(input: input, parameter: parameter, backEdgeFrom: result))
            } else {
                inputs.append(.invariant(input: input, parameter: parameter))
            }
        }
        for e in map.children("output") {
            let port = try int(e, "external_port_id"), inner = try int(e, "internal_layer_id")
            let result = try index(of: inner, in: body.graph.results, "Result", e)
            if e.attribute("purpose") == "execution_condition" { condition = result; continue }
            if port < 0 { continue }
            guard let output = layer.outputPorts.firstIndex(of: port) else {
                throw error(k, "\(name): <output> (line \(e.line)) names output port \(port), which the layer does not declare")
            }
            if e.attribute("axis") != nil {
                let c = BodyConcatenation(axis: try int(e, "axis"), start: try int(e, "start", default: 0), stride: try int(e, "stride", default: 1),
                                          partSize: try int(e, "part_size", default: 1), end: try int(e, "end", default: -1))
                outputs.append(BodyOutput(result: result, output: output, kind: .concatenated(c)))
            } else {
                outputs.append(.last(result: result, output: output))
            }
        }
        return (inputs, outputs, currentIteration, condition)
    }
}
