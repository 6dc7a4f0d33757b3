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
        try checkTranslators(proto, opsets: opsets, path: path)

        if !proto.sparseInitializer.isEmpty {
            throw ONNXFrontendError(.badFile, "\(path): sparse initializers ('\(proto.sparseInitializer[0].values.name)') are not supported")
        }
        let graph = Graph(name: proto.name)
        let decoder = TensorDecoder(modelPath: path, file: file.file, rawData: file.rawData,
                                    external: ExternalDataResolver(modelPath: path))
        let session = ImportSession(modelPath: path, graph: graph, decoder: decoder, table: table, opsets: opsets)

        do {
            try build(proto, session: session)
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

    /// Initializers, inputs, nodes, then outputs, into `session.graph`.
    private func build(_ proto: Onnx_GraphProto, session: ImportSession) throws {
        let graph = session.graph, path = session.modelPath
        let translator = ONNXGraphTranslator(session: session, proto: proto, path: [7, 0])
        let initializerNames = try translator.translateInitializers()
        for input in proto.input where !initializerNames.contains(input.name) {
            let type = try ONNXTypes.tensorType(input.type, what: "graph input '\(input.name)'", path: path)
            let node = try graph.addParameter(session.uniqueName(input.name), type)
            try translator.define(input.name, node.output(), port: 0)
        }
        try translator.translateNodes()
        for output in proto.output {
            guard let value = session.scope.isDefinedHere(output.name) ? try session.lookup(output.name) : nil else {
                throw ONNXFrontendError(.badNode, "\(path): graph output '\(output.name)' is not produced by any node")
            }
            try graph.addResult(value, name: output.name)
        }
        try graph.removeDeadNodes()
    }

    /// Every node, in the main graph and in subgraphs (If branches, Loop and Scan bodies), must have a translator;
    /// all unsupported ops are reported at once, sorted, with counts.
    private func checkTranslators(_ graph: Onnx_GraphProto, opsets: [String: Int], path: String) throws {
        var missing: [String: (count: Int, first: String)] = [:]
        func visit(_ g: Onnx_GraphProto) {
            for node in g.node {
                let domain = ONNXModelFile.domain(node.domain)
                if table.lookup(domain: domain, op: node.opType, opset: opsets[domain] ?? 1) == nil {
                    let key = "\(domain)::\(node.opType)@\(opsets[domain] ?? 1)"
                    let prior = missing[key]
                    missing[key] = ((prior?.count ?? 0) + 1, prior?.first ?? (node.name.isEmpty ? node.output.first ?? "" : node.name))
                }
                for a in node.attribute {
                    if a.hasG { visit(a.g) }
                    a.graphs.forEach(visit)
                }
            }
        }
        visit(graph)
        guard missing.isEmpty else {
            let list = missing.keys.sorted().map { "  \($0) ×\(missing[$0]!.count) (first: node '\(missing[$0]!.first)')" }
            let total = missing.values.reduce(0) { $0 + $1.count }
            throw ONNXFrontendError(.unsupported, "\(path): \(total) node\(total == 1 ? "" : "s") use\(total == 1 ? "s" : "") \(missing.count) unsupported operator\(missing.count == 1 ? "" : "s"):\n" + list.joined(separator: "\n"))
        }
    }
}
