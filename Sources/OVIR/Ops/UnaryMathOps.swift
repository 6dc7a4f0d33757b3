// Attribute-less unary math ops: output type = input type.

/// |x|.
public struct Abs: UnaryElementwiseOp { public static let type = "Abs"; public static let version = "opset1"; public init() {} }
/// -x.
public struct Negative: UnaryElementwiseOp { public static let type = "Negative"; public static let version = "opset1"; public init() {} }
/// eˣ.
public struct Exp: UnaryElementwiseOp { public static let type = "Exp"; public static let version = "opset1"; public init() {} }
/// Natural logarithm.
public struct Log: UnaryElementwiseOp { public static let type = "Log"; public static let version = "opset1"; public init() {} }
/// Square root.
public struct Sqrt: UnaryElementwiseOp { public static let type = "Sqrt"; public static let version = "opset1"; public init() {} }
/// Round toward -∞.
public struct Floor: UnaryElementwiseOp { public static let type = "Floor"; public static let version = "opset1"; public init() {} }
/// Round toward +∞.
public struct Ceiling: UnaryElementwiseOp { public static let type = "Ceiling"; public static let version = "opset1"; public init() {} }
/// Gauss error function.
public struct Erf: UnaryElementwiseOp { public static let type = "Erf"; public static let version = "opset1"; public init() {} }
/// Sign: -1, 0 or 1.
public struct Sign: UnaryElementwiseOp { public static let type = "Sign"; public static let version = "opset1"; public init() {} }
/// Sine.
public struct Sin: UnaryElementwiseOp { public static let type = "Sin"; public static let version = "opset1"; public init() {} }
/// Cosine.
public struct Cos: UnaryElementwiseOp { public static let type = "Cos"; public static let version = "opset1"; public init() {} }
/// Tangent.
public struct Tan: UnaryElementwiseOp { public static let type = "Tan"; public static let version = "opset1"; public init() {} }
/// Arcsine.
public struct Asin: UnaryElementwiseOp { public static let type = "Asin"; public static let version = "opset1"; public init() {} }
/// Arccosine.
public struct Acos: UnaryElementwiseOp { public static let type = "Acos"; public static let version = "opset1"; public init() {} }
/// Arctangent.
public struct Atan: UnaryElementwiseOp { public static let type = "Atan"; public static let version = "opset1"; public init() {} }
/// Hyperbolic sine.
public struct Sinh: UnaryElementwiseOp { public static let type = "Sinh"; public static let version = "opset1"; public init() {} }
/// Hyperbolic cosine.
public struct Cosh: UnaryElementwiseOp { public static let type = "Cosh"; public static let version = "opset1"; public init() {} }
/// Inverse hyperbolic sine (v3, first in opset4).
public struct Asinh: UnaryElementwiseOp { public static let type = "Asinh"; public static let version = "opset4"; public init() {} }
/// Inverse hyperbolic cosine (v3, first in opset4).
public struct Acosh: UnaryElementwiseOp { public static let type = "Acosh"; public static let version = "opset4"; public init() {} }
/// Inverse hyperbolic tangent (v3, first in opset4).
public struct Atanh: UnaryElementwiseOp { public static let type = "Atanh"; public static let version = "opset4"; public init() {} }

extension Negative {
    /// Shape arithmetic: `-x` of what is known about x.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard let v = inputs.first?.value else { return nil }
        var out: [Dim] = []
        for d in v {
            guard let n = ShapeInference.negation(d) else { return nil }
            out.append(n)
        }
        return out
    }
}
