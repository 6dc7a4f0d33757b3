/// Where MVN adds `eps`: under the square root or to the standard deviation.
public enum MVNEpsMode: String, IREnum {
    case insideSqrt = "INSIDE_SQRT"
    case outsideSqrt = "OUTSIDE_SQRT"
}

/// Mean-variance normalization over the axes given by the second input (v6).
public struct MVN: Op {
    public static let type = "MVN"
    public static let version = "opset6"
    public var eps = 0.0
    public var normalizeVariance = false
    public var epsMode: MVNEpsMode = .insideSqrt
    public static var fields: [AttributeField<Self>] {
        [.init("eps", \.eps), .init("normalize_variance", \.normalizeVariance), .init("eps_mode", \.epsMode)]
    }
    public init() {}
    public init(eps: Double, normalizeVariance: Bool = true, epsMode: MVNEpsMode = .insideSqrt) {
        (self.eps, self.normalizeVariance, self.epsMode) = (eps, normalizeVariance, epsMode)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        try ShapeInference.checkAxesInput(inputs[1], rank: inputs[0].shape.rank, op: "MVN")
        return [inputs[0].type]
    }
}

extension ShapeInference {
    /// Checks a 1-D integer axes input and, when constant, that its axes fit `rank`.
    static func checkAxesInput(_ axes: InferenceInput, rank: Int?, op: String) throws {
        guard axes.elementType.isInteger || axes.elementType == .dynamic else {
            throw Failure("\(op) axes must be integers, got \(axes.elementType)")
        }
        if let r = axes.shape.rank, r != 1 { throw Failure("\(op) axes must be 1-D, got \(axes.shape)") }
        if let values = axes.intValues, let rank {
            for a in values { _ = try axis(a, rank: rank) }
        }
    }
}
