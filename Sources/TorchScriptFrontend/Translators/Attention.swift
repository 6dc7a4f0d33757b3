import OVIR

// Attention, decomposed into the MatMul → Softmax → MatMul that OpenVINO's CPU plugin fuses.
extension TSTranslatorTable {
    static let attention: [TSTranslatorEntry] = [
        TSTranslatorEntry("aten::scaled_dot_product_attention", translateScaledDotProductAttention),
    ]
}

/// scaled_dot_product_attention(q, k, v, attn_mask?, dropout_p, is_causal[, scale?[, enable_gqa]]):
/// softmax(q·kᵀ·scale + mask)·v, scale defaulting to 1/√E; a boolean mask keeps where true, a float mask is added;
/// causal masks out keys after the query's position (the upper triangle of L×S). Dropout is off at inference.
private func translateScaledDotProductAttention(_ ctx: TSNodeContext) throws -> [TSValue] {
    let q = try ctx.tensor(0), k = try ctx.tensor(1), v = try ctx.tensor(2)
    let type = q.elementType
    guard let rank = q.shape.rank, rank >= 2 else { throw ctx.error("query must have rank 2 or more, got \(q.shape)") }
    if ctx.inputCount > 7, try ctx.bool(7) { throw ctx.error("enable_gqa (grouped-query attention) is not supported") }
    let scale: Output
    if ctx.inputCount > 6, let s = try ctx.optionalDouble(6) {
        scale = try ctx.scalarConstant(s, type, "scale")
    } else if let e = q.shape.dims?.last?.value {
        scale = try ctx.scalarConstant(1 / Double(e).squareRoot(), type, "scale")
    } else {
        // 1/√E of a dynamic E.
        let shape = try ctx.add(ShapeOf(), [q], "queryShape")
        let e = try ctx.add(Gather(), [shape, ctx.constant(.scalar(i64: -1), "lastIndex"), ctx.constant(.scalar(i64: 0), "axis")], "embedding")
        let root = try ctx.add(Sqrt(), [ctx.convert(e, to: type, "embeddingCast")], "sqrtE")
        scale = try ctx.add(Divide(), [ctx.scalarConstant(1, type, "one"), root], "scale")
    }
    let scores = try ctx.add(MatMul(transposeB: true), [q, k], "scores")
    var logits = try ctx.add(Multiply(), [scores, scale], "scaled")
    if let mask = try ctx.optionalTensor(3) {
        if mask.elementType == .boolean {
            logits = try ctx.add(Select(), [mask, logits, ctx.scalarConstant(-Double.infinity, type, "maskedOut")], "masked")
        } else {
            logits = try ctx.add(Add(), [logits, ctx.convert(mask, to: type, "maskCast")], "masked")
        }
    }
    if ctx.inputCount > 5, try ctx.bool(5) {
        // Row i keeps columns j ≤ i: Select(j > i, -inf, logits) over the last two dims of the scores.
        let shape = try ctx.add(ShapeOf(), [scores], "scoresShape")
        func dim(_ i: Int, _ name: String) throws -> Output {
            try ctx.add(Gather(), [shape, ctx.constant(.scalar(i64: i), "\(name)Index"), ctx.constant(.scalar(i64: 0), "\(name)Axis")], name)
        }
        let zero = try ctx.constant(.scalar(i64: 0), "zero"), one = try ctx.constant(.scalar(i64: 1), "step")
        let rows = try ctx.add(RangeOp(outputType: .i64), [zero, dim(-2, "queries"), one], "rows")
        let columns = try ctx.add(RangeOp(outputType: .i64), [zero, dim(-1, "keys"), one], "columns")
        let rowColumn = try ctx.add(Unsqueeze(), [rows, ctx.i64([1], "rowAxis")], "rowColumn")
        let future = try ctx.add(Greater(), [columns, rowColumn], "future")
        logits = try ctx.add(Select(), [future, ctx.scalarConstant(-Double.infinity, type, "futureOut"), logits], "causal")
    }
    let weights = try ctx.add(Softmax(axis: -1), [logits], "weights")
    return [.tensor(try ctx.add(MatMul(), [weights, v]))]
}
