import OVIR

/// ONNX `TypeProto`s as IR tensor types.
enum ONNXTypes {
    /// The tensor type of a graph input; symbolic and missing dims become dynamic.
    static func tensorType(_ type: Onnx_TypeProto, what: String, path: String) throws -> TensorType {
        guard case .tensorType(let t)? = type.value else {
            let kind: String = switch type.value {
            case .sequenceType?: "a sequence"
            case .mapType?: "a map"
            case .optionalType?: "an optional"
            case .sparseTensorType?: "a sparse tensor"
            default: "no"
            }
            throw ONNXFrontendError(.badNode, "\(path): \(what) has \(kind) type; only tensors are supported")
        }
        guard let element = ONNXElementType.elementType(t.elemType) else {
            throw ONNXFrontendError(.badNode, "\(path): \(what) has element type \(ONNXElementType.name(t.elemType)), which OpenVINO does not support")
        }
        guard t.hasShape else { return TensorType(element, .dynamicRank) }
        let dims: [Dim] = t.shape.dim.map {
            if case .dimValue(let v)? = $0.value, v >= 0 { return .fixed(Int(v)) }
            return .dynamic
        }
        guard ShapeInference.checkedElementCount(dims.compactMap(\.value)) != nil else {
            throw ONNXFrontendError(.badFile, "\(path): \(what) has an impossibly large shape \(dims.map(\.description))")
        }
        return TensorType(element, .ranked(dims))
    }
}
