/// Batch normalization with given statistics (v5 input order: data, gamma, beta, mean, variance).
public struct BatchNormInference: Op {
    public static let type = "BatchNormInference"
    public static let version = "opset5"
    public var epsilon = 0.0
    public static var fields: [AttributeField<Self>] { [.init("epsilon", \.epsilon)] }
    public init() {}
    public init(epsilon: Double) { self.epsilon = epsilon }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 5...5)
        let data = inputs[0]
        if let rank = data.shape.rank, rank < 2 {
            throw ShapeInference.Failure("data must have rank 2 or more, got \(data.shape)")
        }
        var channels = data.shape.dims?[1] ?? .dynamic
        for input in inputs.dropFirst() {
            guard let d = input.shape.dims else { continue }
            guard d.count == 1, d[0].isCompatible(with: channels) else {
                throw ShapeInference.Failure("gamma, beta, mean and variance must be 1-D of the channel count \(channels), got \(input.shape)")
            }
            if !channels.isStatic { channels = d[0] }
        }
        return [data.type]
    }
}
