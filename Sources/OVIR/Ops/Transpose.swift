/// Permutes the axes of data by `perm` (an empty perm reverses them).
public struct Transpose: Op {
    public static let type = "Transpose"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type
        guard let dims = data.shape.dims else {
            let n = ShapeInference.length(inputs[1])
            return [TensorType(data.elementType, .dynamic(rank: n == 0 ? nil : n))]
        }
        guard let perm = inputs[1].intValues else { return [TensorType(data.elementType, .dynamic(rank: dims.count))] }
        if perm.isEmpty { return [TensorType(data.elementType, .ranked(dims.reversed()))] }
        guard perm.count == dims.count, Set(perm) == Set(0..<dims.count) else {
            throw ShapeInference.Failure("perm \(perm) is not a permutation of the \(dims.count) axes")
        }
        return [TensorType(data.elementType, .ranked(perm.map { dims[$0] }))]
    }
}
