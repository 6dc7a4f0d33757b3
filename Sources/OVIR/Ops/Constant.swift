/// A constant tensor. The serializer writes its `<data>` (element_type, shape, offset, size) itself.
public struct Constant: Op {
    public static let type = "Const"
    public static let version = "opset1"
    public var tensor: Tensor

    public init() { tensor = Tensor(.f32, dims: [0], bytes: []) }
    public init(_ tensor: Tensor) { self.tensor = tensor }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 0...0)
        return [tensor.type]
    }
}
