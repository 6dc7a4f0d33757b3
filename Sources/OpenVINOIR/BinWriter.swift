import CSystemShims
import Foundation
import OVIR

/// Streams Const blobs into a `.bin` file, giving byte-identical blobs one shared offset.
final class BinWriter {
    private let path: String
    private var fd: Int32 = -1
    /// Small blobs are gathered here and written in large chunks.
    private var pending: [UInt8] = []
    private static let chunk = 1 << 20
    /// Bytes written so far.
    private(set) var size = 0
    /// Blobs that reused an earlier offset.
    private(set) var deduplicated = 0
    private var written: [BlobKey: [(offset: Int, tensor: Tensor)]] = [:]

    /// Blobs are grouped by size and a fingerprint of their first and last bytes; candidates are then
    /// compared byte by byte. Hashing whole blobs would read every weight twice.
    private struct BlobKey: Hashable {
        var fingerprint: Int
        var size: Int

        init(_ blob: UnsafeRawBufferPointer) {
            let edge = min(blob.count, 256)
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: blob[..<edge]))
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: blob[(blob.count - edge)...]))
            fingerprint = hasher.finalize()
            size = blob.count
        }
    }

    /// Creates (or truncates) `path`.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IRWriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Writes `tensor`'s blob unless identical bytes are already in the file; returns where it lives.
    func append(_ tensor: Tensor) throws -> (offset: Int, size: Int) {
        defer {
            // Written weights are not needed again: keep peak memory near one tensor, not the whole model.
            if case .mapped(let file, let range) = tensor.storage { file.releasePages(range) }
        }
        return try Self.withBlob(tensor) { blob in
            let key = BlobKey(blob)
            for earlier in written[key, default: []] {
                // The fingerprint only narrows the search; the bytes decide.
                if try Self.withBlob(earlier.tensor, { Self.sameBytes($0, blob) }) {
                    deduplicated += 1
                    return (earlier.offset, blob.count)
                }
            }
            let offset = size
            if case .mapped(let file, let range) = tensor.storage, blob.count >= Self.chunk {
                try copy(file, range)
            } else {
                try write(blob)
            }
            written[key, default: []].append((offset, tensor))
            return (offset, blob.count)
        }
    }

    /// Flushes and closes the file.
    func close() throws {
        guard fd >= 0 else { return }
        try flush()
        let f = fd
        fd = -1
        if Glibc.close(f) != 0 { throw IRWriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    private func write(_ blob: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw IRWriteError(path: path, reason: "already closed") }
        if blob.count < Self.chunk {
            pending.append(contentsOf: blob)
            if pending.count >= Self.chunk { try flush() }
        } else {
            try flush()
            try writeAll(blob)
        }
        size += blob.count
    }

    /// Copies a large weight from the model file inside the kernel (no page faults, no user-space copy);
    /// falls back to `write` where copy_file_range is not possible (other file systems, old kernels).
    private func copy(_ file: MappedFile, _ range: Range<Int>) throws {
        try flush()
        var offset = Int64(range.lowerBound)
        var remaining = range.count
        while remaining > 0 {
            let n = ovc_copy_file_range(file.fileDescriptor, &offset, fd, remaining)
            if n > 0 {
                remaining -= n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                let done = Int(offset) - range.lowerBound
                try writeAll(file.slice((range.lowerBound + done)..<range.upperBound))
                break
            }
        }
        size += range.count
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try writeAll($0) }
        pending.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw IRWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
    }

    private static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let x = a.baseAddress, let y = b.baseAddress else { return true }  // both empty
        return memcmp(x, y, a.count) == 0
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

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `error` of writing `path` (a Foundation error), with the system's reason (`No space left on device`).
    public init(path: String, error: Error) {
        self.init(path: path, reason: Self.reason(of: error))
    }

    /// The system's reason for `error`, without Foundation's "The operation could not be completed." wrapping.
    public static func reason(of error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return error.localizedDescription
    }
}
