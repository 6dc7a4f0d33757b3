/// Splits data along `axis` into `num_splits` equal parts.
public struct Split: Op {
    public static let type = "Split"
    public static let version = "opset1"
    public var numSplits = 0
    public static var fields: [AttributeField<Self>] { [.init("num_splits", \.numSplits)] }
    public init() {}
    public init(numSplits: Int) { self.numSplits = numSplits }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        guard numSplits > 0 else { throw ShapeInference.Failure("num_splits must be positive, got \(numSplits)") }
        let data = inputs[0].type
        var shape = data.shape
        if var dims = data.shape.dims {
            if let a = inputs[1].intValues?.first {
                let axis = try ShapeInference.axis(a, rank: dims.count)
                if let n = dims[axis].value {
                    guard n % numSplits == 0 else { throw ShapeInference.Failure("dim \(n) does not split into \(numSplits) parts") }
                    dims[axis] = .fixed(n / numSplits)
                } else {
                    dims[axis] = .dynamic
                }
                shape = .ranked(dims)
            } else {
                shape = .dynamic(rank: dims.count)
            }
        }
        return Array(repeating: TensorType(data.elementType, shape), count: numSplits)
    }
}
