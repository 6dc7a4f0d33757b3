import Foundation
import OVIR

/// Resolves `TensorProto.external_data` to slices of memory-mapped files inside the model's folder.
///
/// Rejects absolute paths, `..` components, symlinks leading out of the folder, the ONNX Runtime
/// in-memory tag, and offset/length outside the file (checked without overflow).
final class ExternalDataResolver {
    private let modelFile: String
    private let folder: String
    private var files: [String: MappedFile] = [:]

    init(modelPath: String) {
        modelFile = modelPath
        let dir = (modelPath as NSString).deletingLastPathComponent
        folder = Self.realPath(dir.isEmpty ? "." : dir) ?? dir
    }

    /// The bytes of a tensor stored externally; `expected` is the size its type and dims need.
    func storage(tensor: String, entries: [String: String], expected: Int) throws -> TensorStorage {
        func fail(_ why: String) -> ONNXFrontendError {
            ONNXFrontendError(.badExternalData, "\(modelFile): initializer '\(tensor)': external data \(why)")
        }
        guard let location = entries["location"], !location.isEmpty else { throw fail("has no location") }
        if location.contains("_ORT_MEM_ADDR_") { throw fail("uses the in-memory address tag '\(location)', which is never valid in a file") }
        if location.hasPrefix("/") || location.hasPrefix("\\") || location.contains(":") && location.first?.isLetter == true && location.dropFirst().first == ":" {
            throw fail("location '\(location)' is an absolute path; it must be relative to the model's folder")
        }
        let parts = location.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { throw fail("location '\(location)' leaves the model's folder ('..')") }
        let joined = (folder as NSString).appendingPathComponent(parts.joined(separator: "/"))
        guard let resolved = Self.realPath(joined) else { throw fail("file '\(location)' does not exist") }
        guard resolved.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw fail("location '\(location)' resolves to '\(resolved)', outside the model's folder (symlink?)")
        }
        let file: MappedFile
        if let f = files[resolved] { file = f } else {
            do { file = try MappedFile(path: resolved) } catch { throw fail("file '\(location)' cannot be read: \(error)") }
            files[resolved] = file
        }
        let offset = try Self.number(entries["offset"], default: 0) ?? { throw fail("offset '\(entries["offset"]!)' is not a valid size") }()
        let length = try Self.number(entries["length"], default: expected) ?? { throw fail("length '\(entries["length"]!)' is not a valid size") }()
        let (endOffset, overflow) = offset.addingReportingOverflow(length)
        guard !overflow, endOffset <= file.count else {
            throw fail("offset \(offset) + length \(length) runs past the end of '\(location)' (\(file.count) bytes)")
        }
        guard length == expected else { throw fail("length \(length) does not match the \(expected) bytes its type and shape need") }
        return .mapped(file, offset..<endOffset)
    }

    /// Parses a non-negative size; nil when malformed.
    private static func number(_ text: String?, default value: Int) throws -> Int? {
        guard let text else { return value }
        guard let v = UInt64(text.trimmingCharacters(in: .whitespaces)), v <= UInt64(Int.max) else { return nil }
        return Int(v)
    }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
