import ArgumentParser
import Foundation
import OVConvertKit

/// `ovconvert MODEL [-o DIR] [--force] [-q|-v]`: converts an ONNX model to OpenVINO IR.
@main
struct OVConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ovconvert",
        abstract: "Convert an ONNX model to OpenVINO IR v11 (XML + BIN + mapping file).",
        discussion: """
        Writes <stem>_openvino_model/ next to the model (or DIR with -o), holding <stem>.xml, <stem>.bin and \
        <stem>.mapping (ONNX tensor names → IR layer/port, in the legacy Model Optimizer layout). The folder is \
        built in a temporary folder and renamed into place at the end, so a failed conversion leaves nothing behind.

        Exit codes: 0 success; 1 internal error; 3 unreadable or invalid model file \
        (including external data outside the model's folder); 4 unsupported operators (all listed at once); \
        5 a node cannot be converted; 6 the output folder exists (use --force) or cannot be written; 64 bad command line.
        """,
        version: OVConvertVersion.current
    )

    @Argument(help: ArgumentHelp("The ONNX model to convert.", valueName: "MODEL"))
    var model: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "The output folder (default: <stem>_openvino_model next to the model).", valueName: "DIR"))
    var output: String?

    @Flag(help: "Replace the output folder if it already exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print the time of each stage and every op count.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("-q/--quiet and -v/--verbose cannot be combined") }
    }

    func run() throws {
        let options = ConversionOptions(modelPath: model, outputFolder: output, force: force)
        do {
            let report = try Converter(options).run()
            if !quiet {
                for w in report.warnings { FileHandle.standardError.write(Data("ovconvert: warning: \(w)\n".utf8)) }
                print(SummaryFormatter(verbose: verbose).format(report))
            }
        } catch let failure as ConversionFailure {
            FileHandle.standardError.write(Data("ovconvert: error: \(failure.message)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}
