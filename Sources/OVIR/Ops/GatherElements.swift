/// Picks data elements along `axis` at per-element indices; the output has the indices' shape.
public struct GatherElements: Op {
    public static let type = "GatherElements"
    public static let version = "opset6"
    public var axis = 0
    public static var fields: [AttributeField<Self>] { [.init("axis", \.axis)] }
    public init() {}
    public init(axis: Int) { self.axis = axis }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type, indices = inputs[1].shape
        guard let d = data.shape.dims, let i = indices.dims else {
            return [TensorType(data.elementType, indices.dims != nil ? indices : .dynamic(rank: data.shape.rank))]
        }
        guard d.count == i.count else { throw ShapeInference.Failure("data rank \(d.count) differs from indices rank \(i.count)") }
        let a = try ShapeInference.axis(axis, rank: d.count)
        return [TensorType(data.elementType, .ranked(try i.indices.map { k in k == a ? i[k] : try ShapeInference.merge(i[k], d[k]) }))]
    }
}
