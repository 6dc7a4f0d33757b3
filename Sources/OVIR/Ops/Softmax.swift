// Normalized exponentials along one axis.

/// softmax along `axis` (v8 accepts negative axes; type spelled `SoftMax`).
public struct Softmax: Op {
    public static let type = "SoftMax"
    public static let version = "opset8"
    public var axis = 1
    public static var fields: [AttributeField<Self>] { [.init("axis", \.axis)] }
    public init() {}
    public init(axis: Int) { self.axis = axis }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        if let rank = inputs[0].shape.rank { _ = try ShapeInference.axis(axis, rank: rank) }
        return [inputs[0].type]
    }
}

/// log(softmax) along `axis`.
public struct LogSoftmax: Op {
    public static let type = "LogSoftmax"
    public static let version = "opset5"
    public var axis = 1
    public static var fields: [AttributeField<Self>] { [.init("axis", \.axis)] }
    public init() {}
    public init(axis: Int) { self.axis = axis }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        if let rank = inputs[0].shape.rank { _ = try ShapeInference.axis(axis, rank: rank) }
        return [inputs[0].type]
    }
}
