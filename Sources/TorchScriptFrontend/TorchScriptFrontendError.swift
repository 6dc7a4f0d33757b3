/// A failure to read or translate a TorchScript dump; the message names the file and the line, node or key.
public struct TorchScriptFrontendError: Error, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The dump text does not parse (file:line:column, the line, what was expected).
        case syntax
        /// The weights file is missing, malformed, or does not match the dump (hash, key, dtype, shape).
        case badWeights
        /// Ops without a translator (all listed, with counts).
        case unsupported
        /// A node that cannot be translated as written.
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
