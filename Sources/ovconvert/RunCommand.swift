import ArgumentParser
import Foundation
import OVConvertKit
import OVIR

/// `ovconvert run MODEL [--inputs in.npz] [-o out.npz] [--repeat N] [-q]`: evaluates an ONNX model or an IR
/// with the reference evaluator.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate an ONNX model or an OpenVINO IR (.xml) with the reference evaluator.",
        discussion: """
        The inputs come from --inputs in.npz (numpy.savez or savez_compressed), one array per model input, named \
        after it; without --inputs, seeded random inputs are used (as --verify makes them). An ONNX model is \
        evaluated as ovconvert translates it; an .xml is read as IR with its .bin beside it. Prints each output's \
        type, shape and value range; -o writes the outputs to an .npz named after the model's outputs (bf16 \
        outputs are widened to f32, which NumPy can hold). --repeat N evaluates N times and prints the median time.

        Exit codes: 0 success; 1 internal error; 3 unreadable or invalid model file; 4 unsupported operators; \
        5 a node cannot be converted; 6 the output file cannot be written; 10 an --inputs file that cannot be read \
        or does not fit the model's inputs (a missing or unknown name, another element type, a shape the input \
        cannot take); 11 the evaluator cannot evaluate the model (an op without a kernel, or a kernel failing \
        at the named node); 64 bad command line.
        """
    )

    @Argument(help: ArgumentHelp("The ONNX model or IR .xml to evaluate.", valueName: "MODEL"))
    var model: String

    @Option(help: ArgumentHelp("Input arrays, one per model input, named after it.", valueName: "NPZ"))
    var inputs: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write the outputs to this .npz.", valueName: "NPZ"))
    var output: String?

    @Option(help: ArgumentHelp("Evaluate N times and print the median time.", valueName: "N"))
    var `repeat` = 1

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if `repeat` < 1 { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        do {
            let report = try ModelRunner(modelPath: model, inputsPath: inputs, outputPath: output, repeats: `repeat`).run()
            if !quiet { print(Self.format(report, repeats: `repeat`)) }
        } catch let failure as ConversionFailure {
            FileHandle.standardError.write(Data("ovconvert: error: \(failure.message)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }

    static func format(_ report: ModelRunner.Report, repeats: Int) -> String {
        var lines: [String] = []
        for (name, tensor) in report.inputs { lines.append("input   \(name)  \(describe(tensor))") }
        lines += report.notes.map { "note    \($0)" }
        for (name, tensor) in report.outputs { lines.append("output  \(name)  \(describe(tensor))") }
        let sorted = report.runSeconds.sorted()
        let median = sorted[sorted.count / 2]
        let timing = repeats > 1 ? String(format: "median %.2f ms over %d runs (min %.2f ms)", median * 1e3, repeats, sorted[0] * 1e3)
            : String(format: "%.2f ms", median * 1e3)
        lines.append(String(format: "time    load %.2f ms, evaluate ", report.loadSeconds * 1e3) + timing)
        return lines.joined(separator: "\n")
    }

    /// `f32 [1,84,336]  min -1.5 max 3.25 mean 0.125`.
    static func describe(_ t: Tensor) -> String {
        var text = "\(t.elementType) [\(t.dims.map(String.init).joined(separator: ","))]"
        if let values = t.doubleValues(), !values.isEmpty {
            let finite = values.filter(\.isFinite)
            if let lo = finite.min(), let hi = finite.max() {
                text += "  min \(format(lo)) max \(format(hi)) mean \(format(finite.reduce(0, +) / Double(finite.count)))"
            }
            if finite.count < values.count { text += "  (\(values.count - finite.count) non-finite)" }
        }
        return text
    }

    private static func format(_ v: Double) -> String { String(format: "%.6g", v) }
}
