import Calibration
import Evaluator
import Foundation
import OpenVINOIR
import OVIR

/// `ovconvert run`: evaluates an ONNX model (as translated) or an OpenVINO IR with the reference evaluator,
/// on inputs from an `.npz` archive (or seeded random inputs), optionally writing the outputs to an `.npz`.
public struct ModelRunner {
    /// The model: an OpenVINO IR `.xml` (its `.bin` beside it) or an ONNX model, recognized by content.
    public var modelPath: String
    /// Input arrays by input name; nil uses `RoundTripVerifier`'s seeded random inputs.
    public var inputsPath: String?
    /// Where to write the outputs (`.npz`, named after the model's outputs); nil writes nothing.
    public var outputPath: String?
    /// How many times to evaluate (for timing); the outputs are those of the last run.
    public var repeats: Int

    public init(modelPath: String, inputsPath: String? = nil, outputPath: String? = nil, repeats: Int = 1) {
        self.modelPath = modelPath
        self.inputsPath = inputsPath
        self.outputPath = outputPath
        self.repeats = repeats
    }

    /// What a run computed.
    public struct Report {
        /// Each input's name and the tensor fed to it.
        public let inputs: [(name: String, tensor: Tensor)]
        /// Notes on generated inputs (dynamic dims given their lower bound), empty with an `.npz`.
        public let notes: [String]
        /// Each output's name (the Result's, i.e. the source model's output name) and value.
        public let outputs: [(name: String, tensor: Tensor)]
        /// Seconds to load the model, and per evaluation.
        public let loadSeconds: Double
        public let runSeconds: [Double]
    }

    /// Loads, evaluates and (with `outputPath`) writes; failures carry a `ConversionFailure` exit code.
    public func run() throws -> Report {
        guard repeats >= 1 else { throw ConversionFailure(.badOptions, "--repeat must be at least 1") }
        let clock = ContinuousClock()
        let start = clock.now
        let graph = try load()
        let loaded = clock.now

        let inputs: [(name: String, tensor: Tensor)], notes: [String]
        if let inputsPath {
            do {
                inputs = try InputFeeds(NPZArchive(contentsOf: inputsPath), path: inputsPath, graph: graph).feeds.map { ($0.input, $0.tensor) }
            } catch let e as NPZError {
                throw ConversionFailure(.badInputs, e.message)
            }
            notes = []
        } else {
            do {
                let random = try RoundTripVerifier.randomInputs(for: graph)
                inputs = graph.parameters.map { ($0.name, random.feeds[$0.name]!) }
                notes = random.notes
            } catch let e as VerificationError {
                throw ConversionFailure(.badInputs, "\(modelPath): cannot generate inputs: \(e)")
            }
        }
        let evaluator = Evaluator()
        let missing = evaluator.missingKernels(in: graph)
        guard missing.isEmpty else {
            throw ConversionFailure(.evaluationFailed, "\(modelPath): the evaluator has no kernel for op "
                + "type\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        let feeds = Dictionary(uniqueKeysWithValues: inputs.map { ($0.name, $0.tensor) })
        var outputs: [Tensor] = []
        var times: [Double] = []
        for _ in 0..<repeats {
            let before = clock.now
            do {
                outputs = try evaluator.run(graph, inputs: feeds)
            } catch {
                throw ConversionFailure(.evaluationFailed, "\(modelPath): \(error)")
            }
            times.append((clock.now - before).seconds)
        }
        let named = zip(graph.results, outputs).map { ($0.name, $1) }
        if let outputPath {
            do {
                try NPZArchive(arrays: named.map { ($0.0, try Self.storable($0.1, name: $0.0)) }).write(to: outputPath)
            } catch let e as NPZError {
                throw ConversionFailure(.outputFolder, e.message)
            }
        }
        return Report(inputs: inputs, notes: notes, outputs: named, loadSeconds: (loaded - start).seconds, runSeconds: times)
    }

    /// The output as NumPy can hold it: the float types it lacks (bf16, float8, float4) widen to f32 and
    /// the narrow integers to i8/u8, all exactly.
    static func storable(_ tensor: Tensor, name: String) throws -> Tensor {
        let wider: ElementType
        switch tensor.elementType {
        case .bf16, .f8e4m3, .f8e5m2, .f4e2m1: wider = .f32
        case .i4: wider = .i8
        case .u4, .u2: wider = .u8
        default: return tensor
        }
        do {
            return try Evaluator().convert(tensor, to: wider)
        } catch {
            throw NPZError("output '\(name)' (\(tensor.elementType)) cannot be stored: \(error)")
        }
    }

    private func load() throws -> Graph {
        try Converter(ConversionOptions(modelPath: modelPath)).translate().graph
    }
}
