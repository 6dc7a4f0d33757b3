/// A model input.
public struct Parameter: Op {
    public static let type = "Parameter"
    public static let version = "opset1"
    public var shape: Shape = .dynamicRank
    public var elementType: ElementType = .f32
    public static var fields: [AttributeField<Self>] { [.init("shape", \.shape), .init("element_type", \.elementType)] }

    public init() {}
    public init(elementType: ElementType, shape: Shape) {
        self.elementType = elementType
        self.shape = shape
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 0...0)
        return [TensorType(elementType, shape)]
    }
}
