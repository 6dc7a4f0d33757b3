/// Calibration data that cannot be used: a missing path, an unreadable or damaged file, no samples, or data that
/// does not fit the model. The message names the file (or the folder, or the YAML and its key).
public struct CalibrationError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, for the exit code a caller maps it to.
    public enum Kind: Sendable, Equatable {
        /// The path (or a folder or list a dataset YAML names) does not exist.
        case notFound
        /// A file cannot be read or decoded.
        case unreadable
        /// Nothing to calibrate on.
        case empty
        /// The data does not fit the model's inputs (channels, shape, element type, input names).
        case mismatch
        /// An option out of range (subset, mean/scale, image size).
        case badOptions
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
