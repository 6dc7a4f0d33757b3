import OVIR

/// A pattern over graph values, matched against an `Output`: an op with sub-patterns for its inputs (Add,
/// Multiply, Maximum and Minimum also match with their two inputs swapped), a wildcard, a constant whose
/// value passes a test, or one of several alternatives. Any pattern may capture what it matched under a
/// name; a name captured twice must match the same value both times, which is how `x * sigmoid(x)` says
/// "the same x".
///
/// Arithmetic operators and number literals build patterns, so rules read like their formula:
/// `x * .op(Sigmoid.self, x)`, `relu6(x + 3) / 6` (a literal is a one-element float constant of that value).
public struct Pattern {
    indirect enum Kind {
        case any
        case constant((Tensor) -> Bool)
        /// `test` checks the op's type and attributes; `inputs` are matched in order (or swapped, when commutative).
        case op(type: String, test: (any Op) -> Bool, inputs: [Pattern], commutative: Bool)
        case oneOf([Pattern])
        /// A node whose op passes `test`, whatever its inputs.
        case node((any Op) -> Bool)
    }

    let kind: Kind
    /// The name the matched value is captured under.
    let capture: String?

    init(_ kind: Kind, capture: String? = nil) {
        self.kind = kind
        self.capture = capture
    }

    /// Any value, captured under `name` when given.
    public static func any(_ name: String? = nil) -> Pattern { Pattern(.any, capture: name) }

    /// The output 0 of an `O` node whose inputs match `inputs` (exactly that many) and whose op passes `test`.
    public static func op<O: Op>(_ type: O.Type, _ inputs: Pattern..., where test: @escaping (O) -> Bool = { _ in true }) -> Pattern {
        let commutative = inputs.count == 2 && [Add.type, Multiply.type, Maximum.type, Minimum.type].contains(O.type)
        return Pattern(.op(type: O.type, test: { ($0 as? O).map(test) ?? false }, inputs: inputs, commutative: commutative))
    }

    /// The output 0 of a node whose op passes `test`, with any inputs (none matched): a root that is told
    /// apart by what a rule computes about it rather than by its inputs' shape.
    public static func node(where test: @escaping (any Op) -> Bool) -> Pattern {
        Pattern(.node(test))
    }

    /// A Const whose value passes `test`, captured under `name` when given.
    public static func constant(_ name: String? = nil, where test: @escaping (Tensor) -> Bool) -> Pattern {
        Pattern(.constant(test), capture: name)
    }

    /// A one-element floating-point Const equal to `value` (to a relative 1e-5, so f32 roundings of
    /// 1/6 or √(2/π) match), captured under `name` when given.
    public static func scalar(_ value: Double, _ name: String? = nil) -> Pattern {
        constant(name) { tensor in
            guard tensor.elementType.isFloatingPoint, tensor.elementCount == 1, let v = tensor.doubleValues()?.first else { return false }
            return abs(v - value) <= 1e-5 * max(1, abs(value))
        }
    }

    /// Whatever one of `alternatives` matches (all are tried).
    public static func oneOf(_ alternatives: Pattern...) -> Pattern { Pattern(.oneOf(alternatives)) }

    /// This pattern, capturing what it matches under `name`.
    public func named(_ name: String) -> Pattern { Pattern(kind, capture: name) }

    public static func + (a: Pattern, b: Pattern) -> Pattern { .op(Add.self, a, b) }
    public static func - (a: Pattern, b: Pattern) -> Pattern { .op(Subtract.self, a, b) }
    public static func * (a: Pattern, b: Pattern) -> Pattern { .op(Multiply.self, a, b) }
    public static func / (a: Pattern, b: Pattern) -> Pattern { .op(Divide.self, a, b) }
}

extension Pattern: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(floatLiteral value: Double) { self = .scalar(value) }
    public init(integerLiteral value: Int) { self = .scalar(Double(value)) }
}
