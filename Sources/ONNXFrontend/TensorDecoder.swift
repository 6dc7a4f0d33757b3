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
        if let d = proto.dims.first(where: { $0 < 0 }) { throw fail("negative dimension \(d) in \(proto.dims)") }
        let dims = proto.dims.map(Int.init)
        guard let count = ShapeInference.checkedElementCount(dims) else { throw fail("impossible size: dims \(proto.dims) overflow") }
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
        let tensor = try typedTensor(proto, type: type, dims: dims, fail: fail)
        guard tensor.byteCount == expected else {
            throw fail("holds \(tensor.byteCount) bytes of data but \(type) \(dims) needs \(expected)")
        }
        return tensor
    }

    /// The typed repeated fields, packed little-endian as OpenVINO lays the type out.
    private func typedTensor(_ p: Onnx_TensorProto, type: ElementType, dims: [Int], fail: (String) -> ONNXFrontendError) throws -> Tensor {
        func pack<T: FixedWidthInteger>(_ values: [T]) -> Tensor { Tensor(type, dims: dims, integers: values) }
        switch type {
        case .f32: return pack(p.floatData.map(\.bitPattern))
        case .f64: return pack(p.doubleData.map(\.bitPattern))
        case .i64: return pack(p.int64Data)
        case .i32: return pack(p.int32Data)
        case .i16: return pack(p.int32Data.map { Int16(truncatingIfNeeded: $0) })
        case .u16, .f16, .bf16: return pack(p.int32Data.map { UInt16(truncatingIfNeeded: $0) })
        // One byte per int32_data element; sub-byte values (u4, i4, f4e2m1, u2) arrive already packed.
        case .i8, .u8, .boolean, .f8e4m3, .f8e5m2, .f8e8m0, .u4, .i4, .f4e2m1, .u2:
            return pack(p.int32Data.map { UInt8(truncatingIfNeeded: $0) })
        case .u32: return pack(p.uint64Data.map { UInt32(truncatingIfNeeded: $0) })
        case .u64: return pack(p.uint64Data)
        default: throw fail("typed data of element type \(type) is not supported")
        }
    }
}
