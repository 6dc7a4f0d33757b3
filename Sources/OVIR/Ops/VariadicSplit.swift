/// Splits data along `axis` into parts of the given lengths (one length may be -1: the rest).
public struct VariadicSplit: Op {
    public static let type = "VariadicSplit"
    public static let version = "opset1"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        let data = inputs[0].type
        guard let count = ShapeInference.length(inputs[2]) else {
            throw ShapeInference.Failure("the number of split lengths must be static")
        }
        guard let dims = data.shape.dims else {
            return Array(repeating: TensorType(data.elementType, .dynamicRank), count: count)
        }
        guard let a = inputs[1].intValues?.first else {
            return Array(repeating: TensorType(data.elementType, .dynamic(rank: dims.count)), count: count)
        }
        let axis = try ShapeInference.axis(a, rank: dims.count)
        var parts: [Dim] = Array(repeating: .dynamic, count: count)
        if let lengths = inputs[2].intValues {
            guard lengths.filter({ $0 == -1 }).count <= 1, lengths.allSatisfy({ $0 >= -1 }) else {
                throw ShapeInference.Failure("split lengths \(lengths) are invalid")
            }
            let known = lengths.filter { $0 >= 0 }.reduce(0, +)
            if let n = dims[axis].value {
                let hasRest = lengths.contains(-1)
                guard hasRest ? known <= n : known == n else {
                    throw ShapeInference.Failure("split lengths \(lengths) do not add up to \(n)")
                }
            }
            parts = lengths.map { $0 >= 0 ? .fixed($0) : dims[axis].value.map { .fixed($0 - known) } ?? .dynamic }
        }
        return parts.map { part in
            var d = dims
            d[axis] = part
            return TensorType(data.elementType, .ranked(d))
        }
    }
}
