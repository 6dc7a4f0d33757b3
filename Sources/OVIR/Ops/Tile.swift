/// Repeats data `repeats[i]` times along each axis (the shorter of the two is padded with leading 1s).
public struct Tile: Op {
    public static let type = "Tile"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type
        let count = ShapeInference.length(inputs[1])
        guard let dims = data.shape.dims, let count else { return [TensorType(data.elementType, .dynamicRank)] }
        let rank = max(dims.count, count)
        let padded = Array(repeating: Dim.fixed(1), count: rank - dims.count) + dims
        // Repeats computed by a shape subgraph may be known in part (`value`).
        guard let repeats = inputs[1].value else { return [TensorType(data.elementType, .dynamic(rank: rank))] }
        if let negative = repeats.first(where: { $0.upper.map { $0 < 0 } ?? false }) {
            throw ShapeInference.Failure("repeats has a negative value \(negative)")
        }
        let r = Array(repeating: Dim.fixed(1), count: rank - repeats.count) + repeats.map(ShapeInference.size)
        return [TensorType(data.elementType, .ranked(zip(padded, r).map { ShapeInference.product($0, $1) ?? .dynamic }))]
    }
}
