/// The shape of its input as a 1-D tensor.
public struct ShapeOf: Op {
    public static let type = "ShapeOf"
    public static let version = "opset3"
    public var outputType: ElementType = .i64
    public static var fields: [AttributeField<Self>] { [.init("output_type", \.outputType)] }
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [TensorType(outputType, .ranked([inputs[0].shape.rank.map(Dim.fixed) ?? .dynamic]))]
    }

    /// The input's dims, static or not.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard let dims = inputs.first?.shape.dims, dims.count <= ShapeInference.valueLimit else { return nil }
        return dims
    }
}
