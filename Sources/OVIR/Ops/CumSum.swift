/// Cumulative sum along a scalar `axis` input.
public struct CumSum: Op {
    public static let type = "CumSum"
    public static let version = "opset3"
    public var exclusive = false
    public var reverse = false
    public static var fields: [AttributeField<Self>] { [.init("exclusive", \.exclusive), .init("reverse", \.reverse)] }
    public init() {}
    public init(exclusive: Bool, reverse: Bool) {
        self.exclusive = exclusive
        self.reverse = reverse
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...2)
        if inputs.count == 2, let r = inputs[1].shape.rank, r != 0 {
            throw ShapeInference.Failure("axis must be a scalar, got \(inputs[1].shape)")
        }
        if inputs.count == 2, let axis = inputs[1].intValues?.first, let rank = inputs[0].shape.rank {
            _ = try ShapeInference.axis(axis, rank: rank)
        }
        return [inputs[0].type]
    }
}
