/// Element-wise `cond ? then : else` with broadcasting.
public struct Select: Op {
    public static let type = "Select"
    public static let version = "opset1"
    public var autoBroadcast = AutoBroadcast.numpy
    public static var fields: [AttributeField<Self>] { [.init("auto_broadcast", \.autoBroadcast)] }
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        let (c, t, e) = (inputs[0].type, inputs[1].type, inputs[2].type)
        guard c.elementType == .boolean || c.elementType == .dynamic else {
            throw ShapeInference.Failure("condition must be boolean, got \(c.elementType)")
        }
        guard t.elementType == e.elementType || t.elementType == .dynamic || e.elementType == .dynamic else {
            throw ShapeInference.Failure("then/else element types differ: \(t.elementType) and \(e.elementType)")
        }
        let type = t.elementType == .dynamic ? e.elementType : t.elementType
        switch autoBroadcast {
        case .none:
            let shapes = [c.shape, t.shape, e.shape].filter(\.isStatic)
            guard Set(shapes).count <= 1 else { throw ShapeInference.Failure("shapes differ and auto_broadcast is none") }
            return [TensorType(type, shapes.first ?? t.shape)]
        case .numpy:
            return [TensorType(type, try ShapeInference.broadcast(ShapeInference.broadcast(t.shape, e.shape), c.shape))]
        case .pdpd:
            // pdpd broadcasts `else` and `cond` into `then`'s shape.
            return [TensorType(type, t.shape)]
        }
    }
}
