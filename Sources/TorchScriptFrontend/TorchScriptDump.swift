import Foundation
import OVIR

/// A TorchScript graph dump (`NAME.ts.txt`: the printed graph of a traced, frozen or inlined module) paired with
/// its weights (`NAME.safetensors`), ready to translate into an IR graph.
public final class TorchScriptDump {
    public let path: String
    public let graph: TSBlock
    /// The graph's tensor inputs (the module's `self` left out), named and typed from the weights file's
    /// `inputs` metadata where the dump's annotations do not say.
    public let inputs: [(name: String, type: TensorType)]
    let weights: TSWeights
    let outputNames: [String]
    private var warnings: [String] = []
    private let tensorInputs: [TSValueDecl]
    private let metadata: [String: String]

    /// Whether a file starting with `head` is a dump: text opening with `graph(`.
    public static func recognizes(_ head: [UInt8]) -> Bool {
        let text = head.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return text.starts(with: Array("graph(".utf8))
    }

    /// `NAME.safetensors` for `NAME.ts.txt` (or for `NAME.txt`, or any other name with `.safetensors` added).
    public static func defaultWeightsPath(for dumpPath: String) -> String {
        for suffix in [".ts.txt", ".txt"] where dumpPath.hasSuffix(suffix) {
            return String(dumpPath.dropLast(suffix.count)) + ".safetensors"
        }
        return dumpPath + ".safetensors"
    }

    /// Parses the dump and opens and checks its weights (`weightsPath`, or the default beside the dump).
    public init(path: String, weightsPath: String? = nil) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw TorchScriptFrontendError(.syntax, "\(path): cannot be read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TorchScriptFrontendError(.syntax, "\(path): not UTF-8 text")
        }
        graph = try TorchScriptDumpParser.parse(text, path: path)

        let explicitWeights = weightsPath != nil
        let wpath = weightsPath ?? Self.defaultWeightsPath(for: path)
        let file: SafetensorsFile?
        if explicitWeights || FileManager.default.fileExists(atPath: wpath) {
            file = try SafetensorsFile(path: wpath)
        } else {
            file = nil
        }
        weights = TSWeights(file: file, path: wpath)
        metadata = file?.metadata ?? [:]

        if let file {
            if let recorded = metadata["graph_sha256"] {
                let actual = SHA256.hex(data)
                guard recorded.lowercased() == actual else {
                    throw TorchScriptFrontendError(.badWeights, "\(wpath): graph_sha256 \(recorded) does not match the dump \(path) (sha256 "
                        + "\(actual)): the two files are not from the same export")
                }
            } else {
                warnings.append("\(file.path): no graph_sha256 in __metadata__: not checked that it belongs to \(path)")
            }
        }

        tensorInputs = graph.parameters.filter { if case .classType = $0.type { return false } else { return true } }
        let described = try Self.describedInputs(metadata["inputs"], weightsPath: wpath)
        if let described, described.count != tensorInputs.count {
            throw TorchScriptFrontendError(.badWeights, "\(wpath): __metadata__ 'inputs' lists \(described.count) inputs, the dump's graph has "
                + "\(tensorInputs.count) (\(tensorInputs.map { "%" + $0.name }.joined(separator: ", ")))")
        }
        var inputs: [(name: String, type: TensorType)] = []
        for (k, decl) in tensorInputs.enumerated() {
            let d = described?[k]
            var elementType = d?.elementType
            var shape = d?.shape
            if case .tensor(let t) = decl.type {
                if let s = t.scalarType {
                    guard let e = TSScalarType.elementType(name: s) else {
                        throw TorchScriptFrontendError(.badNode, "\(path):\(decl.line): input %\(decl.name) is \(s), which OpenVINO has no type for")
                    }
                    elementType = elementType ?? e
                }
                if shape == nil, let sizes = t.sizes { shape = .ranked(sizes.map { $0.map(Dim.fixed) ?? .dynamic }) }
            } else if !Self.isNumber(decl.type) {
                throw TorchScriptFrontendError(.badNode, "\(path):\(decl.line): input %\(decl.name) of type \(decl.type) cannot be a model input")
            }
            if elementType == nil {
                warnings.append("\(path):\(decl.line): input %\(decl.name) has no element type in the dump or the weights' metadata; f32 assumed")
            }
            let name = d?.name ?? Self.baseName(decl.name)
            inputs.append((name, TensorType(elementType ?? .f32, shape ?? .dynamicRank)))
        }
        self.inputs = inputs
        outputNames = try Self.outputNames(metadata["outputs"], weightsPath: wpath)
    }

    /// Translates the graph with the inputs typed `inputTypes` (default: `inputs`' types).
    public func translate(inputTypes: [TensorType]? = nil, table: TSTranslatorTable = .standard) throws -> ImportedModel {
        try checkSupported(table)
        let g = Graph(name: "")
        let session = TSImportSession(dumpPath: path, graph: g, weights: weights)
        session.countModulePaths(graph.nodes)
        var arguments: [TSValue] = []
        var tensorIndex = 0
        for decl in graph.parameters {
            if case .classType = decl.type {
                arguments.append(.object(path: ""))
                continue
            }
            let (name, declared) = inputs[tensorIndex]
            let type = inputTypes?[tensorIndex] ?? declared
            tensorIndex += 1
            let parameter = try g.addParameter(session.uniqueName(name), type).output()
            // A scalar input (an int the module takes) is a 0-D tensor here.
            arguments.append(.tensor(parameter))
        }
        let results = try TSBlockTranslator(session: session, table: table).run(graph, arguments: arguments)
        let leaves = results.flatMap { $0.flattened() }
        if !outputNames.isEmpty, outputNames.count != leaves.count {
            throw TorchScriptFrontendError(.badWeights, "\(weights.path): __metadata__ 'outputs' names \(outputNames.count) outputs, the graph "
                + "returns \(leaves.count)")
        }
        for (i, leaf) in leaves.enumerated() {
            guard case .tensor(let o) = leaf else {
                throw TorchScriptFrontendError(.badNode, "\(path): output \(i) of the graph is \(leaf), not a tensor")
            }
            let name = outputNames.isEmpty ? "output\(i)" : outputNames[i]
            try g.addResult(o, name: name)
            g.addTensorNames([name], to: o)
        }
        try g.removeDeadNodes()
        let producer = metadata["torch"].map { "torch \($0)" } ?? "torch"
        var meta: [(key: String, value: String)] = []
        for key in ["format", "graph"] { if let v = metadata[key] { meta.append((key, v)) } }
        return ImportedModel(format: "torchscript", graph: g, frameworkPorts: session.frameworkPorts, metadata: meta, opsets: [:],
                             producer: producer, warnings: warnings + session.warnings)
    }

    /// Every node kind without a translator, reported at once, sorted, with counts and the first line.
    private func checkSupported(_ table: TSTranslatorTable) throws {
        var missing: [String: (count: Int, line: Int)] = [:]
        func scan(_ nodes: [TSNode]) {
            for node in nodes {
                if table.lookup(node.kind) == nil {
                    let prior = missing[node.kind]
                    missing[node.kind] = ((prior?.count ?? 0) + 1, prior?.line ?? node.line)
                }
                for b in node.blocks { scan(b.nodes) }
            }
        }
        scan(graph.nodes)
        guard !missing.isEmpty else { return }
        let total = missing.values.reduce(0) { $0 + $1.count }
        let list = missing.keys.sorted().map { "  \($0) ×\(missing[$0]!.count) (first: line \(missing[$0]!.line))" }
        throw TorchScriptFrontendError(.unsupported, "\(path): \(total) node\(total == 1 ? "" : "s") use\(total == 1 ? "s" : "") "
            + "\(missing.count) unsupported operator\(missing.count == 1 ? "" : "s"):\n" + list.joined(separator: "\n"))
    }

    private static func isNumber(_ t: TSType) -> Bool { [TSType.named("int"), .named("float"), .named("bool")].contains(t) }

    /// `x.1` → `x`: the argument name a debug name was made from.
    static func baseName(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), !name[name.index(after: dot)...].isEmpty,
              name[name.index(after: dot)...].allSatisfy(\.isNumber), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The `inputs` metadata: a JSON list of `{"name", "shape", "dtype"}`.
    private static func describedInputs(_ json: String?, weightsPath: String) throws -> [(name: String?, shape: Shape?, elementType: ElementType?)]? {
        guard let json else { return nil }
        func fail(_ why: String) -> TorchScriptFrontendError {
            TorchScriptFrontendError(.badWeights, "\(weightsPath): __metadata__ 'inputs' \(why)")
        }
        guard let list = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [Any] else { throw fail("is not a JSON list") }
        return try list.enumerated().map { k, item in
            guard let entry = item as? [String: Any] else { throw fail("entry \(k) is not an object") }
            let name = entry["name"] as? String
            var shape: Shape?
            if let dims = entry["shape"] {
                guard let values = dims as? [Any] else { throw fail("entry \(k): shape is not a list") }
                shape = .ranked(try values.map { v -> Dim in
                    if let n = v as? Int, n >= 0 { return .fixed(n) }
                    if v is NSNull || (v as? Int) == -1 || (v as? String) == "?" { return .dynamic }
                    throw fail("entry \(k): shape element \(v) is not a size")
                })
            }
            var type: ElementType?
            if let dtype = entry["dtype"] {
                guard let s = dtype as? String, let t = TSScalarType.elementType(numpyName: s.replacingOccurrences(of: "torch.", with: "")) else {
                    throw fail("entry \(k): dtype \(dtype) is not one OpenVINO has")
                }
                type = t
            }
            return (name, shape, type)
        }
    }

    /// The `outputs` metadata: a JSON list of `{"name"}` (empty when absent).
    private static func outputNames(_ json: String?, weightsPath: String) throws -> [String] {
        guard let json else { return [] }
        guard let list = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [[String: Any]],
              let names = Optional(list.compactMap { $0["name"] as? String }), names.count == list.count else {
            throw TorchScriptFrontendError(.badWeights, "\(weightsPath): __metadata__ 'outputs' is not a JSON list of {\"name\": ...}")
        }
        return names
    }
}
