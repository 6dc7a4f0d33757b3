/// The unique elements (or slices along `axis`), with first-occurrence indices, inverse indices and counts.
public struct Unique: Op {
    public static let type = "Unique"
    public static let version = "opset10"
    public var sorted = true
    public var indexElementType: ElementType = .i64
    public var countElementType: ElementType = .i64
    public static var fields: [AttributeField<Self>] {
        [.init("sorted", \.sorted), .init("index_element_type", \.indexElementType), .init("count_element_type", \.countElementType)]
    }
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...2)
        let data = inputs[0].type
        var values = Shape.ranked([.dynamic])
        var inverse = Shape.ranked([data.shape.staticDims.map { .fixed($0.reduce(1, *)) } ?? .dynamic])
        if inputs.count == 2 {
            guard let dims = data.shape.dims, let a = inputs[1].intValues?.first else {
                values = .dynamic(rank: data.shape.rank)
                inverse = .ranked([.dynamic])
                return types(data.elementType, values, inverse)
            }
            let axis = try ShapeInference.axis(a, rank: dims.count)
            var d = dims
            d[axis] = .dynamic
            values = .ranked(d)
            inverse = .ranked([dims[axis]])
        }
        return types(data.elementType, values, inverse)
    }

    private func types(_ elementType: ElementType, _ values: Shape, _ inverse: Shape) -> [TensorType] {
        [TensorType(elementType, values), TensorType(indexElementType, .ranked([.dynamic])),
         TensorType(indexElementType, inverse), TensorType(countElementType, .ranked([.dynamic]))]
    }
}
