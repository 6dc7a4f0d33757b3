import Foundation
import OVIR

/// Turns parsed `<layer>`s and `<edge>`s into graph nodes: resolves ports, orders the layers and
/// builds each op (Const from the BIN, an op owning bodies with its bodies built the same way, everything else
/// through the registry).
final class IRGraphBuilder {
    let file: String
    let weights: IRWeights
    let layers: [IRLayer]
    let registry: OpRegistry
    /// For each layer (by position), the (layer position, output index) feeding each input.
    private var sources: [[(layer: Int, output: Int)?]]

    init(file: String, weights: IRWeights, layers: [IRLayer], registry: OpRegistry) {
        self.file = file
        self.weights = weights
        self.layers = layers
        self.registry = registry
        sources = layers.map { Array(repeating: nil, count: $0.inputPorts.count) }
    }

    /// The graph of a `<net>` or of a body element (`<layers>`, `<edges>`, `<rt_info>`), and its nodes by layer id.
    static func graph(from element: XMLElement, file: String, weights: IRWeights, registry: OpRegistry) throws -> (Graph, [Int: Node]) {
        let layers = try (element.child("layers")?.children("layer") ?? []).map { try IRLayer(parsing: $0, file: file) }
        let builder = IRGraphBuilder(file: file, weights: weights, layers: layers, registry: registry)
        try builder.connect(edges: element.child("edges")?.children("edge") ?? [])
        let graph = Graph(name: element.attribute("name") ?? "")
        var nodes: [Node?] = Array(repeating: nil, count: layers.count)
        for k in try builder.additionOrder() {
            nodes[k] = try builder.addNode(k, to: graph, nodes: nodes)
        }
        if let info = element.child("rt_info") { graph.rtInfo = IRReader.modelRTInfo(info) }
        var byID: [Int: Node] = [:]
        for (layer, node) in zip(layers, nodes) { byID[layer.id] = node }
        return (graph, byID)
    }

    func error(_ k: Int, _ message: String) -> IRReadError {
        IRReadError(file: file, layerID: layers[k].id, layerName: layers[k].name, message)
    }

    /// Resolves every `<edge>` to an operand; each input port must receive exactly one edge.
    func connect(edges: [XMLElement]) throws {
        var position: [Int: Int] = [:]
        for (k, layer) in layers.enumerated() {
            guard position.updateValue(k, forKey: layer.id) == nil else { throw error(k, "duplicate layer id \(layer.id)") }
        }
        for edge in edges {
            func int(_ key: String) throws -> Int {
                guard let text = edge.attribute(key), let v = Int(text) else {
                    throw IRReadError(file: file, "<edge> on line \(edge.line) has no valid '\(key)'")
                }
                return v
            }
            let fromLayer = try int("from-layer"), fromPort = try int("from-port")
            let toLayer = try int("to-layer"), toPort = try int("to-port")
            let where_ = "edge \(fromLayer):\(fromPort) -> \(toLayer):\(toPort) (line \(edge.line))"
            guard let from = position[fromLayer] else { throw IRReadError(file: file, "\(where_): no layer with id \(fromLayer)") }
            guard let to = position[toLayer] else { throw IRReadError(file: file, "\(where_): no layer with id \(toLayer)") }
            guard let output = layers[from].outputPorts.firstIndex(of: fromPort) else {
                throw error(from, "\(where_): the layer has no output port \(fromPort)")
            }
            guard let input = layers[to].inputPorts.firstIndex(of: toPort) else {
                throw error(to, "\(where_): the layer has no input port \(toPort)")
            }
            guard sources[to][input] == nil else { throw error(to, "\(where_): input port \(toPort) has more than one edge") }
            if layers[from].isResult { throw error(from, "\(where_): a Result layer cannot feed another layer") }
            if layers[to].isParameter || layers[to].isConst { throw error(to, "\(where_): \(layers[to].type) layers take no inputs") }
            sources[to][input] = (from, output)
        }
        for (k, inputs) in sources.enumerated() {
            if let missing = inputs.firstIndex(where: { $0 == nil }) {
                throw error(k, "input port \(layers[k].inputPorts[missing]) has no edge")
            }
        }
    }

    /// Parameters in document order, then the other layers with each after its inputs,
    /// then Results in document order (so the graph's parameter and result order is the document's).
    func additionOrder() throws -> [Int] {
        let parameters = layers.indices.filter { layers[$0].isParameter }
        let results = layers.indices.filter { layers[$0].isResult }
        var order = parameters
        var state = Array(repeating: 0, count: layers.count)  // 0 new, 1 on the stack, 2 done
        for p in parameters { state[p] = 2 }
        for root in layers.indices where state[root] == 0 {
            var stack: [(layer: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let (k, next) = stack.popLast() {
                if next < sources[k].count {
                    stack.append((k, next + 1))
                    let input = sources[k][next]!.layer
                    if state[input] == 1 { throw error(input, "is part of a cycle (through layer \(layers[k].id) '\(layers[k].name)')") }
                    if state[input] == 0 {
                        if layers[input].isResult { throw error(k, "reads from Result layer \(layers[input].id)") }
                        state[input] = 1
                        stack.append((input, 0))
                    }
                } else {
                    state[k] = 2
                    if !layers[k].isResult { order.append(k) }
                }
            }
        }
        return order + results
    }

    /// Builds layer `k`'s op and adds it with its names and rt_info; `nodes` holds the layers added so far.
    func addNode(_ k: Int, to graph: Graph, nodes: [Node?]) throws -> Node {
        let layer = layers[k]
        let op = try makeOp(k)
        let inputs = sources[k].map { Output(nodes[$0!.layer]!, $0!.output) }
        let node: Node
        do { node = try graph.add(op, inputs, name: layer.name) } catch let e as GraphError {
            throw error(k, e.message)
        }
        guard node.outputCount == layer.outputPorts.count else {
            throw error(k, "declares \(layer.outputPorts.count) output ports, but \(layer.type) has \(node.outputCount) outputs")
        }
        for (i, names) in layer.outputNames.enumerated() where !names.isEmpty {
            graph.addTensorNames(names, to: node.output(i))
        }
        // ovc writes a model output's names on the Result (`output_names`); they name the value it reads.
        if layer.isResult, let names = layer.element.attribute("output_names"), let value = inputs.first {
            graph.addTensorNames(TensorNameList.decode(names), to: value)
        }
        node.rtInfo = layer.rtInfo
        return node
    }

    private func makeOp(_ k: Int) throws -> any Op {
        let layer = layers[k]
        if layer.isConst { return try makeConstant(k) }
        guard let type = registry.lookup(type: layer.type, version: layer.version) else {
            throw error(k, "unknown op type '\(layer.type)' version '\(layer.version)'")
        }
        if type is any SubgraphOp.Type { return try makeSubgraphOp(k, type) }
        let data = layer.data
        if layer.isParameter, data == nil { throw error(k, "Parameter layer has no <data>") }
        do { return try type.decode(data ?? [:]) } catch let e as AttributeError {
            throw error(k, "bad value '\(e.value)' for attribute '\(e.name)'")
        }
    }

    private func makeConstant(_ k: Int) throws -> Constant {
        guard let data = layers[k].data else { throw error(k, "Const layer has no <data>") }
        func required(_ key: String) throws -> String {
            guard let v = data[key] else { throw error(k, "Const is missing attribute '\(key)'") }
            return v
        }
        let typeText = try required("element_type")
        guard let type = try? ElementType(irString: typeText.lowercased()), type != .dynamic else {
            throw error(k, "Const has unknown element_type '\(typeText)'")
        }
        let shapeText = try required("shape")
        guard let dims = Shape(parsing: shapeText)?.staticDims else { throw error(k, "Const has a bad or dynamic shape '\(shapeText)'") }
        guard let offset = Int(try required("offset")), offset >= 0 else { throw error(k, "Const has a bad offset '\(data["offset"]!)'") }
        guard let size = Int(try required("size")), size >= 0 else { throw error(k, "Const has a bad size '\(data["size"]!)'") }

        let file: MappedFile
        do { file = try weights.mapped() } catch let e as MappedFileError {
            throw error(k, "Const needs the weights file, which cannot be opened: \(e)")
        }
        guard offset <= file.count, size <= file.count - offset else {
            throw error(k, "Const bytes \(offset)..<\(offset + size) lie outside \(weights.path) (\(file.count) bytes)")
        }
        guard let count = ShapeInference.checkedElementCount(dims) else { throw error(k, "Const shape \(dims) is impossibly large") }
        if type == .string {
            do {
                return Constant(Tensor(strings: try StringTensorLayout.decode(file.slice(offset..<(offset + size)), count: count), dims: dims))
            } catch let e as StringLayoutError {
                throw error(k, e.description)
            }
        }
        let needed = type.byteCount(elements: count)
        guard size >= needed else { throw error(k, "Const size \(size) is smaller than the \(needed) bytes its shape \(dims) of \(type) needs") }
        return Constant(Tensor(type, dims: dims, storage: .mapped(file, offset..<(offset + needed))))
    }
}

/// The BIN file of one IR, mapped on first use and shared by the model and its bodies.
final class IRWeights {
    let path: String
    private var file: MappedFile?

    init(path: String) {
        self.path = path
    }

    /// The mapped file; throws `MappedFileError` when it cannot be opened.
    func mapped() throws -> MappedFile {
        if let file { return file }
        let f = try MappedFile(path: path)
        file = f
        return f
    }
}
