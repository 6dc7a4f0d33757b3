/// Quantizes x to `levels` steps of [input_low, input_high] and maps them onto [output_low, output_high]; the four
/// ranges broadcast to x (numpy by default). The form the OpenVINO CPU plugin runs in int8.
public struct FakeQuantize: Op {
    public static let type = "FakeQuantize"
    public static let version = "opset1"
    public var levels = 256
    public var autoBroadcast = AutoBroadcast.numpy
    public static var fields: [AttributeField<Self>] { [.init("levels", \.levels), .init("auto_broadcast", \.autoBroadcast)] }
    public init() {}
    public init(levels: Int) { self.levels = levels }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 5...5)
        guard levels >= 2 else { throw ShapeInference.Failure("levels must be at least 2, got \(levels)") }
        let x = inputs[0].type
        guard x.elementType.isFloatingPoint || x.elementType == .dynamic else {
            throw ShapeInference.Failure("x must be a float tensor, got \(x.elementType)")
        }
        for r in inputs.dropFirst() where r.elementType != x.elementType && r.elementType != .dynamic && x.elementType != .dynamic {
            throw ShapeInference.Failure("the ranges' element type \(r.elementType) differs from x's \(x.elementType)")
        }
        // The ranges broadcast to x, never x to them.
        let shape = autoBroadcast == .none ? x.shape : try ShapeInference.broadcast(inputs.map(\.shape))
        if let r = shape.rank, let xr = x.shape.rank, r != xr {
            throw ShapeInference.Failure("the ranges' shapes \(inputs.dropFirst().map(\.shape)) do not broadcast to x's \(x.shape)")
        }
        return [TensorType(x.elementType, x.shape.isStatic ? x.shape : shape)]
    }
}
