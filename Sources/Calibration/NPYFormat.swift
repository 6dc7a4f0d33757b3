import OVIR

/// The `.npy` array format (NumPy's `numpy.lib.format`, versions 1.0–3.0): a magic string, a Python-literal
/// header dict (`descr`, `fortran_order`, `shape`) and the raw elements.
public enum NPYFormat {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The `descr` spelling of each element type an array can hold (little-endian, as NumPy writes on
    /// x86-64 and arm64).
    static let descriptors: [(ElementType, String)] = [
        (.f64, "<f8"), (.f32, "<f4"), (.f16, "<f2"),
        (.i64, "<i8"), (.i32, "<i4"), (.i16, "<i2"), (.i8, "|i1"),
        (.u64, "<u8"), (.u32, "<u4"), (.u16, "<u2"), (.u8, "|u1"),
        (.boolean, "|b1"),
    ]

    /// The 1-byte dtypes ml_dtypes' float8, float4, int4 and int2 arrays are saved with: NumPy cannot name
    /// them, so their bytes are read as u8 and the model's input type says what they hold (`InputFeeds`).
    static let untypedOneByte: Set<String> = ["V1", "f1"]

    /// Whether `bytes` holds an array of one of `untypedOneByte`'s dtypes.
    static func isUntypedOneByte(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 10, Array(bytes[0..<6]) == magic else { return false }
        let text = String(decoding: bytes[10..<min(bytes.count, 138)], as: UTF8.self)
        return untypedOneByte.contains { text.contains("'descr': '<\($0)'") || text.contains("'descr': '|\($0)'") }
    }

    /// Decodes one array; `name` (the archive entry) appears in every error.
    public static func decode(_ bytes: [UInt8], name: String) throws -> Tensor {
        func fail(_ why: String) -> NPZError { NPZError("\(name): \(why)") }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not an .npy array (bad magic)") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated header") }
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
            headerStart = 12
        default:
            throw fail("unsupported .npy format version \(major).\(bytes[7])")
        }
        guard headerStart + headerLength <= bytes.count else { throw fail("truncated header") }
        let text = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let header: NPYHeader
        do { header = try NPYHeader(parsing: text) } catch let e as NPYHeader.Malformed { throw fail("malformed header (\(e.why)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))") }

        let type = try elementType(header.descr, fail)
        guard let count = ShapeInference.checkedElementCount(header.shape) else {
            throw fail("shape \(header.shape) is too large")
        }
        let size = type.bitWidth / 8
        let dataStart = headerStart + headerLength
        guard bytes.count - dataStart == count * size else {
            throw fail("holds \(bytes.count - dataStart) data bytes, shape \(header.shape) of \(header.descr) needs \(count * size)")
        }
        let data = Array(bytes[dataStart...])
        guard header.fortranOrder, header.shape.count > 1 else { return Tensor(type, dims: header.shape, bytes: data) }
        // Column-major data of `shape` is row-major data of the reversed shape; transpose it back.
        return Tensor(type, dims: header.shape, bytes: reverseAxes(data, dims: header.shape.reversed(), size: size))
    }

    /// Encodes a tensor as a version 1.0 array (the header padded so the data starts 64-byte aligned).
    public static func encode(_ tensor: Tensor) throws -> [UInt8] {
        guard let descr = descriptors.first(where: { $0.0 == tensor.elementType })?.1 else {
            throw NPZError("element type \(tensor.elementType) has no NumPy equivalent")
        }
        let shape = tensor.dims.count == 1 ? "(\(tensor.dims[0]),)" : "(" + tensor.dims.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }".utf8)
        let unpadded = magic.count + 4 + header.count + 1
        header += Array(repeating: UInt8(ascii: " "), count: (64 - unpadded % 64) % 64) + [UInt8(ascii: "\n")]
        guard header.count <= Int(UInt16.max) else { throw NPZError("shape \(tensor.dims) makes too long an .npy header") }
        return magic + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + tensor.bytes
    }

    static func elementType(_ descr: String, _ fail: (String) -> NPZError) throws -> ElementType {
        // '=' is native order and '|' "not applicable" (1-byte types); both are little-endian data here.
        var spelled = descr
        if let first = spelled.first, first == "=" || first == "|" || first == "<" { spelled.removeFirst() }
        if let match = descriptors.first(where: { $0.1.dropFirst() == spelled }) { return match.0 }
        // NumPy has no bfloat16: arrays of ml_dtypes.bfloat16 (what ONNX and JAX tools use) are saved as
        // 2-byte void, the only 2-byte type ml_dtypes adds.
        if spelled == "V2" { return .bf16 }
        if untypedOneByte.contains(spelled) { return .u8 }
        if descr.hasPrefix(">") {
            throw fail("dtype '\(descr)' is big-endian; save it little-endian (array.astype('<\(descr.dropFirst())'))")
        }
        throw fail("dtype '\(descr)' is not supported (numbers and booleans only: f2/f4/f8, i1–i8, u1–u8, b1, "
            + "V2 read as ml_dtypes.bfloat16, V1/f1 as the input's 1-byte or narrower type)")
    }

    /// Transposes row-major `data` of `dims` by reversing its axes.
    static func reverseAxes(_ data: [UInt8], dims: [Int], size: Int) -> [UInt8] {
        let rank = dims.count
        var strides = Array(repeating: size, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * dims[i + 1] }
        let outDims = Array(dims.reversed()), inStrides = Array(strides.reversed())
        var out = [UInt8](repeating: 0, count: data.count)
        var index = Array(repeating: 0, count: rank)
        var offset = 0
        for o in 0..<(data.count / max(size, 1)) {
            for b in 0..<size { out[o * size + b] = data[offset + b] }
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += inStrides[axis]
                if index[axis] < outDims[axis] { break }
                offset -= inStrides[axis] * outDims[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }
}

/// The header dict of an `.npy` array: `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }`.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    struct Malformed: Error { let why: String }

    /// Parses the Python literal NumPy writes (string keys; a string, a bool and a tuple of ints as values).
    init(parsing text: String) throws {
        var scanner = Scanner(Array(text.utf8))
        var descr: String?, fortran: Bool?, shape: [Int]?
        try scanner.expect("{")
        while try !scanner.take("}") {
            let key = try scanner.string()
            try scanner.expect(":")
            switch key {
            case "descr": descr = try scanner.string()
            case "fortran_order": fortran = try scanner.bool()
            case "shape": shape = try scanner.intTuple()
            default: throw Malformed(why: "unknown key '\(key)'")
            }
            if try !scanner.take(",") { try scanner.expect("}"); break }
        }
        guard let descr, let fortran, let shape else { throw Malformed(why: "needs descr, fortran_order and shape") }
        self.descr = descr
        self.fortranOrder = fortran
        self.shape = shape
    }

    private struct Scanner {
        let text: [UInt8]
        var at = 0
        init(_ text: [UInt8]) { self.text = text }

        mutating func skipSpace() { while at < text.count, text[at] == 0x20 || text[at] == 0x0A || text[at] == 0x09 { at += 1 } }

        mutating func take(_ token: String) throws -> Bool {
            skipSpace()
            let t = Array(token.utf8)
            guard at + t.count <= text.count, Array(text[at..<(at + t.count)]) == t else { return false }
            at += t.count
            return true
        }

        mutating func expect(_ token: String) throws {
            guard try take(token) else { throw Malformed(why: "expected '\(token)' at offset \(at)") }
        }

        mutating func string() throws -> String {
            skipSpace()
            guard at < text.count, text[at] == UInt8(ascii: "'") || text[at] == UInt8(ascii: "\"") else {
                throw Malformed(why: "expected a string at offset \(at)")
            }
            let quote = text[at]
            at += 1
            let start = at
            while at < text.count, text[at] != quote { at += 1 }
            guard at < text.count else { throw Malformed(why: "unterminated string") }
            defer { at += 1 }
            return String(decoding: text[start..<at], as: UTF8.self)
        }

        mutating func bool() throws -> Bool {
            if try take("True") { return true }
            if try take("False") { return false }
            throw Malformed(why: "expected True or False at offset \(at)")
        }

        mutating func intTuple() throws -> [Int] {
            try expect("(")
            var values: [Int] = []
            while try !take(")") {
                skipSpace()
                let start = at
                while at < text.count, (0x30...0x39).contains(text[at]) { at += 1 }
                guard at > start, let v = Int(String(decoding: text[start..<at], as: UTF8.self)) else {
                    throw Malformed(why: "expected a dim at offset \(start)")
                }
                values.append(v)
                if try !take(",") { try expect(")"); break }
            }
            return values
        }
    }
}
