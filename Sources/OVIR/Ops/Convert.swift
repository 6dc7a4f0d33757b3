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

    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        Self.convertedValue(inputs.first?.value, to: destinationType)
    }

    /// The value after conversion to `type`, for the types that hold every value exactly (shape arithmetic
    /// often goes through f32 and back).
    static func convertedValue(_ value: [Dim]?, to type: ElementType) -> [Dim]? {
        guard let value else { return nil }
        switch type {
        case .i64, .i32, .f32, .f64: return value
        case .u64, .u32: return value.allSatisfy { $0.lower >= 0 } ? value : nil
        default: return nil
        }
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

    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        inputs.count == 2 ? Convert.convertedValue(inputs[0].value, to: inputs[1].elementType) : nil
    }
}
