/// Gathers slices of data addressed by the last axis of indices, after `batch_dims` shared leading axes.
public struct GatherND: Op {
    public static let type = "GatherND"
    public static let version = "opset8"
    public var batchDims = 0
    public static var fields: [AttributeField<Self>] { [.init("batch_dims", \.batchDims)] }
    public init() {}
    public init(batchDims: Int) { self.batchDims = batchDims }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type
        guard let d = data.shape.dims, let i = inputs[1].shape.dims, let k = i.last?.value else {
            return [TensorType(data.elementType, .dynamicRank)]
        }
        guard batchDims >= 0, batchDims < i.count, batchDims + k <= d.count else {
            throw ShapeInference.Failure("batch_dims \(batchDims) and index depth \(k) do not fit data rank \(d.count)")
        }
        var prefix = Array(i.dropLast())
        for b in 0..<batchDims { prefix[b] = try ShapeInference.merge(prefix[b], d[b]) }
        return [TensorType(data.elementType, .ranked(prefix + d[(batchDims + k)...]))]
    }
}
