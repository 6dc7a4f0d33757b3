/// An op applied element by element to one input: output type = input type.
public protocol UnaryElementwiseOp: Op {}

extension UnaryElementwiseOp {
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [inputs[0].type]
    }
}

/// How binary ops broadcast their inputs (`auto_broadcast`).
public enum AutoBroadcast: String, IREnum {
    case none, numpy, pdpd
}

/// An op applied element by element to two broadcast inputs.
public protocol BinaryElementwiseOp: Op {
    var autoBroadcast: AutoBroadcast { get set }
    /// True for comparisons and logical ops (output is boolean).
    static var producesBoolean: Bool { get }
}

extension BinaryElementwiseOp {
    public static var producesBoolean: Bool { false }
    public static var fields: [AttributeField<Self>] { [.init("auto_broadcast", \.autoBroadcast)] }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let (a, b) = (inputs[0].type, inputs[1].type)
        guard a.elementType == b.elementType || a.elementType == .dynamic || b.elementType == .dynamic else {
            throw ShapeInference.Failure("element types differ: \(a.elementType) and \(b.elementType)")
        }
        let shape: Shape
        switch autoBroadcast {
        case .none:
            guard a.shape == b.shape || !a.shape.isStatic || !b.shape.isStatic else {
                throw ShapeInference.Failure("shapes \(a.shape) and \(b.shape) differ and auto_broadcast is none")
            }
            shape = a.shape.isStatic ? a.shape : b.shape
        case .numpy, .pdpd:
            shape = try ShapeInference.broadcast(a.shape, b.shape)
        }
        return [TensorType(Self.producesBoolean ? .boolean : a.elementType, shape)]
    }
}
