import OVIR

/// Layer normalization exported as arithmetic, `(x - mean(x)) / sqrt(mean((x - mean(x))²) + eps)`, fused
/// into one MVN-6 (OpenVINO's MVNFusion); the scale and shift after it stay a Multiply and an Add.
public struct MVNFusion: RewritePass {
    public let name = "MVNFusion"
    public let summary = "decomposed layer/instance normalization becomes MVN-6"

    public init() {}

    public var rules: [Rule] {
        let x = Pattern.any("x"), axes = Pattern.constant("axes", where: { $0.dims.count <= 1 && $0.intValues() != nil })
        let mean = { (p: Pattern) in Pattern.op(ReduceMean.self, p, axes, where: { $0.keepDims }) }
        let d = (x - mean(x)).named("d")
        let square = Pattern.oneOf(.op(Power.self, d, 2), d * d)
        let epsilon = Pattern.constant("eps", where: { $0.elementType.isFloatingPoint && $0.elementCount == 1 })
        let variance = mean(square) + epsilon
        let deviation = Pattern.oneOf(.op(Sqrt.self, variance), .op(Power.self, variance, 0.5))
        return [
            // (x - mean(x)) / sqrt(mean((x - mean(x))²) + eps) -> MVN(x, axes, eps inside the root)
            Rule("MVN", d / deviation) { m in
                guard let eps = m.constant("eps").doubleValues()?.first else { return nil }
                return try m.add(MVN(eps: eps, normalizeVariance: true, epsMode: .insideSqrt), m["x"], m["axes"])
            },
        ]
    }
}
