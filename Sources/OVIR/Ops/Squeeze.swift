/// Removes axes of size 1: the listed ones, or every one when the axes input is absent.
public struct Squeeze: Op {
    public static let type = "Squeeze"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...2)
        let data = inputs[0].type
        guard let dims = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        guard inputs.count == 2 else {
            // Without axes, a dynamic dim may or may not be 1.
            if dims.contains(where: { !$0.isStatic && $0.isCompatible(with: .fixed(1)) }) {
                return [TensorType(data.elementType, .dynamicRank)]
            }
            return [TensorType(data.elementType, .ranked(dims.filter { $0 != .fixed(1) }))]
        }
        guard let values = inputs[1].intValues else {
            let n = ShapeInference.length(inputs[1])
            if let n, n > dims.count { throw ShapeInference.Failure("\(n) axes to squeeze from rank \(dims.count)") }
            return [TensorType(data.elementType, .dynamic(rank: n.map { dims.count - $0 }))]
        }
        let axes = Set(try values.map { try ShapeInference.axis($0, rank: dims.count) })
        for a in axes where !dims[a].isCompatible(with: .fixed(1)) {
            throw ShapeInference.Failure("cannot squeeze axis \(a) of size \(dims[a])")
        }
        return [TensorType(data.elementType, .ranked(dims.indices.filter { !axes.contains($0) }.map { dims[$0] }))]
    }

    /// The same elements in a new shape.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { inputs.first?.value }
}
