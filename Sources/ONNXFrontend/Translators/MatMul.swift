import OVIR

// Matrix products: MatMul, Gemm, MatMulInteger, Einsum.
extension TranslatorTable {
    static let matmul: [TranslatorEntry] = [
        .binary("MatMul") { MatMul() },
        TranslatorEntry("Gemm", translateGemm),
        TranslatorEntry("MatMulInteger", translateMatMulInteger),
        TranslatorEntry("Einsum") { ctx in
            guard let eq = ctx.string("equation") else { throw ctx.error("attribute 'equation' is required") }
            // OpenVINO rejects the spaces ONNX allows ("...ii ->...i").
            return [try ctx.add(Einsum(equation: eq.filter { !$0.isWhitespace }), ctx.inputs())]
        },
    ]
}

/// Gemm: alpha * A' * B' + beta * C (C optional from opset 11; the old `broadcast` flag is implied by numpy rules).
private func translateGemm(_ ctx: NodeContext) throws -> [Output] {
    let (a, b, c) = (try ctx.input(0), try ctx.input(1), try ctx.optionalInput(2))
    let alpha = ctx.float("alpha", 1), beta = ctx.float("beta", 1)
    let mm = MatMul(transposeA: ctx.int("transA", 0) != 0, transposeB: ctx.int("transB", 0) != 0)
    let last = c == nil || beta == 0
    var y = try ctx.add(mm, [a, b], last && alpha == 1 ? nil : "matmul")
    if alpha != 1 {
        y = try ctx.add(Multiply(), [y, ctx.scalar(alpha, like: y, "alpha")], last ? nil : "scaled")
    }
    guard let c, beta != 0 else { return [y] }
    let bias = beta == 1 ? c : try ctx.add(Multiply(), [c, ctx.scalar(beta, like: c, "beta")], "bias")
    return [try ctx.add(Add(), [y, bias])]
}

/// MatMulInteger: (A - a_zero_point) × (B - b_zero_point) in i32; a per-row A zero point [M] becomes [M, 1].
private func translateMatMulInteger(_ ctx: NodeContext) throws -> [Output] {
    func shifted(_ i: Int, _ name: String, perRow: Bool) throws -> Output {
        let x = try ctx.add(Convert(.i32), [ctx.input(i)], name)
        guard var zp = try ctx.optionalInput(i + 2) else { return x }
        zp = try ctx.add(Convert(.i32), [zp], "\(name)ZeroPoint")
        if perRow, zp.shape.rank == 1, zp.shape.staticDims != [1] {
            zp = try ctx.add(Unsqueeze(), [zp, ctx.i64([-1], "\(name)Axis")], "\(name)ZeroPointColumn")
        }
        return try ctx.add(Subtract(), [x, zp], "\(name)Shifted")
    }
    return [try ctx.add(MatMul(), [shifted(0, "a", perRow: true), shifted(1, "b", perRow: false)])]
}
