/// The `.bin` layout of a string Const: `int32 N`, N+1 int32 offsets (0, then cumulative ends),
/// then the concatenated UTF-8 bytes; all little-endian.
enum StringTensorLayout {
    /// The blob for `strings`.
    static func encode(_ strings: [String]) throws -> [UInt8] {
        let utf8 = strings.map { Array($0.utf8) }
        let total = utf8.reduce(0) { $0 + $1.count }
        guard strings.count < Int32.max, total <= Int32.max else {
            throw StringLayoutError("string tensor too large for int32 offsets")
        }
        var out: [UInt8] = []
        out.reserveCapacity(4 * (strings.count + 2) + total)
        func append(_ v: Int) { withUnsafeBytes(of: Int32(v).littleEndian) { out.append(contentsOf: $0) } }
        append(strings.count)
        append(0)
        var end = 0
        for s in utf8 {
            end += s.count
            append(end)
        }
        for s in utf8 { out.append(contentsOf: s) }
        return out
    }

    /// The strings stored in `blob`; `count` is the element count the shape promises.
    static func decode(_ blob: UnsafeRawBufferPointer, count: Int) throws -> [String] {
        func int32(at i: Int) throws -> Int {
            guard i + 4 <= blob.count else { throw StringLayoutError("string blob of \(blob.count) bytes is truncated") }
            return Int(Int32(littleEndian: blob.loadUnaligned(fromByteOffset: i, as: Int32.self)))
        }
        let n = try int32(at: 0)
        guard n == count else { throw StringLayoutError("string blob holds \(n) elements, the shape has \(count)") }
        let dataStart = 4 * (n + 2)
        var strings: [String] = []
        strings.reserveCapacity(n)
        var previous = try int32(at: 4)
        for k in 0..<n {
            let end = try int32(at: 4 * (k + 2))
            guard previous >= 0, end >= previous, dataStart + end <= blob.count else {
                throw StringLayoutError("string blob offset \(end) of element \(k) is out of range")
            }
            strings.append(String(decoding: blob[(dataStart + previous)..<(dataStart + end)], as: UTF8.self))
            previous = end
        }
        return strings
    }
}

/// A string tensor that cannot be laid out or read back.
struct StringLayoutError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
