/// The coordinates of the non-zero elements, shaped `[rank, count]`.
public struct NonZero: Op {
    public static let type = "NonZero"
    public static let version = "opset3"
    public var outputType: ElementType = .i64
    public static var fields: [AttributeField<Self>] { [.init("output_type", \.outputType)] }
    public init() {}
    public init(outputType: ElementType) { self.outputType = outputType }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        guard outputType == .i64 || outputType == .i32 else { throw ShapeInference.Failure("output_type must be i64 or i32") }
        // A scalar counts as rank 1: OpenVINO's CPU plugin gives [1, n] for it (measured), as numpy's
        // nonzero on a 0-d array does.
        return [TensorType(outputType, .ranked([inputs[0].shape.rank.map { Dim.fixed(Swift.max($0, 1)) } ?? .dynamic, .dynamic]))]
    }
}
