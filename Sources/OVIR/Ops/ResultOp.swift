/// A model output (`Result`; named so it does not shadow `Swift.Result`).
public struct ResultOp: Op {
    public static let type = "Result"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return []
    }
}
