import Foundation
import OVIR

/// One tensor of a safetensors file: its dtype as spelled in the header, its shape, and its bytes' absolute
/// range in the file.
public struct SafetensorsEntry: Equatable, Sendable {
    /// The dtype as the header spells it (`F32`, `BF16`, `I64`, ...).
    public var dtype: String
    /// The dims; `[]` is a scalar, a 0 dim an empty tensor.
    public var shape: [Int]
    /// The bytes' absolute range in the file (not relative to the data section).
    public var range: Range<Int>

    public init(dtype: String, shape: [Int], range: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.range = range
    }
}

/// A memory-mapped safetensors file (`[u64 N little-endian][N-byte JSON header][data]`), with the header checked
/// the way the reference reader checks it before any tensor is handed out. Tensors are slices of the mapping.
public final class SafetensorsFile: Sendable {
    /// The file, as given to `init`.
    public let path: String
    /// The `__metadata__` object (string → string), empty when absent.
    public let metadata: [String: String]
    /// Every tensor by key.
    public let entries: [String: SafetensorsEntry]
    private let file: MappedFile

    /// The largest header the reference reader accepts.
    public static let maxHeaderSize = 100_000_000

    /// Bits per element of every dtype the format defines.
    static let bitWidths: [String: Int] = [
        "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8,
        "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
        "I32": 32, "U32": 32, "F32": 32,
        "I64": 64, "U64": 64, "F64": 64, "C64": 64,
        "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
    ]

    /// The dtypes that have an OpenVINO element type.
    static let elementTypes: [String: ElementType] = [
        "BOOL": .boolean, "U8": .u8, "I8": .i8, "I16": .i16, "U16": .u16, "I32": .i32, "U32": .u32, "I64": .i64, "U64": .u64,
        "F16": .f16, "BF16": .bf16, "F32": .f32, "F64": .f64, "F8_E4M3": .f8e4m3, "F8_E5M2": .f8e5m2, "F8_E8M0": .f8e8m0,
    ]

    /// Maps `path` and validates its header: length, JSON syntax (strict: no duplicate keys), entry fields,
    /// dtypes, byte counts, and offsets that tile the data section exactly.
    public init(path: String) throws {
        self.path = path
        func fail(_ message: String) -> TorchScriptFrontendError { TorchScriptFrontendError(.badWeights, "\(path): \(message)") }
        do {
            file = try MappedFile(path: path)
        } catch {
            throw fail((error as? MappedFileError)?.reason ?? "\(error)")
        }
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw fail("\(bytes.count) bytes is too short for a safetensors file (it starts with an 8-byte header length)")
        }
        let length = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard length <= UInt64(Self.maxHeaderSize) else {
            throw fail("header length \(length) is larger than the limit of \(Self.maxHeaderSize) bytes")
        }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= bytes.count else {
            throw fail("header length \(length) runs past the end of the file (\(bytes.count) bytes)")
        }
        let header = UnsafeRawBufferPointer(rebasing: bytes[8..<headerEnd])
        guard header.first == UInt8(ascii: "{") else { throw fail("the header is not a JSON object (it does not start with '{')") }
        var reader = StrictJSONReader(bytes: header)
        let root: JSONValue
        do {
            root = try reader.readDocument()
        } catch let e as StrictJSONReader.Failure {
            throw fail("the header is not valid JSON: \(e.reason) at byte \(8 + e.offset)")
        }
        guard case .object(let members) = root else { throw fail("the header is not a JSON object") }

        let dataSize = bytes.count - headerEnd
        var metadata: [String: String] = [:]
        var entries: [String: SafetensorsEntry] = [:]
        var layout: [(key: String, begin: Int, end: Int)] = []
        for (key, value) in members {
            if key == "__metadata__" {
                guard case .object(let pairs) = value else { throw fail("__metadata__ is not an object") }
                for (name, item) in pairs {
                    guard case .string(let text) = item else { throw fail("__metadata__ value for '\(name)' is not a string") }
                    metadata[name] = text
                }
                continue
            }
            let entry = try Self.entry(key, value, dataSize: dataSize, fail: fail)
            entries[key] = SafetensorsEntry(dtype: entry.dtype, shape: entry.shape, range: (headerEnd + entry.begin)..<(headerEnd + entry.end))
            layout.append((key, entry.begin, entry.end))
        }

        // The tensors must tile the data section: sorted by offset, each starts where the previous one ends.
        layout.sort { ($0.begin, $0.end, $0.key) < ($1.begin, $1.end, $1.key) }
        var previous: (key: String, begin: Int, end: Int)?
        for item in layout {
            let expected = previous?.end ?? 0
            if item.begin < expected, let previous {
                throw fail("tensor '\(item.key)' (data_offsets [\(item.begin), \(item.end)]) overlaps tensor '\(previous.key)' "
                    + "([\(previous.begin), \(previous.end)])")
            }
            if item.begin > expected {
                throw fail("tensor '\(item.key)' starts at data offset \(item.begin), leaving a hole: "
                    + (previous.map { "tensor '\($0.key)' ends at \($0.end)" } ?? "the data must start at offset 0"))
            }
            previous = item
        }
        let used = previous?.end ?? 0
        guard used == dataSize else {
            throw fail("the data section has \(dataSize) bytes but the tensors cover \(used) (\(dataSize - used) bytes unaccounted for)")
        }
        self.metadata = metadata
        self.entries = entries
    }

    /// The tensor under `key` as a slice of the mapped file, or nil when the file has no such key.
    public func tensor(_ key: String) throws -> Tensor? {
        guard let entry = entries[key] else { return nil }
        guard let type = Self.elementTypes[entry.dtype] else {
            throw TorchScriptFrontendError(.badWeights, "\(path): tensor '\(key)' has dtype \(entry.dtype), which has no OpenVINO element type")
        }
        return Tensor(type, dims: entry.shape, storage: .mapped(file, entry.range))
    }

    /// Checks one tensor entry (`{"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}`) on its own.
    private static func entry(_ key: String, _ value: JSONValue, dataSize: Int, fail: (String) -> TorchScriptFrontendError) throws
        -> (dtype: String, shape: [Int], begin: Int, end: Int)
    {
        guard case .object(let fields) = value else { throw fail("tensor '\(key)': the entry is not an object") }
        func integers(_ value: JSONValue, _ what: String) throws -> [Int] {
            guard case .array(let items) = value else { throw fail("tensor '\(key)': \(what) is not an array") }
            return try items.map { item in
                guard case .number(let lexeme) = item else { throw fail("tensor '\(key)': \(what) holds a non-number") }
                guard !lexeme.hasPrefix("-") else { throw fail("tensor '\(key)': \(what) holds the negative value \(lexeme)") }
                guard lexeme.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                    throw fail("tensor '\(key)': \(what) holds the non-integer \(lexeme)")
                }
                guard let n = Int(lexeme) else { throw fail("tensor '\(key)': \(what) holds \(lexeme), which is too large") }
                return n
            }
        }
        var dtype: String?
        var shape: [Int]?
        var offsets: [Int]?
        for (name, item) in fields {
            switch name {
            case "dtype":
                guard case .string(let text) = item else { throw fail("tensor '\(key)': dtype is not a string") }
                dtype = text
            case "shape": shape = try integers(item, "shape")
            case "data_offsets": offsets = try integers(item, "data_offsets")
            default: throw fail("tensor '\(key)': unexpected field '\(name)'")
            }
        }
        guard let dtype else { throw fail("tensor '\(key)': the entry has no dtype") }
        guard let shape else { throw fail("tensor '\(key)': the entry has no shape") }
        guard let offsets else { throw fail("tensor '\(key)': the entry has no data_offsets") }
        guard offsets.count == 2 else { throw fail("tensor '\(key)': data_offsets has \(offsets.count) numbers, not 2") }
        guard let bits = bitWidths[dtype] else { throw fail("tensor '\(key)': unknown dtype '\(dtype)'") }
        var elements = 1
        for dim in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw fail("tensor '\(key)': shape \(shape) has too many elements") }
            elements = product
        }
        let (totalBits, overflow) = elements.multipliedReportingOverflow(by: bits)
        guard !overflow else { throw fail("tensor '\(key)': shape \(shape) has too many elements") }
        guard totalBits % 8 == 0 else { throw fail("tensor '\(key)': \(elements) elements of \(dtype) are not a whole number of bytes") }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw fail("tensor '\(key)': data_offsets [\(begin), \(end)] end before they begin") }
        guard end <= dataSize else {
            throw fail("tensor '\(key)': data_offsets [\(begin), \(end)] run past the end of the data section (\(dataSize) bytes)")
        }
        guard end - begin == totalBits / 8 else {
            throw fail("tensor '\(key)': data_offsets [\(begin), \(end)] hold \(end - begin) bytes but \(dtype) \(shape) needs \(totalBits / 8)")
        }
        return (dtype, shape, begin, end)
    }
}

/// A parsed JSON value; objects keep their members in order.
private indirect enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// The number as written; the schema decides what it may be.
    case number(String)
    case bool(Bool)
    case null
}

/// A strict RFC 8259 reader for safetensors headers: duplicate keys, invalid UTF-8, lone surrogates, control
/// characters in strings and anything but whitespace after the value are errors. Nesting is capped.
private struct StrictJSONReader {
    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    let bytes: UnsafeRawBufferPointer
    var pos = 0
    static let maxDepth = 32

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func readDocument() throws -> JSONValue {
        let value = try readValue(depth: 0)
        skipWhitespace()
        guard pos == bytes.count else { throw Failure(offset: pos, reason: "trailing bytes after the header object") }
        return value
    }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipWhitespace() {
        while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { pos += 1 }
    }

    private mutating func expect(_ b: UInt8, _ what: String) throws {
        skipWhitespace()
        guard peek == b else { throw Failure(offset: pos, reason: "expected \(what)") }
        pos += 1
    }

    private mutating func readValue(depth: Int) throws -> JSONValue {
        guard depth < Self.maxDepth else { throw Failure(offset: pos, reason: "nesting deeper than \(Self.maxDepth) levels") }
        skipWhitespace()
        guard let b = peek else { throw Failure(offset: pos, reason: "unexpected end of the header") }
        switch b {
        case UInt8(ascii: "{"):
            pos += 1
            var members: [(key: String, value: JSONValue)] = []
            var keys = Set<String>()
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                pos += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                let keyOffset = pos
                guard peek == UInt8(ascii: "\"") else { throw Failure(offset: pos, reason: "expected a string key") }
                let key = try readString()
                guard keys.insert(key).inserted else { throw Failure(offset: keyOffset, reason: "duplicate key '\(key)'") }
                try expect(UInt8(ascii: ":"), "':'")
                members.append((key, try readValue(depth: depth + 1)))
                skipWhitespace()
                if peek == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return .object(members)
            }
        case UInt8(ascii: "["):
            pos += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                pos += 1
                return .array(items)
            }
            while true {
                items.append(try readValue(depth: depth + 1))
                skipWhitespace()
                if peek == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        default:
            for (word, value) in [("true", JSONValue.bool(true)), ("false", .bool(false)), ("null", .null)] where matches(word) {
                pos += word.utf8.count
                return value
            }
            throw Failure(offset: pos, reason: "unexpected character '\(Unicode.Scalar(b))'")
        }
    }

    private func matches(_ word: String) -> Bool {
        word.utf8.count <= bytes.count - pos && zip(word.utf8, bytes[pos...]).allSatisfy { $0 == $1 }
    }

    /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func readNumber() throws -> String {
        let start = pos
        func digits() -> Int {
            let from = pos
            while let b = peek, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { pos += 1 }
            return pos - from
        }
        if peek == UInt8(ascii: "-") { pos += 1 }
        let first = pos
        guard digits() > 0 else { throw Failure(offset: pos, reason: "expected a digit") }
        guard bytes[first] != UInt8(ascii: "0") || pos - first == 1 else { throw Failure(offset: first, reason: "a number with a leading zero") }
        if peek == UInt8(ascii: ".") {
            pos += 1
            guard digits() > 0 else { throw Failure(offset: pos, reason: "expected a digit after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard digits() > 0 else { throw Failure(offset: pos, reason: "expected an exponent") }
        }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    /// A string at `pos` (on its opening quote), escapes resolved, checked to be valid UTF-8.
    private mutating func readString() throws -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while true {
            guard let b = peek else { throw Failure(offset: start, reason: "unterminated string") }
            pos += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw Failure(offset: start, reason: "a string that is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw Failure(offset: start, reason: "unterminated string") }
                pos += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard peek == UInt8(ascii: "\\"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw Failure(offset: pos, reason: "a lone surrogate in a \\u escape")
                        }
                        pos += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Failure(offset: pos, reason: "a lone surrogate in a \\u escape") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw Failure(offset: pos, reason: "a lone surrogate in a \\u escape") }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw Failure(offset: pos - 1, reason: "an invalid escape '\\\(Unicode.Scalar(e))'")
                }
            default:
                guard b >= 0x20 else { throw Failure(offset: pos - 1, reason: "a control character inside a string") }
                out.append(b)
            }
        }
    }

    private mutating func readHex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw Failure(offset: pos, reason: "expected 4 hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A")) + 10
            default: throw Failure(offset: pos, reason: "expected 4 hex digits")
            }
            value = value * 16 + digit
            pos += 1
        }
        return value
    }
}
