import Foundation
import OVIR

/// Streams Const blobs into a `.bin` file, giving byte-identical blobs one shared offset.
final class BinWriter {
    private let path: String
    private var file: UnsafeMutablePointer<FILE>?
    /// Bytes written so far.
    private(set) var size = 0
    /// Blobs that reused an earlier offset.
    private(set) var deduplicated = 0
    private var written: [BlobKey: [(offset: Int, tensor: Tensor)]] = [:]

    private struct BlobKey: Hashable {
        var hash: Int
        var size: Int
    }

    /// Creates (or truncates) `path`.
    init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "wb") else { throw IRWriteError(path: path, reason: String(cString: strerror(errno))) }
        file = f
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Writes `tensor`'s blob unless identical bytes are already in the file; returns where it lives.
    func append(_ tensor: Tensor) throws -> (offset: Int, size: Int) {
        defer {
            // Written weights are not needed again: keep peak memory near one tensor, not the whole model.
            if case .mapped(let file, let range) = tensor.storage { file.releasePages(range) }
        }
        return try Self.withBlob(tensor) { blob in
            var hasher = Hasher()
            hasher.combine(bytes: blob)
            let key = BlobKey(hash: hasher.finalize(), size: blob.count)
            for earlier in written[key, default: []] {
                // The hash only narrows the search; the bytes decide.
                if try Self.withBlob(earlier.tensor, { $0.elementsEqual(blob) }) {
                    deduplicated += 1
                    return (earlier.offset, blob.count)
                }
            }
            let offset = size
            try write(blob)
            written[key, default: []].append((offset, tensor))
            return (offset, blob.count)
        }
    }

    /// Flushes and closes the file.
    func close() throws {
        guard let f = file else { return }
        file = nil
        if fclose(f) != 0 { throw IRWriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    private func write(_ blob: UnsafeRawBufferPointer) throws {
        guard let f = file else { throw IRWriteError(path: path, reason: "already closed") }
        guard let base = blob.baseAddress, !blob.isEmpty else { return }
        if fwrite(base, 1, blob.count, f) != blob.count {
            throw IRWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        size += blob.count
    }

    /// The bytes a tensor occupies in the BIN: its own bytes, or the string layout for string tensors.
    static func withBlob<R>(_ tensor: Tensor, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if tensor.elementType == .string {
            return try StringTensorLayout.encode(tensor.strings).withUnsafeBytes(body)
        }
        return try tensor.withUnsafeBytes(body)
    }
}

/// The XML or BIN file could not be written.
public struct IRWriteError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
