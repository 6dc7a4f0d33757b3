/// Takes slices of data along `axis` at `indices` (negative indices count from the end).
public struct Gather: Op {
    public static let type = "Gather"
    public static let version = "opset8"
    public var batchDims = 0
    public static var fields: [AttributeField<Self>] { [.init("batch_dims", \.batchDims)] }
    public init() {}
    public init(batchDims: Int) { self.batchDims = batchDims }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        let data = inputs[0].type
        guard let d = data.shape.dims, let idx = inputs[1].shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        guard !d.isEmpty else { throw ShapeInference.Failure("cannot gather from a scalar") }
        let batch = batchDims < 0 ? batchDims + idx.count : batchDims
        guard batch >= 0, batch <= idx.count, batch <= d.count else {
            throw ShapeInference.Failure("batch_dims \(batchDims) is out of range for indices rank \(idx.count)")
        }
        guard let axisValue = inputs[2].intValues?.first else {
            return [TensorType(data.elementType, .dynamic(rank: d.count + idx.count - 1 - batch))]
        }
        let axis = try ShapeInference.axis(axisValue, rank: d.count)
        guard axis >= batch else { throw ShapeInference.Failure("axis \(axisValue) is less than batch_dims \(batchDims)") }
        var prefix = Array(d[..<axis])
        for i in 0..<batch { prefix[i] = try ShapeInference.merge(prefix[i], idx[i]) }
        return [TensorType(data.elementType, .ranked(prefix + idx[batch...] + d[(axis + 1)...]))]
    }

    /// Picked elements of a 1-D value (`ShapeOf(x)[i]`).
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard inputs.count == 3, batchDims == 0, inputs[0].shape.rank == 1, let data = inputs[0].value,
              let axis = inputs[2].intValues, axis == [0] || axis == [-1],
              let indices = inputs[1].intValues, indices.count <= ShapeInference.valueLimit else { return nil }
        return ShapeInference.pick(data, indices)
    }
}
