/// A model output.
public struct Result: Op {
    public static let type = "Result"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return []
    }
}
