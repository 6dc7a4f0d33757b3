/// A `[batch..., rows, columns]` matrix with ones on the diagonal shifted by `diagonal_index`.
public struct Eye: Op {
    public static let type = "Eye"
    public static let version = "opset9"
    public var outputType: ElementType = .dynamic
    public static var fields: [AttributeField<Self>] { [.init("output_type", \.outputType)] }
    public init() {}
    public init(outputType: ElementType) { self.outputType = outputType }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...4)
        func dim(_ i: Int) throws -> Dim {
            guard let v = inputs[i].intValues?.first else { return .dynamic }
            guard v >= 0 else { throw ShapeInference.Failure("input \(i) is negative: \(v)") }
            return .fixed(v)
        }
        let matrix = [try dim(0), try dim(1)]
        guard inputs.count == 4 else { return [TensorType(outputType, .ranked(matrix))] }
        if let batch = inputs[3].intValues { return [TensorType(outputType, .ranked(batch.map(Dim.fixed) + matrix))] }
        guard let n = ShapeInference.length(inputs[3]) else { return [TensorType(outputType, .dynamicRank)] }
        return [TensorType(outputType, .dynamic(rank: n + 2))]
    }
}
