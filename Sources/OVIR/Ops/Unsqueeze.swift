/// Inserts axes of size 1 at the given positions of the output.
public struct Unsqueeze: Op {
    public static let type = "Unsqueeze"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type
        guard let dims = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        guard let values = inputs[1].intValues else {
            let n = ShapeInference.length(inputs[1])
            return [TensorType(data.elementType, .dynamic(rank: n.map { dims.count + $0 }))]
        }
        let rank = dims.count + values.count
        let axes = Set(try ShapeInference.axes(values, rank: rank))
        var rest = dims.makeIterator()
        return [TensorType(data.elementType, .ranked((0..<rank).map { axes.contains($0) ? .fixed(1) : rest.next()! }))]
    }

    /// The same elements in a new shape.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { inputs.first?.value }
}
