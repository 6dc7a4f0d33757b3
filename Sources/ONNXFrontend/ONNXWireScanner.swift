/// Walks the protobuf wire format of a model and records where each `TensorProto.raw_data` lies.
///
/// The generated schema reserves `raw_data`, so swift-protobuf skips weight bytes instead of copying
/// them; this scanner finds the same tensors by their path (field number and index at each level,
/// e.g. `[7,0, 5,3]` = `graph.initializer[3]`) so weights become slices of the mapped file.
struct ONNXWireScanner {
    /// The message kinds that can contain tensors, and which of their fields lead to them.
    private enum Kind { case model, graph, node, attribute, tensor, sparseTensor }

    private static let children: [Kind: [Int: Kind]] = [
        .model: [7: .graph],
        .graph: [1: .node, 5: .tensor, 15: .sparseTensor],
        .node: [5: .attribute],
        .attribute: [5: .tensor, 10: .tensor, 6: .graph, 11: .graph, 22: .sparseTensor, 23: .sparseTensor],
        .sparseTensor: [1: .tensor, 2: .tensor],
    ]
    /// Singular message fields: protobuf merges repeated occurrences into one message, so they all map
    /// to index 0 (and the last raw_data wins, as in the decoded message).
    private static let singular: [Kind: Set<Int>] = [
        .model: [7], .attribute: [5, 6, 22], .sparseTensor: [1, 2],
    ]
    private static let rawDataField = 9
    private static let maxDepth = 64

    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "malformed protobuf at byte \(offset): \(reason)" }
    }

    private let bytes: UnsafeRawBufferPointer
    private(set) var rawData: [[Int]: Range<Int>] = [:]

    /// Scans a serialized `ModelProto`.
    static func scan(_ bytes: UnsafeRawBufferPointer) throws -> [[Int]: Range<Int>] {
        var scanner = ONNXWireScanner(bytes: bytes)
        try scanner.scan(.model, 0..<bytes.count, path: [], depth: 0)
        return scanner.rawData
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private mutating func scan(_ kind: Kind, _ range: Range<Int>, path: [Int], depth: Int) throws {
        guard depth < Self.maxDepth else { throw Malformed(offset: range.lowerBound, reason: "nesting deeper than \(Self.maxDepth)") }
        var counts: [Int: Int] = [:]
        var pos = range.lowerBound
        let end = range.upperBound
        while pos < end {
            let tagStart = pos
            let tag = try varint(&pos, end)
            let field = Int(tag >> 3)
            guard field > 0 else { throw Malformed(offset: tagStart, reason: "field number 0") }
            switch tag & 7 {
            case 0: _ = try varint(&pos, end)
            case 1: try skip(&pos, 8, end)
            case 5: try skip(&pos, 4, end)
            case 2:
                let length = try varint(&pos, end)
                guard length <= UInt64(end - pos) else { throw Malformed(offset: tagStart, reason: "length \(length) runs past the end") }
                let body = pos..<(pos + Int(length))
                if kind == .tensor, field == Self.rawDataField {
                    rawData[path] = body
                } else if let child = Self.children[kind]?[field] {
                    let index = Self.singular[kind]?.contains(field) == true ? 0 : counts[field, default: 0]
                    counts[field] = index + 1
                    try scan(child, body, path: path + [field, index], depth: depth + 1)
                }
                pos = body.upperBound
            default:
                throw Malformed(offset: tagStart, reason: "unsupported wire type \(tag & 7)")
            }
        }
    }

    private func varint(_ pos: inout Int, _ end: Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        let start = pos
        while true {
            guard pos < end else { throw Malformed(offset: start, reason: "truncated varint") }
            let b = bytes[pos]
            pos += 1
            guard shift < 64 else { throw Malformed(offset: start, reason: "varint too long") }
            value |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
    }

    private func skip(_ pos: inout Int, _ n: Int, _ end: Int) throws {
        guard end - pos >= n else { throw Malformed(offset: pos, reason: "truncated fixed-width field") }
        pos += n
    }
}
