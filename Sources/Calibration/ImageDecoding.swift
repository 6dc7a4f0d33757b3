import Foundation

/// Turns the bytes of an image file into RGB pixels. `ImageDecoder` reads JPEG and PNG; tests and other callers
/// may give their own.
public protocol ImageDecoding: Sendable {
    /// Decodes `bytes`, the contents of the file at `path` (named in every error).
    func decode(_ bytes: [UInt8], path: String) throws -> RGBImage
}

extension ImageDecoding {
    /// Reads and decodes the file at `path`.
    public func decode(fileAt path: String) throws -> RGBImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw CalibrationError(.unreadable, "\(path): \(reason)")
        }
        return try decode([UInt8](data), path: path)
    }
}
