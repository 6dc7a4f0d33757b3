/// The channels along `axis` read as `[group, C/group]` and written as `[C/group, group]`: the Reshape,
/// Transpose, Reshape that ShuffleNet's channel shuffle is exported as, in one op.
public struct ShuffleChannels: Op {
    public static let type = "ShuffleChannels"
    public static let version = "opset1"
    public var axis = 1
    public var group = 1
    public static var fields: [AttributeField<Self>] { [.init("axis", \.axis), .init("group", \.group)] }
    public init() {}
    public init(axis: Int, group: Int) { (self.axis, self.group) = (axis, group) }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        guard group > 0 else { throw ShapeInference.Failure("group must be positive, got \(group)") }
        let data = inputs[0]
        guard let d = data.shape.dims else { return [data.type] }
        guard !d.isEmpty else { throw ShapeInference.Failure("data must have rank 1 or more, got a scalar") }
        let a = try ShapeInference.axis(axis, rank: d.count)
        if let c = d[a].value, c % group != 0 {
            throw ShapeInference.Failure("dim \(c) at axis \(axis) is not divisible by group \(group)")
        }
        return [data.type]
    }
}
