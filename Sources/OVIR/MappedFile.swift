import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory-mapped file. Tensors can point into it, so weights are never copied.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let count: Int
    /// The open file, kept so its bytes can also be copied inside the kernel (copy_file_range).
    public let fileDescriptor: Int32
    private let base: UnsafeRawPointer?

    /// Maps `path` read-only. Empty files map to an empty buffer.
    public init(path: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not hang; it is rejected below as not a regular file.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: String(cString: strerror(errno))) }
        func fail(_ reason: String) -> MappedFileError {
            close(fd)
            return MappedFileError(path: path, reason: reason)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail(String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw fail((st.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "not a regular file")
        }
        fileDescriptor = fd
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw fail(String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
        close(fileDescriptor)
    }

    /// The whole mapping.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Lets the kernel drop the resident pages inside `range` (they are re-read from the file if touched
    /// again), so streaming weights out of a large model does not keep them all in memory.
    public func releasePages(_ range: Range<Int>) {
        guard let base, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = min(range.upperBound, count) / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    /// A checked sub-range of the mapping.
    public func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }
}

/// A file that could not be opened or mapped.
public struct MappedFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}
