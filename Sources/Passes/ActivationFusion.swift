import OVIR

/// Activations exported as arithmetic, fused back into OpenVINO's single ops (OpenVINO's SwishFusion,
/// HSwishFusion, HSigmoidFusion, MishFusion, GeluFusion, SoftPlusFusion): fewer nodes, and the CPU plugin
/// runs each as one fused post-op of the convolution before it.
public struct ActivationFusion: RewritePass {
    public let name = "ActivationFusion"
    public let summary = "x*sigmoid(x), hard-swish/-sigmoid, clamped linear (HardSigmoid), mish, GELU and softplus decompositions become single activation ops"

    public init() {}

    public var rules: [Rule] {
        let x = Pattern.any("x")
        return [
            // log(exp(x) + 1) -> SoftPlus(x)
            Rule("SoftPlus", .op(Log.self, .op(Exp.self, x) + 1)) { m in try m.add(SoftPlus(), m["x"]) },

            // x * sigmoid(x) -> Swish(x)
            Rule("Swish", x * .op(Sigmoid.self, x)) { m in try m.add(Swish(), m["x"]) },
            // x * sigmoid(x * beta) -> Swish(x, beta), beta a one-element Const
            Rule("SwishWithBeta", x * .op(Sigmoid.self, x * .constant("beta", where: { $0.elementCount == 1 }))) { m in
                let beta = m.constant("beta")
                return try m.add(Swish(), m["x"], m.constant(Tensor(beta.elementType, dims: [], bytes: beta.bytes)))
            },

            // max(0, min(1, alpha * x + beta)) -> HardSigmoid(x, alpha, beta), alpha and beta one-element Consts
            Rule("HardSigmoid", Self.clamp01(x * Self.oneElement("alpha") + Self.oneElement("beta"))) { m in
                let alpha = m.constant("alpha"), beta = m.constant("beta")
                guard alpha.elementType == m["x"].elementType, beta.elementType == alpha.elementType else { return nil }
                return try m.add(HardSigmoid(), m["x"], m.constant(Tensor(alpha.elementType, dims: [], bytes: alpha.bytes)),
                                 m.constant(Tensor(beta.elementType, dims: [], bytes: beta.bytes)))
            },
            // HardSigmoid(x, alpha 1/6, beta 1/2) -> HSigmoid(x)
            Rule("HSigmoidFromHardSigmoid", .op(HardSigmoid.self, x, .scalar(1.0 / 6), 0.5)) { m in try m.add(HSigmoid(), m["x"]) },
            // relu6(x + 3) / 6 -> HSigmoid(x)
            Rule("HSigmoid", Self.dividedBy6(Self.relu6(x + 3))) { m in try m.add(HSigmoid(), m["x"]) },

            // x * HSigmoid(x) -> HSwish(x)
            Rule("HSwishFromHSigmoid", x * .op(HSigmoid.self, x)) { m in try m.add(HSwish(), m["x"]) },
            // x * relu6(x + 3) / 6 -> HSwish(x)
            Rule("HSwish", Self.dividedBy6(x * Self.relu6(x + 3))) { m in try m.add(HSwish(), m["x"]) },

            // x * tanh(softplus(x)) -> Mish(x)
            Rule("Mish", x * .op(Tanh.self, .op(SoftPlus.self, x))) { m in try m.add(Mish(), m["x"]) },

            // 0.5 * x * (1 + erf(x / sqrt(2))) -> Gelu(x, ERF)
            Rule("GeluErf", Self.half(x, 1 + .op(Erf.self, Self.erfArgument(x)))) { m in
                try m.add(Gelu(approximationMode: .erf), m["x"])
            },
            // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))) -> Gelu(x, TANH)
            Rule("GeluTanh", Self.half(x, 1 + .op(Tanh.self, Self.tanhArgument(x)))) { m in
                try m.add(Gelu(approximationMode: .tanh), m["x"])
            },
        ]
    }

    /// min(max(p, 0), 6), as Clamp(0, 6), Minimum(Maximum(p, 0), 6) or Minimum(Relu(p), 6).
    static func relu6(_ p: Pattern) -> Pattern {
        .oneOf(.op(Clamp.self, p, where: { $0.min == 0 && $0.max == 6 }),
               .op(Minimum.self, .op(Maximum.self, p, 0), 6),
               .op(Minimum.self, .op(Relu.self, p), 6))
    }

    /// min(max(p, 0), 1), as Clamp(0, 1), Minimum(Maximum(p, 0), 1) or Maximum(Minimum(p, 1), 0).
    static func clamp01(_ p: Pattern) -> Pattern {
        .oneOf(.op(Clamp.self, p, where: { $0.min == 0 && $0.max == 1 }),
               .op(Minimum.self, .op(Maximum.self, p, 0), 1),
               .op(Maximum.self, .op(Minimum.self, p, 1), 0))
    }

    /// A one-element floating-point Const captured under `name`.
    static func oneElement(_ name: String) -> Pattern {
        .constant(name, where: { $0.elementType.isFloatingPoint && $0.elementCount == 1 })
    }

    /// p / 6, or p * (1/6).
    static func dividedBy6(_ p: Pattern) -> Pattern {
        .oneOf(p / 6, p * .scalar(1.0 / 6))
    }

    /// 0.5 * x * e in the groupings exporters write: (x * e) * 0.5, (x * 0.5) * e, x * (e * 0.5), (x * e) / 2.
    static func half(_ x: Pattern, _ e: Pattern) -> Pattern {
        .oneOf(x * e * 0.5, x * 0.5 * e, x * (e * 0.5), x * e / 2)
    }

    /// x / sqrt(2), or x * (1 / sqrt(2)).
    static func erfArgument(_ x: Pattern) -> Pattern {
        .oneOf(x / .scalar(2.0.squareRoot()), x * .scalar(1 / 2.0.squareRoot()))
    }

    /// sqrt(2/pi) * (x + 0.044715 * x^3), with x^3 as Power(x, 3), x * x * x or x * (x * x).
    static func tanhArgument(_ x: Pattern) -> Pattern {
        let cube = Pattern.oneOf(.op(Power.self, x, 3), x * x * x, x * (x * x))
        return .scalar((2 / Double.pi).squareRoot()) * (x + 0.044715 * cube)
    }
}
