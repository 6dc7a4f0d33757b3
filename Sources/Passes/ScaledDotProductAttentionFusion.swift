import OVIR

/// Attention exported as MatMul → [scale] → [+ mask] → Softmax → MatMul, fused into one
/// ScaledDotProductAttention-13 (OpenVINO's SDPAFusion): a smaller IR (OpenVINO 2026.4's CPU plugin builds the same
/// attention subgraph from either form, measured on the PP-OCR recognizer). The key is given transposed, through the first MatMul's transpose_b or a
/// Transpose; the scale is a one-element Const multiplied or divided after that MatMul, multiplied into the
/// query before it, both, or absent (1). Fused only with static ranks of 3 or more (SDPA's own rule) and the
/// softmax over the last axis; a mask must be the scores' type and broadcast to them without growing them.
public struct ScaledDotProductAttentionFusion: RewritePass {
    public let name = "ScaledDotProductAttentionFusion"
    public let summary = "MatMul(Softmax(MatMul(q, kᵀ) · scale [+ mask]), v) becomes ScaledDotProductAttention-13"

    public init() {}

    public var rules: [Rule] {
        let scaleConst = { (name: String) in
            Pattern.constant(name, where: { $0.elementType.isFloatingPoint && $0.elementCount == 1 })
        }
        let query = Pattern.oneOf(.any("q") * scaleConst("queryScale"), .any("q"))
        let scores = Pattern.oneOf(
            .op(MatMul.self, query, .any("k"), where: { !$0.transposeA && $0.transposeB }),
            .op(MatMul.self, query, .op(Transpose.self, .any("kT"), .constant("perm", where: { $0.intValues() != nil })),
                where: { !$0.transposeA && !$0.transposeB }))
        let scaled = Pattern.oneOf(scores * scaleConst("scale"), scores / scaleConst("divisor"), scores)
        let logits = Pattern.oneOf(scaled + .any("mask"), scaled).named("logits")
        let weights = Pattern.op(Softmax.self, logits).named("weights")
        return [
            // softmax(q·kᵀ · scale + mask) · v -> ScaledDotProductAttention(q, k, v, mask or 0, scale)
            Rule("ScaledDotProductAttention", .op(MatMul.self, weights, .any("v"), where: { !$0.transposeA && !$0.transposeB })) { m in
                try Self.fuse(m)
            },
        ]
    }

    private static func fuse(_ m: Match) throws -> Output? {
        let q = m["q"], v = m["v"], logits = m["logits"]
        let type = q.elementType
        guard type.isFloatingPoint, let rank = logits.type.shape.rank, rank >= 3,
              [q, v].allSatisfy({ ($0.type.shape.rank ?? 0) >= 3 }),
              let softmax = m["weights"].node.op as? Softmax, softmax.axis == -1 || softmax.axis == rank - 1 else { return nil }
        guard let key = try Self.key(m), (key.type.shape.rank ?? 0) >= 3 else { return nil }
        let mask: Output
        if let given = m.captures["mask"] {
            guard let attentionMask = try Self.mask(given, rank: rank, m) else { return nil }
            mask = attentionMask
        } else {
            mask = try m.constant(ConstantMath.compute(Convert(type), .scalar(f32: 0)))
        }
        var scale = try ConstantMath.compute(Convert(type), .scalar(f32: 1))
        for (name, op) in [("queryScale", Multiply() as any Op), ("scale", Multiply()), ("divisor", Divide())] {
            guard let c = m.captures[name]?.constant else { continue }
            guard c.elementType == type else { return nil }
            scale = try ConstantMath.compute(op, scale, ConstantMath.reshaped(c, []))
        }
        guard let s = scale.doubleValues()?.first, s.isFinite, s != 0 else { return nil }
        return try m.add(ScaledDotProductAttention(), q, key, v, mask, m.constant(scale))
    }

    /// The key as [..., S, E]: the first MatMul's B read with transpose_b, or the input of the Transpose before
    /// it, transposed back (a Transpose swapping only the last two axes simply goes).
    private static func key(_ m: Match) throws -> Output? {
        if let k = m.captures["k"] { return k }
        let kT = m["kT"]
        guard let perm = m.constant("perm").intValues(), let rank = kT.type.shape.rank, perm.count == rank, rank >= 3 else { return nil }
        let axes = perm.map { $0 < 0 ? $0 + rank : $0 }
        var undone = axes
        undone.swapAt(rank - 1, rank - 2)
        if undone == Array(0..<rank) { return kT }
        return try m.add(Transpose(), kT, m.constant(.i64(undone)))
    }

    /// The mask as SDPA reads it: the scores' type, the last two dims broadcasting to [L, S], rank 3 or more (a
    /// rank-2 mask gets a leading 1; a Const one is reshaped), and no dims the scores lack.
    private static func mask(_ mask: Output, rank: Int, _ m: Match) throws -> Output? {
        guard mask.elementType == m["q"].elementType, let dims = mask.type.shape.dims, dims.count >= 2, dims.count <= rank else { return nil }
        // [..., L or 1, S or 1]: a mask that broadcast the scores up (L = 1 queries against a [.., 6, S] mask) is not
        // what SDPA computes.
        guard let scores = m["logits"].type.shape.dims, let q = m["q"].type.shape.dims, let v = m["v"].type.shape.dims,
              scores.count >= 2, q.count >= 2, v.count >= 2,
              scores[scores.count - 2].isCompatible(with: q[q.count - 2]),
              scores[scores.count - 1].isCompatible(with: v[v.count - 2]) else { return nil }
        guard dims.count == 2 else { return mask }
        if let c = mask.constant { return try m.constant(ConstantMath.reshaped(c, [1] + c.dims)) }
        return try m.add(Unsqueeze(), mask, m.constant(.i64([0])))
    }
}
