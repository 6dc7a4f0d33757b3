/// Why a conversion failed: a message naming the file (and node) and a stable exit code.
public struct ConversionFailure: Error, CustomStringConvertible {
    public enum Reason: Int32, Sendable {
        case internalError = 1
        case badModelFile = 3
        case unsupportedOperators = 4
        case badNode = 5
        case outputFolder = 6
        /// An `--input`/`--batch`/`--imgsz` shape the model contradicts: unknown input, wrong rank, a
        /// changed static dim, or type inference failing at a named node.
        case inputShape = 7
        /// `--verify`: the IR read back from disk gives different outputs than the source graph (or cannot
        /// be read back or evaluated); the output folder is not written.
        case verificationFailed = 8
        /// `--verify` cannot run: an op without an evaluator kernel (all named), or inputs it cannot generate.
        case cannotVerify = 9
        /// An `.npz` of inputs (`run --inputs`, `--verify-inputs`) that cannot be read, or whose arrays do not
        /// fit the model's inputs (a missing or unknown name, another element type, a shape the input cannot take).
        case badInputs = 10
        /// `run`: the evaluator cannot evaluate the model (an op without a kernel, or a kernel failing at a node).
        case evaluationFailed = 11
        /// `--nms` cannot post-process the model: no output is a YOLO-style detection head, or the model already
        /// ends in NMS or final detections, or its task has no boxes to suppress per class.
        case nmsNotApplicable = 12
        /// A TorchScript dump's weights file that is missing, malformed (its safetensors header), or does not
        /// match the dump (its graph_sha256, a missing key, another dtype or shape than the annotation).
        case badWeights = 13
        /// The model exceeds a `ConversionLimits` limit (`--max-nodes`, `--max-subgraph-depth`); the message names
        /// the limit and the option that raises it.
        case limitExceeded = 14
        /// `--int8 --data`: calibration data that cannot be used: a missing folder or YAML, an unreadable or damaged
        /// file (named), no samples, or samples that do not fit the model's inputs (channels, shape, type, names).
        case calibrationData = 15
        /// Malformed options (as the command line's usage errors, EX_USAGE).
        case badOptions = 64
    }

    public let reason: Reason
    public let message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var exitCode: Int32 { reason.rawValue }
    public var description: String { message }
}
