// Activation functions: element-wise on the first input; extra inputs are parameters (slopes, alpha, beta).

/// max(x, 0) (type spelled `ReLU`).
public struct Relu: UnaryElementwiseOp { public static let type = "ReLU"; public static let version = "opset1"; public init() {} }
/// 1 / (1 + e⁻ˣ).
public struct Sigmoid: UnaryElementwiseOp { public static let type = "Sigmoid"; public static let version = "opset1"; public init() {} }
/// Hyperbolic tangent.
public struct Tanh: UnaryElementwiseOp { public static let type = "Tanh"; public static let version = "opset1"; public init() {} }
/// min(max(x + 3, 0), 6) / 6.
public struct HSigmoid: UnaryElementwiseOp { public static let type = "HSigmoid"; public static let version = "opset5"; public init() {} }
/// x · min(max(x + 3, 0), 6) / 6.
public struct HSwish: UnaryElementwiseOp { public static let type = "HSwish"; public static let version = "opset4"; public init() {} }
/// x · tanh(softplus(x)).
public struct Mish: UnaryElementwiseOp { public static let type = "Mish"; public static let version = "opset4"; public init() {} }
/// log(1 + eˣ).
public struct SoftPlus: UnaryElementwiseOp { public static let type = "SoftPlus"; public static let version = "opset4"; public init() {} }
/// x / (1 + |x|).
public struct SoftSign: UnaryElementwiseOp { public static let type = "SoftSign"; public static let version = "opset9"; public init() {} }

/// min(max(x, min), max).
public struct Clamp: UnaryElementwiseOp {
    public static let type = "Clamp"
    public static let version = "opset1"
    public var min = 0.0
    public var max = 0.0
    public static var fields: [AttributeField<Self>] { [.init("min", \.min), .init("max", \.max)] }
    public init() {}
    public init(min: Double, max: Double) { (self.min, self.max) = (min, max) }
}

/// x for x > 0, alpha · (eˣ - 1) otherwise.
public struct Elu: UnaryElementwiseOp {
    public static let type = "Elu"
    public static let version = "opset1"
    public var alpha = 0.0
    public static var fields: [AttributeField<Self>] { [.init("alpha", \.alpha)] }
    public init() {}
    public init(alpha: Double) { self.alpha = alpha }
}

/// Gaussian error linear unit, exact (erf) or tanh-approximated (v7).
public struct Gelu: UnaryElementwiseOp {
    public enum Approximation: String, IREnum {
        case erf = "ERF"
        case tanh = "TANH"
    }
    public static let type = "Gelu"
    public static let version = "opset7"
    public var approximationMode: Approximation = .erf
    public static var fields: [AttributeField<Self>] { [.init("approximation_mode", \.approximationMode)] }
    public init() {}
    public init(approximationMode: Approximation) { self.approximationMode = approximationMode }
}

/// x for x ≥ 0, slope · x otherwise; slope is the second input (type spelled `PReLU`).
public struct PRelu: ParameterizedActivation {
    public static let type = "PReLU"
    public static let version = "opset1"
    public static let parameterCount = 1...1
    public init() {}
}

/// max(0, min(1, alpha · x + beta)); inputs data, alpha, beta.
public struct HardSigmoid: ParameterizedActivation {
    public static let type = "HardSigmoid"
    public static let version = "opset1"
    public static let parameterCount = 2...2
    public init() {}
}

/// lambda · (x for x > 0, alpha · (eˣ - 1) otherwise); inputs data, alpha, lambda.
public struct Selu: ParameterizedActivation {
    public static let type = "Selu"
    public static let version = "opset1"
    public static let parameterCount = 2...2
    public init() {}
}

/// x · sigmoid(beta · x); inputs data and an optional scalar beta (default 1).
public struct Swish: ParameterizedActivation {
    public static let type = "Swish"
    public static let version = "opset4"
    public static let parameterCount = 0...1
    public init() {}
}

/// An activation whose parameters are inputs after the data: output type = data type.
public protocol ParameterizedActivation: Op {
    /// How many inputs follow the data input.
    static var parameterCount: ClosedRange<Int> { get }
}

extension ParameterizedActivation {
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let n = Self.parameterCount
        try ShapeInference.expectInputs(inputs, (n.lowerBound + 1)...(n.upperBound + 1))
        let data = inputs[0].type
        for p in inputs.dropFirst() where p.elementType != data.elementType && p.elementType != .dynamic && data.elementType != .dynamic {
            throw ShapeInference.Failure("parameter type \(p.elementType) differs from data type \(data.elementType)")
        }
        return [data]
    }
}
