/// Broadcasts data to a target shape.
public struct Broadcast: Op {
    public enum Mode: String, IREnum { case numpy, explicit, bidirectional }
    public static let type = "Broadcast"
    public static let version = "opset3"
    public var mode: Mode = .numpy
    public static var fields: [AttributeField<Self>] { [.init("mode", \.mode)] }
    public init() {}
    public init(mode: Mode) { self.mode = mode }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, mode == .explicit ? 3...3 : 2...2)
        let data = inputs[0].type
        let target: Shape
        if let values = inputs[1].intValues {
            guard values.allSatisfy({ $0 >= 0 }) else { throw ShapeInference.Failure("target shape \(values) has a negative dim") }
            target = .fixed(values)
        } else if let value = inputs[1].value {
            target = .ranked(value.map(ShapeInference.size))
        } else {
            target = .dynamic(rank: inputs[1].shape.staticDims?.first)
        }
        switch mode {
        case .explicit:
            return [TensorType(data.elementType, target)]
        case .numpy:
            guard let t = target.dims, let d = data.shape.dims else { return [TensorType(data.elementType, target)] }
            guard d.count <= t.count else { throw ShapeInference.Failure("cannot broadcast rank \(d.count) to rank \(t.count)") }
            let padded = Array(repeating: Dim.fixed(1), count: t.count - d.count) + d
            return [TensorType(data.elementType, .ranked(try zip(padded, t).map { x, y in
                if let xv = x.value, let yv = y.value, xv != 1, xv != yv {
                    throw ShapeInference.Failure("cannot broadcast \(data.shape) to \(target)")
                }
                // An unknown target dim stays unknown even over a data dim other than 1, as in OpenVINO.
                return y
            }))]
        case .bidirectional:
            return [TensorType(data.elementType, try ShapeInference.broadcast(data.shape, target))]
        }
    }

    /// One known element repeated (ConstantOfShape of a small computed shape).
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard let v = inputs.first?.value, v.count == 1, let target = inputs[1].intValues,
              let n = ShapeInference.checkedElementCount(target), n <= ShapeInference.valueLimit else { return nil }
        return Array(repeating: v[0], count: n)
    }
}
