import OVIR

/// Loads an ONNX file and translates it into an IR graph through the translator table.
public struct ONNXImporter {
    public let table: TranslatorTable
    /// Convert a model that imports an opset newer than `newestOpsets` as if it imported the newest known one
    /// (with a warning naming it), instead of refusing it.
    public var allowNewerOpset: Bool

    /// The newest opset per domain that the translators were written against (those of ONNX 1.23). A newer one
    /// may have changed any op's meaning, so it is refused unless `allowNewerOpset`.
    public static let newestOpsets = ["ai.onnx": 28, "ai.onnx.ml": 5]

    public init(table: TranslatorTable = .standard, allowNewerOpset: Bool = false) {
        self.table = table
        self.allowNewerOpset = allowNewerOpset
    }

    public func load(path: String) throws -> ImportedModel {
        let file = try ONNXModelFile(path: path)
        let proto = file.model.graph
        var opsets = file.opsets
        var warnings: [String] = []
        for (domain, version) in opsets.sorted(by: { $0.key < $1.key }) {
            guard let newest = Self.newestOpsets[domain], version > newest else { continue }
            guard allowNewerOpset else {
                throw ONNXFrontendError(.unsupported, "\(path): the model imports opset \(version) of \(domain), newer than opset "
                    + "\(newest), the newest ovconvert's translators know; --allow-newer-opset converts it as opset \(newest)")
            }
            warnings.append("\(path): the model imports opset \(version) of \(domain); converted as opset \(newest), the newest "
                + "ovconvert knows (--allow-newer-opset): ops whose meaning changed after it may convert wrongly")
            opsets[domain] = newest
        }
        let order = try topologicalNodes(proto, path: path)
        let translators = try resolveTranslators(order.map { proto.node[$0] }, opsets: opsets, path: path)

        if !proto.sparseInitializer.isEmpty {
            throw ONNXFrontendError(.badFile, "\(path): sparse initializers ('\(proto.sparseInitializer[0].values.name)') are not supported")
        }
        let graph = Graph(name: proto.name)
        let decoder = TensorDecoder(modelPath: path, file: file.file, rawData: file.rawData,
                                    external: ExternalDataResolver(modelPath: path))
        let session = ImportSession(modelPath: path, graph: graph, decoder: decoder)

        do {
            try build(proto, order: order, translators: translators, session: session)
        } catch let e as ONNXFrontendError {
            throw e
        } catch {
            throw ONNXFrontendError(.badNode, "\(path): \(error)")
        }
        return ImportedModel(
            format: "onnx", graph: graph, frameworkPorts: session.frameworkPorts,
            metadata: file.model.metadataProps.map { ($0.key, $0.value) },
            opsets: file.opsets, producer: [file.model.producerName, file.model.producerVersion].filter { !$0.isEmpty }.joined(separator: " "),
            warnings: warnings + session.warnings)
    }

    /// Initializers, inputs, nodes in `order`, then outputs, into `session.graph`.
    private func build(_ proto: Onnx_GraphProto, order: [Int], translators: [ResolvedTranslator],
                       session: ImportSession) throws {
        let graph = session.graph, decoder = session.decoder, path = session.modelPath
        var initializerNames = Set<String>()
        for (i, t) in proto.initializer.enumerated() {
            let tensor = try decoder.tensor(t, path: [7, 0, 5, i], what: "initializer '\(t.name)'")
            let out = try graph.constant(tensor, name: session.uniqueName(t.name))
            try define(t.name, out, port: 0, session)
            initializerNames.insert(t.name)
        }
        for input in proto.input where !initializerNames.contains(input.name) {
            let type = try ONNXTypes.tensorType(input.type, what: "graph input '\(input.name)'", path: path)
            let node = try graph.addParameter(session.uniqueName(input.name), type)
            try define(input.name, node.output(), port: 0, session)
        }
        for (k, index) in order.enumerated() {
            let node = proto.node[index]
            let base = node.name.isEmpty ? (node.output.first(where: { !$0.isEmpty }) ?? "\(node.opType)_\(k)") : node.name
            let ctx = NodeContext(session: session, proto: node, path: [7, 0, 1, index], opset: translators[k].opset, name: base)
            let outputs: [Output]
            do {
                outputs = try translators[k].entry.translate(ctx)
            } catch let e as ONNXFrontendError {
                throw e
            } catch {
                throw ctx.error("\(error)")
            }
            for (i, name) in node.output.enumerated() where !name.isEmpty {
                guard i < outputs.count else { throw ctx.error("output \(i) ('\(name)') is not produced by this translation") }
                try define(name, outputs[i], port: i, session)
            }
        }
        for output in proto.output {
            guard let value = session.values[output.name] else {
                throw ONNXFrontendError(.badNode, "\(path): graph output '\(output.name)' is not produced by any node")
            }
            try graph.addResult(value, name: output.name)
        }
        try graph.removeDeadNodes()
    }

    /// Binds an ONNX tensor name to its IR value; every name may be defined once.
    private func define(_ name: String, _ value: Output, port: Int, _ session: ImportSession) throws {
        guard session.values[name] == nil else {
            throw ONNXFrontendError(.badNode, "\(session.modelPath): tensor '\(name)' is defined twice (by an initializer, input or node output)")
        }
        session.values[name] = value
        session.frameworkPorts[name] = port
        session.graph.addTensorNames([name], to: value)
    }

    /// Node indices in an order where every input is defined before use: the file's order when it
    /// already is (the usual case), otherwise a depth-first order that keeps the file's order where it can.
    private func topologicalNodes(_ g: Onnx_GraphProto, path: String) throws -> [Int] {
        let external = Set(g.initializer.map(\.name)).union(g.input.map(\.name)).union([""])
        var defined = external
        var producer: [String: Int] = [:]
        var sorted = true
        for (i, node) in g.node.enumerated() {
            if sorted, !node.input.allSatisfy({ defined.contains($0) }) { sorted = false }
            for out in node.output where !out.isEmpty {
                defined.insert(out)
                if producer[out] == nil { producer[out] = i }
            }
        }
        if sorted { return Array(g.node.indices) }

        enum Mark { case visiting, done }
        var marks: [Int: Mark] = [:]
        var order: [Int] = []
        for root in g.node.indices where marks[root] == nil {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            marks[root] = .visiting
            while let (i, next) = stack.last {
                let inputs = g.node[i].input
                if next == inputs.count {
                    stack.removeLast()
                    marks[i] = .done
                    order.append(i)
                    continue
                }
                stack[stack.count - 1].next += 1
                let name = inputs[next]
                guard let p = producer[name] else {
                    if external.contains(name) { continue }
                    throw ONNXFrontendError(.badNode, "\(path): node '\(g.node[i].name)' (\(g.node[i].opType)) reads '\(name)', which no node, input or initializer defines")
                }
                switch marks[p] {
                case .done?: continue
                case .visiting?:
                    throw ONNXFrontendError(.badNode, "\(path): node '\(g.node[i].name)' (\(g.node[i].opType)) is part of a cycle through '\(name)'")
                case nil:
                    marks[p] = .visiting
                    stack.append((p, 0))
                }
            }
        }
        return order
    }

    /// Every node's translator; all unsupported ops are reported at once, sorted, with counts.
    private func resolveTranslators(_ nodes: [Onnx_NodeProto], opsets: [String: Int], path: String) throws -> [ResolvedTranslator] {
        var found: [ResolvedTranslator] = []
        var missing: [String: (count: Int, first: String)] = [:]
        for node in nodes {
            let domain = ONNXModelFile.domain(node.domain)
            let opset = opsets[domain] ?? 1
            if let t = table.lookup(domain: domain, op: node.opType, opset: opset) {
                found.append(ResolvedTranslator(entry: t, opset: opset))
            } else {
                let key = "\(domain)::\(node.opType)@\(opset)"
                let prior = missing[key]
                missing[key] = ((prior?.count ?? 0) + 1, prior?.first ?? (node.name.isEmpty ? node.output.first ?? "" : node.name))
            }
        }
        guard missing.isEmpty else {
            let list = missing.keys.sorted().map { "  \($0) ×\(missing[$0]!.count) (first: node '\(missing[$0]!.first)')" }
            let total = missing.values.reduce(0) { $0 + $1.count }
            throw ONNXFrontendError(.unsupported, "\(path): \(total) node\(total == 1 ? "" : "s") use\(total == 1 ? "s" : "") \(missing.count) unsupported operator\(missing.count == 1 ? "" : "s"):\n" + list.joined(separator: "\n"))
        }
        return found
    }
}

/// A node's translator and the opset of the node's domain it was chosen for.
private struct ResolvedTranslator {
    let entry: TranslatorEntry
    let opset: Int
}
