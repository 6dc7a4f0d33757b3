/// Joins its inputs along `axis` (negative counts from the end).
public struct Concat: Op {
    public static let type = "Concat"
    public static let version = "opset1"
    public var axis = 0
    public static var fields: [AttributeField<Self>] { [.init("axis", \.axis)] }
    public init() {}
    public init(axis: Int) { self.axis = axis }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        guard !inputs.isEmpty else { throw ShapeInference.Failure("expects at least 1 input") }
        let elementType = try ShapeInference.commonElementType(inputs.map(\.elementType))
        let ranked = inputs.compactMap(\.shape.dims)
        guard let rank = ranked.first?.count else { return [TensorType(elementType, .dynamicRank)] }
        let a = try ShapeInference.axis(axis, rank: rank)
        var dims = ranked[0]
        dims[a] = .fixed(0)
        for (k, shape) in inputs.map(\.shape).enumerated() {
            guard let d = shape.dims else { dims[a] = .dynamic; continue }
            guard d.count == rank else { throw ShapeInference.Failure("input \(k) has rank \(d.count), expected \(rank)") }
            for i in 0..<rank where i != a {
                do { dims[i] = try ShapeInference.merge(dims[i], d[i]) } catch {
                    throw ShapeInference.Failure("input \(k) has dim \(d[i]) at axis \(i), expected \(dims[i])")
                }
            }
            dims[a] = ShapeInference.add(dims[a], d[a])
        }
        return [TensorType(elementType, .ranked(dims))]
    }

    /// Joined values of 1-D inputs.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        var out: [Dim] = []
        for input in inputs {
            guard input.shape.rank == 1, let v = input.value else { return nil }
            out += v
        }
        return out.count <= ShapeInference.valueLimit ? out : nil
    }
}
