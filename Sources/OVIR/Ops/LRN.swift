/// Local response normalization over the axes given by the second input.
public struct LRN: Op {
    public static let type = "LRN"
    public static let version = "opset1"
    public var alpha = 0.0
    public var beta = 0.0
    public var bias = 0.0
    public var size = 0
    public static var fields: [AttributeField<Self>] {
        [.init("alpha", \.alpha), .init("beta", \.beta), .init("bias", \.bias), .init("size", \.size)]
    }
    public init() {}
    public init(alpha: Double, beta: Double, bias: Double, size: Int) {
        (self.alpha, self.beta, self.bias, self.size) = (alpha, beta, bias, size)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        try ShapeInference.checkAxesInput(inputs[1], rank: inputs[0].shape.rank, op: "LRN")
        return [inputs[0].type]
    }
}
