/// One-hot encoding: a new axis of size `depth` holding `on_value` at each index and `off_value` elsewhere.
public struct OneHot: Op {
    public static let type = "OneHot"
    public static let version = "opset1"
    public var axis = -1
    public static var fields: [AttributeField<Self>] { [.init("axis", \.axis)] }
    public init() {}
    public init(axis: Int) { self.axis = axis }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 4...4)
        let elementType = try ShapeInference.commonElementType([inputs[2].elementType, inputs[3].elementType])
        guard var dims = inputs[0].shape.dims else { return [TensorType(elementType, .dynamicRank)] }
        let a = try ShapeInference.axis(axis, rank: dims.count + 1)
        let depth = inputs[1].intValues?.first
        if let depth, depth < 0 { throw ShapeInference.Failure("depth \(depth) is negative") }
        dims.insert(depth.map(Dim.fixed) ?? .dynamic, at: a)
        return [TensorType(elementType, .ranked(dims))]
    }
}
