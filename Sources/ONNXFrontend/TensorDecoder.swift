import Foundation
import OVIR

/// Turns `TensorProto`s into IR tensors: raw_data and external data as slices of mapped files,
/// typed fields (float_data, int64_data, ...) packed into owned bytes.
struct TensorDecoder {
    let modelPath: String
    let file: MappedFile
    let rawData: [[Int]: Range<Int>]
    let external: ExternalDataResolver

    /// Decodes the tensor found at `path` (see ONNXWireScanner); `what` names it in errors.
    func tensor(_ proto: Onnx_TensorProto, path: [Int], what: String) throws -> Tensor {
        func fail(_ why: String) -> ONNXFrontendError { ONNXFrontendError(.badFile, "\(modelPath): \(what): \(why)") }
        guard let type = ONNXElementType.elementType(proto.dataType) else {
            throw fail("element type \(ONNXElementType.name(proto.dataType)) is not supported by OpenVINO")
        }
        var count = 1
        for d in proto.dims {
            guard d >= 0 else { throw fail("negative dimension \(d) in \(proto.dims)") }
            let (p, o) = count.multipliedReportingOverflow(by: Int(d))
            guard !o, p <= Int.max / 64 else { throw fail("impossible size: dims \(proto.dims) overflow") }
            count = p
        }
        let dims = proto.dims.map(Int.init)
        if type == .string {
            guard proto.stringData.count == count else { throw fail("has \(proto.stringData.count) strings for \(count) elements") }
            return Tensor(strings: proto.stringData.map { String(decoding: $0, as: UTF8.self) }, dims: dims)
        }
        let expected = type.byteCount(elements: count)
        if proto.dataLocation == .external {
            let entries = Dictionary(proto.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            return Tensor(type, dims: dims, storage: try external.storage(tensor: proto.name, entries: entries, expected: expected))
        }
        if let span = rawData[path] {
            guard span.count == expected else {
                throw fail("raw_data holds \(span.count) bytes but \(type) \(dims) needs \(expected)")
            }
            return Tensor(type, dims: dims, storage: .mapped(file, span))
        }
        let bytes = try typedBytes(proto, type: type, count: count, fail: fail)
        guard bytes.count == expected else {
            throw fail("holds \(bytes.count) bytes of data but \(type) \(dims) needs \(expected)")
        }
        return Tensor(type, dims: dims, bytes: bytes)
    }

    /// Packs the typed repeated fields as little-endian bytes.
    private func typedBytes(_ p: Onnx_TensorProto, type: ElementType, count: Int, fail: (String) -> ONNXFrontendError) throws -> [UInt8] {
        func pack<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: values.count * MemoryLayout<T>.size)
            out.withUnsafeMutableBytes { raw in
                for (i, v) in values.enumerated() { raw.storeBytes(of: v.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self) }
            }
            return out
        }
        switch type {
        case .f32: return pack(p.floatData.map(\.bitPattern))
        case .f64: return pack(p.doubleData.map(\.bitPattern))
        case .i64: return pack(p.int64Data)
        case .i32: return pack(p.int32Data)
        case .i16: return pack(p.int32Data.map { Int16(truncatingIfNeeded: $0) })
        case .u16, .f16, .bf16: return pack(p.int32Data.map { UInt16(truncatingIfNeeded: $0) })
        case .i8, .u8, .boolean, .f8e4m3, .f8e5m2, .f8e8m0: return p.int32Data.map { UInt8(truncatingIfNeeded: $0) }
        case .u4, .i4, .f4e2m1, .u2:
            // Sub-byte values arrive already packed, one byte per int32_data element.
            return p.int32Data.map { UInt8(truncatingIfNeeded: $0) }
        case .u32: return pack(p.uint64Data.map { UInt32(truncatingIfNeeded: $0) })
        case .u64: return pack(p.uint64Data)
        default: throw fail("typed data of element type \(type) is not supported")
        }
    }
}
