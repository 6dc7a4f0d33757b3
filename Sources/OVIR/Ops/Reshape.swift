/// Reshapes data to a target shape; with `special_zero`, 0 copies the input dim; -1 is inferred.
public struct Reshape: Op {
    public static let type = "Reshape"
    public static let version = "opset1"
    public var specialZero = false
    public static var fields: [AttributeField<Self>] { [.init("special_zero", \.specialZero)] }
    public init() {}
    public init(specialZero: Bool) { self.specialZero = specialZero }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type
        if let target = inputs[1].intValues { return [TensorType(data.elementType, try outputShape(data.shape, target))] }
        if let target = inputs[1].value { return [TensorType(data.elementType, try outputShape(data.shape, partial: target))] }
        let rank = ShapeInference.length(inputs[1])
        return [TensorType(data.elementType, .dynamic(rank: inputs[1].shape.rank == 0 ? 0 : rank))]
    }

    /// The output for a target known only in part (computed from dynamic dims): known elements count as in
    /// a constant target; an unknown one is its own range of sizes, unless it may be -1 (or, with
    /// special_zero, 0), which leaves the dim unknown. The -1 dim is then unknown too.
    private func outputShape(_ input: Shape, partial target: [Dim]) throws -> Shape {
        guard target.filter({ $0 == .fixed(-1) }).count <= 1 else { throw ShapeInference.Failure("target shape has more than one -1") }
        return .ranked(try target.enumerated().map { i, element in
            switch element.value {
            case .some(0) where specialZero:
                guard let d = input.dims else { return .dynamic }
                guard i < d.count else { throw ShapeInference.Failure("target shape copies dim \(i) of rank-\(d.count) input") }
                return d[i]
            case .some(-1): return .dynamic
            case let v? where v < 0: throw ShapeInference.Failure("target shape has a negative dim \(v)")
            case let v?: return .fixed(v)
            case nil: return element.lower < 0 || (specialZero && element.lower == 0) ? .dynamic : element
            }
        })
    }

    /// The same elements in a new shape.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { inputs.first?.value }

    private func outputShape(_ input: Shape, _ target: [Int]) throws -> Shape {
        guard target.filter({ $0 == -1 }).count <= 1 else { throw ShapeInference.Failure("target shape \(target) has more than one -1") }
        var dims: [Dim] = []
        var copied = Set<Int>()
        for (i, v) in target.enumerated() {
            switch v {
            case 0 where specialZero:
                copied.insert(i)
                guard let d = input.dims else { dims.append(.dynamic); continue }
                guard i < d.count else { throw ShapeInference.Failure("target shape \(target) copies dim \(i) of rank-\(d.count) input") }
                dims.append(d[i])
            case -1: dims.append(.dynamic)
            case ..<0: throw ShapeInference.Failure("target shape \(target) has a negative dim")
            default: dims.append(.fixed(v))
            }
        }
        // Element counts are checked products: a target (or input) of absurd dims is refused, not overflowed.
        func count(_ dims: [Int]) throws -> Int {
            guard let n = ShapeInference.checkedElementCount(dims) else {
                throw ShapeInference.Failure("cannot reshape \(input) to \(target): too many elements")
            }
            return n
        }
        guard let inferred = target.firstIndex(of: -1) else {
            if let inputDims = input.staticDims, let out = Shape.ranked(dims).staticDims {
                let total = try count(inputDims)
                guard try count(out) == total else {
                    throw ShapeInference.Failure("cannot reshape \(input) (\(total) elements) to \(target)")
                }
            }
            return .ranked(dims)
        }
        // Copied dims cancel out, so only the input's other dims need to be static.
        guard let inputDims = input.dims else { return .ranked(dims) }
        let rest = inputDims.indices.filter { !copied.contains($0) }.map { inputDims[$0].value }
        guard !rest.contains(nil) else { return .ranked(dims) }
        let remaining = try count(rest.map { $0! })
        let known = try count(target.indices.filter { !copied.contains($0) && $0 != inferred }.map { target[$0] })
        guard known > 0 ? remaining % known == 0 : remaining == 0 else {
            throw ShapeInference.Failure("cannot reshape \(input) to \(target)")
        }
        dims[inferred] = .fixed(known > 0 ? remaining / known : 0)
        return .ranked(dims)
    }
}
