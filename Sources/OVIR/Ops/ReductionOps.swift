/// A reduction over the axes given by input 1, with `keep_dims`.
public protocol ReductionOp: Op {
    var keepDims: Bool { get set }
    /// True for ReduceLogicalAnd/Or (boolean output).
    static var producesBoolean: Bool { get }
}

extension ReductionOp {
    public static var producesBoolean: Bool { false }
    public static var fields: [AttributeField<Self>] { [.init("keep_dims", \.keepDims)] }

    public init(keepDims: Bool) {
        self.init()
        self.keepDims = keepDims
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0].type
        let type = Self.producesBoolean ? ElementType.boolean : data.elementType
        if let axesRank = inputs[1].shape.rank, axesRank > 1 {
            throw ShapeInference.Failure("axes must be a scalar or 1-D, got \(inputs[1].shape)")
        }
        guard let dims = data.shape.dims else { return [TensorType(type, .dynamicRank)] }
        guard let values = inputs[1].intValues else {
            // Unknown axes: keep_dims keeps the rank; otherwise the rank is unknowable.
            return [TensorType(type, keepDims ? .dynamic(rank: dims.count) : .dynamicRank)]
        }
        let axes = Set(try values.map { try ShapeInference.axis($0, rank: dims.count) })
        var out: [Dim] = []
        for (i, d) in dims.enumerated() {
            if !axes.contains(i) { out.append(d) } else if keepDims { out.append(.fixed(1)) }
        }
        return [TensorType(type, .ranked(out))]
    }
}

/// Mean over axes.
public struct ReduceMean: ReductionOp { public static let type = "ReduceMean"; public static let version = "opset1"; public var keepDims = false; public init() {} }
/// Maximum over axes.
public struct ReduceMax: ReductionOp { public static let type = "ReduceMax"; public static let version = "opset1"; public var keepDims = false; public init() {} }
/// Minimum over axes.
public struct ReduceMin: ReductionOp { public static let type = "ReduceMin"; public static let version = "opset1"; public var keepDims = false; public init() {} }
/// Sum over axes.
public struct ReduceSum: ReductionOp {
    public static let type = "ReduceSum"; public static let version = "opset1"; public var keepDims = false; public init() {}

    /// Shape arithmetic: the sum of a 1-D value.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard let v = ShapeInference.reducedVector(inputs) else { return nil }
        var acc = Dim.fixed(0)
        for d in v {
            guard let s = ShapeInference.sum(acc, d) else { return nil }
            acc = s
        }
        return [acc]
    }
}
/// Product over axes.
public struct ReduceProd: ReductionOp {
    public static let type = "ReduceProd"; public static let version = "opset1"; public var keepDims = false; public init() {}

    /// Shape arithmetic: the product of a 1-D value (the element count of the dims a shape lists).
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        ShapeInference.reducedVector(inputs).flatMap(ShapeInference.product(of:)).map { [$0] }
    }
}
/// Sum of absolute values over axes.
public struct ReduceL1: ReductionOp { public static let type = "ReduceL1"; public static let version = "opset4"; public var keepDims = false; public init() {} }
/// Euclidean norm over axes.
public struct ReduceL2: ReductionOp { public static let type = "ReduceL2"; public static let version = "opset4"; public var keepDims = false; public init() {} }
/// Logical and over axes (boolean).
public struct ReduceLogicalAnd: ReductionOp { public static let type = "ReduceLogicalAnd"; public static let version = "opset1"; public static let producesBoolean = true; public var keepDims = false; public init() {} }
/// Logical or over axes (boolean).
public struct ReduceLogicalOr: ReductionOp { public static let type = "ReduceLogicalOr"; public static let version = "opset1"; public static let producesBoolean = true; public var keepDims = false; public init() {} }

extension ShapeInference {
    /// The value of a 1-D input that a reduction reduces whole (axes [0] or [-1]).
    static func reducedVector(_ inputs: [InferenceInput]) -> [Dim]? {
        guard inputs.count == 2, inputs[0].shape.rank == 1, let v = inputs[0].value,
              let axes = inputs[1].intValues, axes == [0] || axes == [-1] else { return nil }
        return v
    }
}
