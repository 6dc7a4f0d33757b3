import OVIR

// Matrix products: MatMul, Gemm, MatMulInteger, QLinearMatMul, Einsum.
extension TranslatorTable {
    static let matmul: [TranslatorEntry] = [
        .binary("MatMul") { MatMul() },
        TranslatorEntry("Gemm", translateGemm),
        TranslatorEntry("MatMulInteger", translateMatMulInteger),
        TranslatorEntry("QLinearMatMul", since: 10, translateQLinearMatMul),
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

/// QLinearMatMul. With constant per-tensor output parameters, in the QDQ form the OpenVINO CPU plugin runs as an
/// int8 product: dequantized a and b, the float MatMul, quantized by FakeQuantize. Otherwise as the ONNX reference
/// computes it: (a - a_zero_point) × (b - b_zero_point) in f32 times a_scale · b_scale / y_scale (in the scales'
/// type), plus y_zero_point, rounded half to even and saturated to the output type (y_zero_point's, else a's).
/// 1-D a parameters are per row ([M] → [M, 1]), b's per column.
private func translateQLinearMatMul(_ ctx: NodeContext) throws -> [Output] {
    func perRow(_ p: Output, _ suffix: String) throws -> Output {
        guard p.shape.rank == 1, p.shape.staticDims != [1] else { return p }
        return try ctx.add(Unsqueeze(), [p, ctx.i64([-1], "\(suffix)/axis")], suffix)
    }
    let a = try ctx.input(0), b = try ctx.input(3), yScale = try ctx.input(6), yZeroPoint = try ctx.optionalInput(7)
    let type = yZeroPoint?.elementType ?? a.elementType
    if quantizedIntegerRange(type) != nil, yScale.constant != nil, yZeroPoint == nil || yZeroPoint?.constant != nil {
        let ad = try ctx.dequantized(a, scale: perRow(ctx.input(1), "aScaleRows"),
                                     zeroPoint: ctx.optionalInput(2).map { try perRow($0, "aZeroPointRows") }, "aDequantized")
        let bd = try ctx.dequantized(b, scale: ctx.input(4), zeroPoint: ctx.optionalInput(5), "bDequantized")
        if let q = try ctx.fakeQuantized(ctx.add(MatMul(), [ad, bd], "matmul"), scale: yScale, zeroPoint: yZeroPoint, to: type) {
            return [q]
        }
    }
    func shifted(_ x: Output, _ zeroPoint: Output?, _ name: String, perRow row: Bool) throws -> Output {
        let xf = try ctx.add(Convert(.f32), [x], "\(name)Float")
        guard let zeroPoint else { return xf }
        let zp = row ? try perRow(zeroPoint, "\(name)ZeroPointRows") : zeroPoint
        return try ctx.add(Subtract(), [xf, ctx.add(Convert(.f32), [zp], "\(name)ZeroPoint")], "\(name)Shifted")
    }
    let product = try ctx.add(MatMul(), [shifted(a, ctx.optionalInput(2), "a", perRow: true), shifted(b, ctx.optionalInput(5), "b", perRow: false)],
                              "matmul")
    let scales = try ctx.add(Multiply(), [perRow(ctx.input(1), "aScaleRows"), ctx.input(4)], "scaleProduct")
    var factor = try ctx.add(Divide(), [scales, yScale], "factor")
    if factor.elementType != .f32 { factor = try ctx.add(Convert(.f32), [factor], "factorFloat") }
    return [try ctx.quantizedInteger(ctx.add(Multiply(), [product, factor], "requantized"), zeroPoint: yZeroPoint, to: type)]
}
