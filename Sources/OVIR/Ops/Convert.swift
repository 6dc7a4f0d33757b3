/// Converts elements to `destination_type`.
public struct Convert: Op {
    public static let type = "Convert"
    public static let version = "opset1"
    public var destinationType: ElementType = .dynamic
    public static var fields: [AttributeField<Self>] { [.init("destination_type", \.destinationType)] }
    public init() {}
    public init(_ destinationType: ElementType) { self.destinationType = destinationType }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [TensorType(destinationType, inputs[0].shape)]
    }
}

/// Converts the first input to the element type of the second.
public struct ConvertLike: Op {
    public static let type = "ConvertLike"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        return [TensorType(inputs[1].elementType, inputs[0].shape)]
    }
}
