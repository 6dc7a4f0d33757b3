import CZlib
import Foundation
import OVIR

/// A NumPy `.npz` archive: a ZIP file of `.npy` arrays, one per name (`numpy.savez`, and
/// `numpy.savez_compressed` whose entries are deflated). Reads ZIP64 archives (NumPy writes ZIP64 local
/// headers); writes stored entries as `numpy.savez` does.
public struct NPZArchive {
    /// The arrays in archive order, by name (the entry name without `.npy`).
    public var arrays: [(name: String, tensor: Tensor)]
    /// Arrays of a 1-byte dtype NumPy cannot name (ml_dtypes' float8/float4/int4/int2, saved as `V1` or
    /// `f1`), read as u8 bytes: the input they feed says what the bytes hold.
    public var untyped: Set<String> = []

    public init(arrays: [(name: String, tensor: Tensor)]) {
        self.arrays = arrays
    }

    /// Reads `path`; errors name the file and the entry.
    public init(contentsOf path: String) throws {
        let data: [UInt8]
        do {
            data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw NPZError("\(path): cannot read: \((error as NSError).localizedDescription)")
        }
        do {
            var arrays: [(name: String, tensor: Tensor)] = []
            for entry in try Self.entries(of: data) {
                let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
                let bytes = try entry.contents(data)
                if NPYFormat.isUntypedOneByte(bytes) { untyped.insert(name) }
                arrays.append((name, try NPYFormat.decode(bytes, name: entry.name)))
            }
            self.arrays = arrays
        } catch let e as NPZError {
            throw NPZError("\(path): \(e.message)")
        }
        var seen = Set<String>()
        for (name, _) in arrays where !seen.insert(name).inserted {
            throw NPZError("\(path): holds array '\(name)' twice")
        }
    }

    /// Writes the archive to `path` through a temporary sibling renamed into place.
    public func write(to path: String) throws {
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, tensor) in arrays {
            let body = try NPYFormat.encode(tensor)
            let entryName = Array("\(name).npy".utf8)
            guard body.count < Int(UInt32.max), out.count < Int(UInt32.max), entryName.count <= Int(UInt16.max) else {
                throw NPZError("\(path): array '\(name)' is too large for a ZIP entry without ZIP64")
            }
            let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            let offset = UInt32(out.count)
            // Local header: signature, version 2.0, no flags, stored, no time/date, crc, sizes, name.
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
                + le32(crc) + le32(UInt32(body.count)) + le32(UInt32(body.count))
                + le16(UInt16(entryName.count)) + le16(0) + entryName
            out += body
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
                + le32(crc) + le32(UInt32(body.count)) + le32(UInt32(body.count))
                + le16(UInt16(entryName.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset)
                + entryName
        }
        guard arrays.count < Int(UInt16.max), out.count < Int(UInt32.max) else {
            throw NPZError("\(path): too many or too large arrays for a ZIP archive without ZIP64")
        }
        let directoryOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(arrays.count)) + le16(UInt16(arrays.count))
            + le32(UInt32(central.count)) + le32(directoryOffset) + le16(0)
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try Data(out).write(to: temp)
            guard rename(temp.path, path) == 0 else { throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno)) }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw NPZError("\(path): cannot write: \((error as NSError).localizedDescription)")
        }
    }

    // MARK: - ZIP reading

    /// One central-directory entry.
    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int

        /// The entry's bytes, inflated if deflated, CRC-checked.
        func contents(_ zip: [UInt8]) throws -> [UInt8] {
            func fail(_ why: String) -> NPZError { NPZError("entry '\(name)': \(why)") }
            guard flags & 1 == 0 else { throw fail("is encrypted") }
            let h = localHeaderOffset
            guard h >= 0, h <= zip.count - 30, read32(zip, h) == 0x0403_4B50 else { throw fail("bad local header") }
            let start = h + 30 + Int(read16(zip, h + 26)) + Int(read16(zip, h + 28))
            guard compressedSize >= 0, start <= zip.count, compressedSize <= zip.count - start else { throw fail("truncated") }
            let raw = Array(zip[start..<(start + compressedSize)])
            let bytes: [UInt8]
            switch method {
            case 0: bytes = raw
            case 8: bytes = try inflate(raw, size: size, fail)
            default: throw fail("compression method \(method) is not supported (stored and deflate are)")
            }
            guard bytes.count == size else { throw fail("holds \(bytes.count) bytes, its header says \(size)") }
            let actual = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
            guard actual == crc else { throw fail("CRC mismatch (the file is damaged)") }
            return bytes
        }
    }

    /// The central directory's entries (through the ZIP64 end record when the archive has one). Offsets read from
    /// the file may be anything up to Int.max, so they are compared with what is left (`at <= count - n`), never added to.
    static func entries(of zip: [UInt8]) throws -> [Entry] {
        // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB, at the very end.
        guard zip.count >= 22 else { throw NPZError("not a ZIP (.npz) file: too short") }
        var end = zip.count - 22
        let lowest = max(0, zip.count - 22 - 0xFFFF)
        while end >= lowest, read32(zip, end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else { throw NPZError("not a ZIP (.npz) file: no end-of-central-directory record") }
        var count = Int(read16(zip, end + 10))
        var directory = Int(read32(zip, end + 16))
        if (count == 0xFFFF || directory == 0xFFFF_FFFF), end >= 20, read32(zip, end - 20) == 0x0706_4B50 {
            let record = Int(clamping: read64(zip, end - 12))
            guard record >= 0, record <= zip.count - 56, read32(zip, record) == 0x0606_4B50 else {
                throw NPZError("bad ZIP64 end-of-central-directory record")
            }
            count = Int(clamping: read64(zip, record + 32))
            directory = Int(clamping: read64(zip, record + 48))
        }
        var entries: [Entry] = []
        var at = directory
        for _ in 0..<count {
            guard at >= 0, at <= zip.count - 46, read32(zip, at) == 0x0201_4B50 else {
                throw NPZError("bad central directory entry at offset \(at)")
            }
            let nameLength = Int(read16(zip, at + 28)), extraLength = Int(read16(zip, at + 30))
            let commentLength = Int(read16(zip, at + 32))
            guard at + 46 + nameLength + extraLength <= zip.count else { throw NPZError("truncated central directory") }
            var entry = Entry(
                name: String(decoding: zip[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                method: read16(zip, at + 10), flags: read16(zip, at + 8), crc: read32(zip, at + 16),
                compressedSize: Int(read32(zip, at + 20)), size: Int(read32(zip, at + 24)),
                localHeaderOffset: Int(read32(zip, at + 42)))
            try applyZip64Extra(&entry, zip, from: at + 46 + nameLength, length: extraLength)
            entries.append(entry)
            at += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// Takes the 64-bit sizes and offset from a ZIP64 extra field, for those whose 32-bit field is all ones.
    static func applyZip64Extra(_ entry: inout Entry, _ zip: [UInt8], from start: Int, length: Int) throws {
        var at = start
        while at + 4 <= start + length {
            let id = read16(zip, at), size = Int(read16(zip, at + 2))
            guard at + 4 + size <= start + length else { break }
            if id == 0x0001 {
                var field = at + 4
                func next() throws -> Int {
                    guard field + 8 <= at + 4 + size else { throw NPZError("entry '\(entry.name)': short ZIP64 extra field") }
                    defer { field += 8 }
                    return Int(clamping: read64(zip, field))
                }
                if entry.size == 0xFFFF_FFFF { entry.size = try next() }
                if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
                if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
            }
            at += 4 + size
        }
    }

    /// Raw-deflate decompression of exactly `size` bytes.
    static func inflate(_ input: [UInt8], size: Int, _ fail: (String) -> NPZError) throws -> [UInt8] {
        guard size >= 0, size < Int(UInt32.max) else { throw fail("too large to inflate") }
        // Deflate expands at most 1032:1, so a larger size in the header is a lie: refuse it before allocating it.
        guard size <= input.count * 1032 else {
            throw fail("its header says \(size) bytes, more than its \(input.count) deflated bytes can hold")
        }
        var output = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        var input = input
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, stream.total_out == size else {
            throw fail("deflated data is damaged or does not hold \(size) bytes")
        }
        return output
    }
}

/// An unreadable or unusable `.npz` file, or arrays that do not fit the model; the message names the file
/// and the array.
public struct NPZError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

private func read16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
private func read32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(read16(b, at)) | UInt32(read16(b, at + 2)) << 16 }
private func read64(_ b: [UInt8], _ at: Int) -> UInt64 { UInt64(read32(b, at)) | UInt64(read32(b, at + 4)) << 32 }
private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
private func le32(_ v: UInt32) -> [UInt8] { le16(UInt16(v & 0xFFFF)) + le16(UInt16(v >> 16)) }
