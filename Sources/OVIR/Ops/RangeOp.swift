/// The numbers `start, start+step, ...` below `stop` (above it for a negative step).
public struct RangeOp: Op {
    public static let type = "Range"
    public static let version = "opset4"
    public var outputType: ElementType = .dynamic
    public static var fields: [AttributeField<Self>] { [.init("output_type", \.outputType)] }
    public init() {}
    public init(outputType: ElementType) { self.outputType = outputType }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        for (k, i) in inputs.enumerated() where (i.shape.rank ?? 0) > 1 || (i.shape.staticDims.map { $0.reduce(1, *) != 1 } ?? false) {
            throw ShapeInference.Failure("input \(k) must be a scalar, got shape \(i.shape)")
        }
        // A Const's value, or a computed one known exactly.
        func scalar(_ input: InferenceInput) -> Double? {
            input.constant?.doubleValues()?.first ?? input.intValues?.first.map(Double.init)
        }
        guard let start = scalar(inputs[0]), let stop = scalar(inputs[1]), let step = scalar(inputs[2]) else {
            return [TensorType(outputType, .ranked([.dynamic]))]
        }
        guard step != 0 else { throw ShapeInference.Failure("step must not be 0") }
        // OpenVINO casts the inputs to an integer output type before computing the length.
        let (b, e, s) = outputType.isInteger ? (start.rounded(.towardZero), stop.rounded(.towardZero), step.rounded(.towardZero)) : (start, stop, step)
        guard s != 0 else { throw ShapeInference.Failure("step must not be 0 after conversion to \(outputType)") }
        let length = ((e - b) / s).rounded(.up)
        guard length.isFinite, length < 1e15 else {
            throw ShapeInference.Failure("the length of Range(\(start), \(stop), \(step)) is not a usable size")
        }
        return [TensorType(outputType, .fixed([max(0, Int(length))]))]
    }
}
