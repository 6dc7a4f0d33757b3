/// A failure to load or translate an ONNX model; the message names the file and, where there is one, the node.
public struct ONNXFrontendError: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The file is missing, unreadable, or not a valid ONNX protobuf.
        case badFile
        /// External data is missing, out of bounds, or points outside the model's folder.
        case badExternalData
        /// The model uses operators no translator handles.
        case unsupported
        /// A node cannot be translated (bad attributes, inconsistent inputs...).
        case badNode
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
