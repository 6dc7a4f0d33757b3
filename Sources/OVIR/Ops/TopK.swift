/// The k largest or smallest elements along `axis`: outputs values and indices.
public struct TopK: Op {
    public enum Mode: String, IREnum { case max, min }
    public enum Sort: String, IREnum { case value, index, none }
    public static let type = "TopK"
    public static let version = "opset11"
    public var axis = 0
    public var mode = Mode.max
    public var sort = Sort.none
    public var indexElementType = ElementType.i32
    public var stable = false
    public static var fields: [AttributeField<Self>] {
        [.init("axis", \.axis), .init("mode", \.mode), .init("sort", \.sort),
         .init("index_element_type", \.indexElementType), .init("stable", \.stable)]
    }
    public init() {}
    public init(axis: Int, mode: Mode, sort: Sort, indexElementType: ElementType = .i32, stable: Bool = false) {
        self.axis = axis
        self.mode = mode
        self.sort = sort
        self.indexElementType = indexElementType
        self.stable = stable
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        guard indexElementType == .i32 || indexElementType == .i64 else {
            throw ShapeInference.Failure("index_element_type must be i32 or i64, got \(indexElementType)")
        }
        if let r = inputs[1].shape.rank, r != 0 { throw ShapeInference.Failure("k must be a scalar, got \(inputs[1].shape)") }
        let data = inputs[0].type
        guard var dims = data.shape.dims else {
            return [TensorType(data.elementType, .dynamicRank), TensorType(indexElementType, .dynamicRank)]
        }
        let a = try ShapeInference.axis(axis, rank: dims.count)
        if let k = inputs[1].intValues?.first {
            guard k >= 0 else { throw ShapeInference.Failure("k must not be negative, got \(k)") }
            let d = dims[a]
            // An unbounded dim takes k, as OpenVINO infers it (a valid model never asks for more than the axis holds).
            dims[a] = d.value.map { .fixed(min(k, $0)) } ?? (d.upper == nil ? .fixed(k) : Dim(lower: min(d.lower, k), upper: min(d.upper!, k)))
        } else if let k = inputs[1].value?.first {
            // k computed from dims: at most both k and the axis.
            dims[a] = ShapeInference.minimum(dims[a], ShapeInference.size(k)) ?? Dim(lower: 0, upper: dims[a].upper)
        } else {
            dims[a] = Dim(lower: 0, upper: dims[a].upper)
        }
        return [TensorType(data.elementType, .ranked(dims)), TensorType(indexElementType, .ranked(dims))]
    }
}
