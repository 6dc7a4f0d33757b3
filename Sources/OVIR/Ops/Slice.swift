/// Numpy-style slicing: `start:stop:step` on the listed axes (all leading axes without `axes`).
public struct Slice: Op {
    public static let type = "Slice"
    public static let version = "opset8"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 4...5)
        let data = inputs[0].type
        guard var dims = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        let count = ShapeInference.length(inputs[1])
        let axes: [Int]
        if inputs.count == 5 {
            guard let values = inputs[4].intValues else { return [TensorType(data.elementType, .dynamic(rank: dims.count))] }
            axes = try ShapeInference.axes(values, rank: dims.count)
        } else {
            guard let n = count, n <= dims.count else { return [TensorType(data.elementType, .dynamic(rank: dims.count))] }
            axes = Array(0..<n)
        }
        let start = inputs[1].intValues, stop = inputs[2].intValues, step = inputs[3].intValues
        for v in [start, stop, step] where v != nil && v!.count != axes.count {
            throw ShapeInference.Failure("start, stop, step and axes have different lengths")
        }
        for (k, a) in axes.enumerated() {
            guard let n = dims[a].value, let b = start?[k], let e = stop?[k], let s = step?[k] else {
                if let s = step?[k], s == 0 { throw ShapeInference.Failure("slice step must not be 0") }
                dims[a] = .dynamic
                continue
            }
            dims[a] = .fixed(try ShapeInference.sliceLength(n, start: b, stop: e, step: s))
        }
        return [TensorType(data.elementType, .ranked(dims))]
    }

    /// A slice of a 1-D value (`ShapeOf(x)[1:3]`).
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard inputs.count >= 4, inputs[0].shape.rank == 1, let data = inputs[0].value,
              let start = inputs[1].intValues, let stop = inputs[2].intValues, let step = inputs[3].intValues,
              start.count == 1, stop.count == 1, step.count == 1 else { return nil }
        if inputs.count == 5 { guard let axes = inputs[4].intValues, axes == [0] || axes == [-1] else { return nil } }
        guard let picked = try? ShapeInference.sliceIndices(data.count, start: start[0], stop: stop[0], step: step[0]) else { return nil }
        return picked.map { data[$0] }
    }
}
