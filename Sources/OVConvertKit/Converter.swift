import Calibration
import Foundation
import OpenVINOIR
import OVIR
import Passes

/// Converts one model: frontend → IR graph → passes → XML/BIN/mapping in an atomically created folder.
/// The one API the CLI and the tests call.
public struct Converter {
    public let options: ConversionOptions

    public init(_ options: ConversionOptions) {
        self.options = options
    }

    /// Runs the conversion; throws `ConversionFailure` naming the file (and node) on bad input.
    public func run() throws -> ConversionReport {
        let clock = ContinuousClock()
        let start = clock.now
        let folder = options.resolvedOutputFolder
        let xmlName = "\(options.stem).xml", binName = "\(options.stem).bin", mappingName = "\(options.stem).mapping"
        let metadataName = "metadata.yaml"
        let output = OutputFolder(URL(fileURLWithPath: folder), force: options.force,
                                  replaceable: [xmlName, binName, mappingName, metadataName])
        if let problem = options.nms?.problem { throw ConversionFailure(.badOptions, "--nms: \(problem)") }
        if let problem = options.limits.problem { throw ConversionFailure(.badOptions, problem) }
        if options.int8 != nil, options.half { throw ConversionFailure(.badOptions, "--int8 and --half: choose one") }
        if options.int8 != nil, options.verify != nil {
            throw ConversionFailure(.badOptions, "--int8 and --verify: --verify compares with the FP32 graph, which INT8 does not compute exactly")
        }
        let spec = try inputShapeSpec()  // a malformed option fails before anything else
        let pipeline = try self.pipeline()
        // Fail before the work, not after it; OutputFolder checks again when it renames into place.
        do { try output.check() } catch let e as OutputFolderError { throw ConversionFailure(.outputFolder, e.description) }
        let imported = try translate(spec)
        let graph = imported.graph
        let detector = try DetectorExport(options: options, imported: imported)
        // Before the copy --verify compares with: the NMS graph is verified as part of the source.
        let nms = try detector.insertNMS(into: graph)
        let metadata = detector.writesMetadata ? detector.metadata(for: graph, nms: nms) : nil
        if let metadata { detector.recordModelInfo(graph, metadata, nms: nms) }
        let metadataText = try metadata.map { meta in
            do { return try meta.yaml() } catch { throw ConversionFailure(.internalError, "\(options.modelPath): metadata.yaml: \(error)") }
        }
        let verifyInputs = try options.verify == nil ? nil : options.verifyInputs.map { try feeds(from: $0, for: graph) }
        let loaded = clock.now
        // --verify compares the IR with the graph as translated, so the passes are checked too.
        let source = options.verify == nil ? graph : try copy(graph)
        var passes = try optimize(graph, with: pipeline)
        // After the passes: calibration runs the optimized FP32 graph, whose folded weights are what gets quantized.
        var int8Warnings: [String] = []
        var int8Summary: ConversionReport.INT8?
        if let int8 = options.int8 {
            let (pass, summary) = try quantize(graph, int8, warnings: &int8Warnings)
            passes.append(pass)
            int8Summary = summary
        }
        let optimized = clock.now

        let summary: IRWriteSummary
        let mappingBytes: Int
        let verification: VerificationReport?
        do {
            (summary, mappingBytes, verification) = try output.write { dir in
                let xmlURL = dir.appendingPathComponent(xmlName)
                let s = try IRWriter().write(graph, xmlURL: xmlURL, binURL: dir.appendingPathComponent(binName))
                let framework = imported.frameworkPorts.reduce(into: [String: MappingFile.FrameworkTensor]()) { acc, kv in
                    acc[kv.key] = MappingFile.FrameworkTensor(name: kv.key, port: kv.value)
                }
                let bytes = try MappingFile(numbering: s.numbering, framework: framework).xmlBytes()
                try Self.write(Data(bytes), to: dir.appendingPathComponent(mappingName))
                if let metadataText { try Self.write(Data(metadataText.utf8), to: dir.appendingPathComponent(metadataName)) }
                // Verified inside the temporary folder, so a failed verification leaves nothing behind.
                return (s, bytes.count, try options.verify.map { try verify(source, xmlURL: xmlURL, inputs: verifyInputs, using: $0) })
            }
        } catch let e as ConversionFailure {
            throw e
        } catch let e as OutputFolderError {
            throw ConversionFailure(.outputFolder, e.description)
        } catch let e as IRWriteError {
            // The file as the user knows it: in the output folder, not in the temporary folder it was written to.
            throw ConversionFailure(.outputFolder, "cannot write \(folder)/\((e.path as NSString).lastPathComponent): \(e.reason); "
                + "nothing was written (an existing output folder is left as it was)")
        } catch let e as GraphError {
            throw ConversionFailure(.badNode, "\(options.modelPath): \(e)")
        } catch {
            throw ConversionFailure(.internalError, "\(options.modelPath): while writing \(folder): \(error)")
        }
        let end = clock.now

        var counts: [String: Int] = [:]
        for n in graph.nodes { counts[n.op.typeName, default: 0] += 1 }
        var report = ConversionReport(
            model: options.modelPath, outputFolder: folder,
            inputs: graph.parameters.map { .init(name: $0.name, type: $0.outputTypes[0]) },
            outputs: graph.results.map { .init(name: $0.name, type: $0.inputs[0].type) },
            opCounts: counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { ($0.key, $0.value) },
            layerCount: graph.nodeCount,
            files: [
                .init(path: "\(folder)/\(xmlName)", bytes: summary.xmlBytes),
                .init(path: "\(folder)/\(binName)", bytes: summary.binBytes),
                .init(path: "\(folder)/\(mappingName)", bytes: mappingBytes),
            ],
            deduplicatedConstants: summary.deduplicatedConstants,
            warnings: imported.warnings + foldWarnings(passes) + int8Warnings,
            passes: passes,
            seconds: ((loaded - start).seconds, (optimized - loaded).seconds, (end - optimized).seconds, (end - start).seconds),
            verification: verification)
        report.nms = nms
        report.int8 = int8Summary
        report.wroteMetadata = metadataText != nil
        if let metadataText {
            report.files.append(.init(path: "\(folder)/\(metadataName)", bytes: metadataText.utf8.count))
        }
        if options.half {
            let compressed = graph.nodes.filter { $0.op is Convert && $0.rtInfo.contains { $0.name == "decompression" } }.count
            let kept = passes.first { $0.name == CompressWeightsToFP16().name }?.result.skipped ?? []
            report.half = .init(compressed: compressed, keptInF32: kept)
        }
        return report
    }

    /// Runs the pass pipeline on the translated graph; a failing pass names the node.
    private func optimize(_ graph: Graph, with pipeline: Pipeline) throws -> [PassReport] {
        do {
            return try pipeline.run(on: graph)
        } catch let e as GraphError {
            throw ConversionFailure(.badNode, "\(options.modelPath): while optimizing: \(e)")
        } catch {
            throw ConversionFailure(.internalError, "\(options.modelPath): while optimizing: \(error)")
        }
    }

    /// Writes one file of the output folder; a failure (a full disk, a file size limit) names the file.
    private static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url)
        } catch {
            throw IRWriteError(path: url.path, error: error)
        }
    }

    /// Folds ConstantFolding left undone for `--max-fold-bytes`, as warnings naming the option.
    private func foldWarnings(_ passes: [PassReport]) -> [String] {
        var seen = Set<String>()
        return passes.filter { $0.name == ConstantFolding().name }.flatMap(\.result.warnings)
            .filter { seen.insert($0).inserted }  // ConstantFolding may run twice
            .map { "\(options.modelPath): \($0); --max-fold-bytes N raises the limit" }
    }

    /// The standard pipeline without the `--disable`d passes.
    private func pipeline() throws -> Pipeline {
        do {
            return try Pipeline.standard(half: options.half, maxFoldBytes: options.limits.maxFoldBytes).disabling(options.disabledPasses)
        } catch let e as UnknownPassError {
            throw ConversionFailure(.badOptions, "--disable: \(e)")
        }
    }

    private func copy(_ graph: Graph) throws -> Graph {
        do {
            return try graph.copy()
        } catch {
            throw ConversionFailure(.internalError, "\(options.modelPath): while copying the graph for --verify: \(error)")
        }
    }

    /// The `--verify-inputs` arrays, checked against the graph's inputs (names, element types, shapes).
    private func feeds(from path: String, for graph: Graph) throws -> [(input: String, tensor: Tensor)] {
        do {
            return try InputFeeds(NPZArchive(contentsOf: path), path: path, graph: graph).feeds
        } catch let e as NPZError {
            throw ConversionFailure(.badInputs, "--verify-inputs: \(e.message)")
        }
    }

    /// Runs `verifier` on the IR just written; a mismatch fails the conversion listing every output.
    private func verify(_ graph: Graph, xmlURL: URL, inputs: [(input: String, tensor: Tensor)]?,
                        using verifier: RoundTripVerifier) throws -> VerificationReport {
        let report: VerificationReport
        do {
            report = try verifier.verify(source: graph, xmlURL: xmlURL, given: inputs)
        } catch let e as VerificationError {
            throw verificationFailure(e)
        }
        guard report.passed else {
            throw ConversionFailure(.verificationFailed, "\(options.modelPath): --verify: the IR read back differs from the "
                + "source graph (rtol \(report.rtol), atol \(report.atol)):\n" + report.lines().map { "  " + $0 }.joined(separator: "\n"))
        }
        return report
    }

    private func verificationFailure(_ e: VerificationError) -> ConversionFailure {
        let reason: ConversionFailure.Reason = switch e.kind {
        case .noKernel, .cannotEvaluateSource: .cannotVerify
        case .roundTripBroken: .verificationFailed
        }
        return ConversionFailure(reason, "\(options.modelPath): \(e)")
    }

    /// Loads and translates the model (named, input shapes applied, conversion rt_info recorded): the graph `run`
    /// starts from, before `--nms`, the detector's `model_info` and the passes.
    public func translate() throws -> ImportedModel {
        try translate(inputShapeSpec())
    }

    private func translate(_ spec: InputShapeSpec) throws -> ImportedModel {
        let imported = try load()
        // On the translated graph, so every frontend shares the limits; before anything else works on it.
        try options.limits.check(imported.graph, model: options.modelPath)
        if imported.graph.name.isEmpty { imported.graph.name = options.stem }
        if !spec.isEmpty { try applyInputShapes(spec, to: imported.graph) }
        recordRTInfo(imported.graph, imported)
        return imported
    }

    private func inputShapeSpec() throws -> InputShapeSpec {
        do {
            return try options.inputShapeSpec()
        } catch let e as InputShapeSpec.Failure {
            throw ConversionFailure(.badOptions, e.message)
        }
    }

    /// Gives each Parameter the shape the user asked for; replacing its op re-infers everything downstream,
    /// so a shape the model cannot take fails at the node where inference breaks.
    /// Frozen inputs (`name->value`) become Consts first, so what depends only on them (an If on a sample rate)
    /// folds and the branch not taken is not re-inferred for the new shapes.
    private func applyInputShapes(_ spec: InputShapeSpec, to graph: Graph) throws {
        let inputs = graph.parameters.map { ($0.name, $0.outputTypes[0].shape) }
        let frozen: [(index: Int, dims: [Int], values: [Double])]
        do {
            frozen = try spec.frozen(inputs)
        } catch let e as InputShapeSpec.Failure {
            throw ConversionFailure(e.kind == .malformed ? .badOptions : .inputShape, "\(options.modelPath): \(e.message)")
        }
        let parameters = graph.parameters
        for f in frozen {
            try freeze(parameters[f.index], to: f.values, dims: f.dims, in: graph)
        }
        let shapes: [Shape?]
        do {
            shapes = try spec.resolve(inputs)
        } catch let e as InputShapeSpec.Failure {
            throw ConversionFailure(e.kind == .malformed ? .badOptions : .inputShape, "\(options.modelPath): \(e.message)")
        }
        for (node, shape) in zip(parameters, shapes) {
            guard let shape, graph.contains(node), let p = node.op as? Parameter else { continue }
            let before = p.shape
            do {
                try graph.replaceOp(of: node, with: Parameter(elementType: p.elementType, shape: shape))
            } catch let e as GraphError {
                throw ConversionFailure(.inputShape, "\(options.modelPath): input '\(node.name)' [\(before)] set to [\(shape)]: "
                    + "type inference fails at node '\(e.node)': \(e.message)")
            }
        }
    }

    /// Replaces the Parameter by a Const of `values` (made in i64, f32 or boolean, converted to the input's type).
    private func freeze(_ node: Node, to values: [Double], dims: [Int], in graph: Graph) throws {
        let type = node.outputTypes[0].elementType
        let tensor: Tensor
        if type == .boolean {
            tensor = .boolean(values.map { $0 != 0 }, dims: dims)
        } else if type.isInteger {
            guard values.allSatisfy({ $0.rounded() == $0 && abs($0) < 9.2e18 }) else {
                throw ConversionFailure(.badOptions, "\(options.modelPath): input '\(node.name)' is \(type); --input gives it a value that is not a whole number")
            }
            tensor = .i64(values.map { Int($0) }, dims: dims)
        } else {
            tensor = .f32(values.map { Float($0) }, dims: dims)
        }
        var value = try graph.constant(tensor, name: "\(node.name)/frozen")
        if value.elementType != type { value = try graph.add(Convert(type), [value], name: "\(node.name)/frozen/convert").output() }
        do {
            graph.moveTensorNames(from: node.output(), to: value)
            try graph.replaceAllUses(of: node.output(), with: value)
            try graph.erase(node)
        } catch let e as GraphError {
            throw ConversionFailure(.inputShape, "\(options.modelPath): input '\(node.name)' frozen to \(values.count == 1 ? "\(values[0])" : "\(values)"): "
                + "type inference fails at node '\(e.node)': \(e.message)")
        }
    }

    private func load() throws -> ImportedModel {
        try ModelFormat.of(path: options.modelPath).load(options.modelPath, options)
    }

    /// Records the converter, its version and the conversion parameters, and the source's metadata.
    private func recordRTInfo(_ graph: Graph, _ imported: ImportedModel) {
        graph.rtInfo.set(["ovconvert", "version"], .value(OVConvertVersion.current))
        // An IR read back carries its own converter's parameters: this conversion's replace them.
        graph.rtInfo.set(["conversion_parameters"], .empty)
        for (k, v) in options.recordedParameters(format: imported.format) { graph.rtInfo.set(["conversion_parameters", k], .value(v)) }
        if !imported.producer.isEmpty { graph.rtInfo.set(["framework", "producer"], .value(imported.producer)) }
        for (k, v) in imported.opsets.sorted(by: { $0.key < $1.key }) {
            graph.rtInfo.set(["framework", "opset", k], .value(String(v)))
        }
        for (k, v) in imported.metadata { graph.rtInfo.set(["framework", "metadata", k], .value(v)) }
    }
}
