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

    /// Shape subgraphs choose dims with Select: a known condition picks the known branch's elements.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard inputs.count == 3, autoBroadcast == .numpy, inputs.allSatisfy({ ($0.shape.rank ?? 2) <= 1 }),
              let cond = inputs[0].value.flatMap(ShapeInference.exactValues),
              let then = inputs[1].value, let otherwise = inputs[2].value else { return nil }
        let n = max(cond.count, then.count, otherwise.count)
        guard [cond.count, then.count, otherwise.count].allSatisfy({ $0 == n || $0 == 1 }) else { return nil }
        func at<T>(_ v: [T], _ i: Int) -> T { v[v.count == 1 ? 0 : i] }
        return (0..<n).map { at(cond, $0) != 0 ? at(then, $0) : at(otherwise, $0) }
    }
}
