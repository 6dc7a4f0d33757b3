import ArgumentParser
import OVConvertKit

/// `ovconvert`: `convert` (the default, so `ovconvert MODEL ...` converts) and `run`.
@main
struct OVConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ovconvert",
        abstract: "Convert ONNX models to OpenVINO IR v11, and evaluate models with ovconvert's reference evaluator.",
        discussion: """
        `ovconvert MODEL ...` is short for `ovconvert convert MODEL ...`. \
        See `ovconvert help convert` and `ovconvert help run`.
        """,
        version: OVConvertVersion.current,
        subcommands: [ConvertCommand.self, RunCommand.self],
        defaultSubcommand: ConvertCommand.self
    )
}
