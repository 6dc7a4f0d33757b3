import OVIR

// ONNX Attention (opsets 23, 24 and 25) decomposed into OpenVINO ops, step for step as ONNX defines it (the
// reference in onnx/reference/ops/op_attention.py and the op's function body): heads split from 3-D inputs, the
// KV cache concatenated, the scale split as √scale on Q and K, softcap, an additive bias from the mask, causal
// (offset by the cache), sliding-window and padding masks, grouped-query heads repeated, softmax (optionally in
// another precision), fully masked rows zeroed, and the optional QK output in its four modes.
extension TranslatorTable {
    static let attention: [TranslatorEntry] = [
        TranslatorEntry("Attention", since: 23, translateAttention),
    ]
}

/// The graph-building helpers of one Attention node: Q's element type and named constants and shape pieces.
private struct AttentionBuilder {
    let ctx: NodeContext
    let type: ElementType

    func scalar(_ value: Float, _ suffix: String) throws -> Output {
        try ctx.add(Convert(type), [ctx.constant(.scalar(f32: value), suffix)], "\(suffix)/cast")
    }

    /// Dim `axis` of `x` as an i64 scalar (a Const when static).
    func dim(_ x: Output, _ axis: Int, _ suffix: String) throws -> Output {
        if let d = x.shape.dims?[axis].value { return try ctx.scalarI64(d, suffix) }
        return try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "\(suffix)/shape"), ctx.scalarI64(axis, "\(suffix)/index"),
                                      ctx.scalarI64(0, "\(suffix)/axis")], suffix)
    }

    /// 0 where `allowed`, -inf elsewhere, in Q's type.
    func bias(_ allowed: Output, _ suffix: String) throws -> Output {
        try ctx.add(Select(), [allowed, scalar(0, "\(suffix)/zero"), scalar(-.infinity, "\(suffix)/minusInf")], suffix)
    }

    /// [0, 1, ..., n-1] (i64) shaped by `shape` (e.g. [n, 1] for rows, [1, n] for columns).
    func positions(_ n: Output, _ shape: [Int], _ suffix: String) throws -> Output {
        let r = try ctx.add(RangeOp(outputType: .i64), [ctx.scalarI64(0, "\(suffix)/start"), n, ctx.scalarI64(1, "\(suffix)/step")], suffix)
        return try ctx.add(Reshape(specialZero: false), [r, ctx.i64(shape, "\(suffix)/shape")], "\(suffix)/reshape")
    }

    /// [B, S, heads*size] → [B, heads, S, size].
    func splitHeads(_ x: Output, _ heads: Int, _ suffix: String) throws -> Output {
        let r = try ctx.add(Reshape(specialZero: true), [x, ctx.i64([0, 0, heads, -1], "\(suffix)/shape")], "\(suffix)/reshape")
        return try ctx.add(Transpose(), [r, ctx.i64([0, 2, 1, 3], "\(suffix)/order")], suffix)
    }
}

private func translateAttention(_ ctx: NodeContext) throws -> [Output] {
    var q = try ctx.input(0), k = try ctx.input(1), v = try ctx.input(2)
    let mask = try ctx.optionalInput(3), pastKey = try ctx.optionalInput(4), pastValue = try ctx.optionalInput(5)
    let nonpad = ctx.opset >= 24 ? try ctx.optionalInput(6) : nil
    guard (pastKey == nil) == (pastValue == nil) else { throw ctx.error("past_key and past_value must be given together") }
    guard nonpad == nil || pastKey == nil else { throw ctx.error("nonpad_kv_seqlen cannot be combined with past_key / past_value") }
    let b = AttentionBuilder(ctx: ctx, type: q.elementType)
    guard let rank = q.shape.rank, rank == 3 || rank == 4, k.shape.rank == rank, v.shape.rank == rank else {
        throw ctx.error("Q, K and V must all be of rank 3 or all of rank 4, got \(q.shape), \(k.shape), \(v.shape)")
    }
    var qHeads = ctx.int("q_num_heads"), kvHeads = ctx.int("kv_num_heads")
    if rank == 3 {
        guard let qh = qHeads, let kvh = kvHeads, qh > 0, kvh > 0 else {
            throw ctx.error("3-D Q, K and V need the q_num_heads and kv_num_heads attributes")
        }
        q = try b.splitHeads(q, qh, "q")
        k = try b.splitHeads(k, kvh, "k")
        v = try b.splitHeads(v, kvh, "v")
    } else {
        qHeads = q.shape.dims?[1].value
        kvHeads = k.shape.dims?[1].value
    }

    // √scale on both Q and K, as ONNX computes it (the default scale is 1/√head_size).
    let sqrtScale: Output
    if let scale = ctx.float("scale") {
        sqrtScale = try b.scalar(Float(Double(scale).squareRoot()), "sqrtScale")
    } else if let d = q.shape.dims?[3].value {
        sqrtScale = try b.scalar(Float((1 / Double(d).squareRoot()).squareRoot()), "sqrtScale")
    } else {
        let size = try ctx.add(Convert(.f32), [b.dim(q, 3, "headSize")], "headSize/float")
        let s = try ctx.add(Sqrt(), [ctx.add(Sqrt(), [size], "sqrtHeadSize")], "fourthRootHeadSize")
        sqrtScale = try ctx.add(Convert(b.type), [ctx.add(Divide(), [ctx.constant(.scalar(f32: 1), "one"), s], "sqrtScale/f32")], "sqrtScale")
    }

    // The KV cache.
    var presentKey = k, presentValue = v
    if let pastKey, let pastValue {
        presentKey = try ctx.add(Concat(axis: 2), [pastKey, k], "presentKey")
        presentValue = try ctx.add(Concat(axis: 2), [pastValue, v], "presentValue")
    }
    k = presentKey
    v = presentValue

    // The additive bias: from the mask (padded with -inf / false up to the keys' length), causal, window, padding.
    let qLength = try b.dim(q, 2, "qLength"), kvLength = try b.dim(k, 2, "kvLength")
    var maskBias: Output?
    if var m = mask {
        guard let mr = m.shape.rank, mr >= 1 else { throw ctx.error("attn_mask's rank must be known") }
        if m.shape.dims?[mr - 1].value == nil || m.shape.dims?[mr - 1].value != k.shape.dims?[2].value {
            let missing = try ctx.add(Subtract(), [kvLength, b.dim(m, mr - 1, "maskLength")], "maskPad")
            let end = try ctx.add(Concat(axis: 0), [ctx.i64(Array(repeating: 0, count: mr - 1), "maskPad/zeros"),
                                                  ctx.add(Unsqueeze(), [missing, ctx.i64([0], "maskPad/axis")], "maskPad/amount")], "maskPad/end")
            let fill = m.elementType == .boolean ? try ctx.constant(.boolean([false], dims: []), "maskPad/false")
                : try b.scalar(-.infinity, "maskPad/minusInf")
            m = try ctx.add(Pad(mode: .constant), [m, ctx.i64(Array(repeating: 0, count: mr), "maskPad/begin"), end, fill], "maskPadded")
        }
        maskBias = m.elementType == .boolean ? try b.bias(m, "maskBias") : try ctx.add(Convert(b.type), [m], "maskBias")
    }
    // A query at row i attends key j up to i + offset: the cache's length, or per batch nonpad - q_length.
    var offset: Output?
    if let pastKey { offset = try b.dim(pastKey, 2, "pastLength") }
    if let nonpad {
        let perBatch = try ctx.add(Subtract(), [ctx.add(Convert(.i64), [nonpad], "nonpad/i64"), qLength], "offset")
        offset = try ctx.add(Reshape(specialZero: false), [perBatch, ctx.i64([-1, 1, 1, 1], "offset/shape")], "offset/perBatch")
    }
    let rows = try b.positions(qLength, [-1, 1], "rows"), columns = try b.positions(kvLength, [1, -1], "columns")
    let frontier = try offset.map { try ctx.add(Add(), [rows, $0], "frontier") } ?? rows
    var bias = maskBias
    func addBias(_ x: Output, _ suffix: String) throws {
        bias = try bias.map { try ctx.add(Add(), [$0, x], suffix) } ?? x
    }
    if ctx.int("is_causal", 0) != 0 {
        try addBias(b.bias(ctx.add(LessEqual(), [columns, frontier], "causal/allowed"), "causal"), "causalBias")
    }
    let left = ctx.int("left_window_size", -1), right = ctx.int("right_window_size", -1)
    if ctx.opset >= 25, left >= 0 || right >= 0 {
        let diff = try ctx.add(Subtract(), [frontier, columns], "window/diff")
        var allowed: Output?
        if left >= 0 { allowed = try ctx.add(LessEqual(), [diff, ctx.scalarI64(left, "window/left")], "window/leftAllowed") }
        if right >= 0 {
            let r = try ctx.add(GreaterEqual(), [diff, ctx.scalarI64(-right, "window/right")], "window/rightAllowed")
            allowed = try allowed.map { try ctx.add(LogicalAnd(), [$0, r], "window/allowed") } ?? r
        }
        // Materialized to [q, kv] at least, as ONNX adds the window to zeros of that shape.
        try addBias(b.bias(allowed!, "window"), "windowBias")
    }
    if let nonpad {
        let valid = try ctx.add(Less(), [columns, ctx.add(Reshape(specialZero: false), [ctx.add(Convert(.i64), [nonpad], "padding/i64"),
                                                                                         ctx.i64([-1, 1, 1, 1], "padding/shape")], "padding/lengths")],
                                "padding/valid")
        try addBias(b.bias(valid, "padding"), "paddingBias")
    }

    // Grouped-query attention: each KV head repeated for its group of query heads ([h0, h0, h1, h1, ...]). With a head
    // count known only at run time, the group size is computed from Q's and K's shapes (1 when they are equal).
    if qHeads == nil || kvHeads == nil || qHeads != kvHeads {
        let heads: Output, group: Output
        if let qh = qHeads, let kvh = kvHeads {
            guard qh > 0, kvh > 0 else { throw ctx.error("Q has \(qh) heads and K \(kvh): both must be positive") }
            guard qh % kvh == 0 else { throw ctx.error("q_num_heads \(qh) is not a multiple of kv_num_heads \(kvh)") }
            heads = try ctx.i64([qh], "groups/heads")
            group = try ctx.i64([qh / kvh], "groups/size")
        } else {
            func headDim(_ x: Output, _ name: String) throws -> Output {
                try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "groups/\(name)Shape"), ctx.i64([1], "groups/\(name)Index"),
                                       ctx.scalarI64(0, "groups/\(name)Axis")], "groups/\(name)Heads")
            }
            heads = try headDim(q, "q")
            group = try ctx.add(Divide(), [heads, headDim(k, "k")], "groups/size")
        }
        let repeats = try ctx.add(Concat(axis: 0), [ctx.i64([1, 1], "groups/repeatsBefore"), group,
                                                    ctx.i64([1, 1], "groups/repeatsAfter")], "groups/repeats")
        func repeatHeads(_ x: Output, _ suffix: String) throws -> Output {
            let u = try ctx.add(Unsqueeze(), [x, ctx.i64([2], "\(suffix)/axis")], "\(suffix)/unsqueeze")
            let t = try ctx.add(Tile(), [u, repeats], "\(suffix)/tile")
            // [batch, q heads, -1 (the sequence), head size] from x's own shape.
            let xShape = try ctx.add(ShapeOf(), [x], "\(suffix)/shape")
            func dim(_ axis: Int, _ name: String) throws -> Output {
                try ctx.add(Gather(), [xShape, ctx.i64([axis], "\(suffix)/\(name)Index"), ctx.scalarI64(0, "\(suffix)/\(name)Axis")],
                            "\(suffix)/\(name)")
            }
            let shape = try ctx.add(Concat(axis: 0), [dim(0, "batch"), heads, ctx.i64([-1], "\(suffix)/sequence"), dim(3, "size")],
                                    "\(suffix)/target")
            return try ctx.add(Reshape(specialZero: false), [t, shape], suffix)
        }
        k = try repeatHeads(k, "repeatKey")
        v = try repeatHeads(v, "repeatValue")
    }

    var qk = try ctx.add(MatMul(transposeB: true), [ctx.add(Multiply(), [q, sqrtScale], "scaledQ"), ctx.add(Multiply(), [k, sqrtScale], "scaledK")], "qk")
    if let cap = ctx.float("softcap"), cap > 0 {
        let c = try b.scalar(cap, "softcap")
        qk = try ctx.add(Multiply(), [ctx.add(Tanh(), [ctx.add(Divide(), [qk, c], "softcap/divide")], "softcap/tanh"), c], "softcap")
    }
    let withBias = try bias.map { try ctx.add(Add(), [qk, $0], "qkBias") } ?? qk
    var logits = withBias
    if let p = ctx.int("softmax_precision"), let t = ONNXElementType.elementType(Int32(clamping: p)), t != b.type {
        logits = try ctx.add(Convert(t), [logits], "softmax/precision")
    }
    var probabilities = try ctx.add(Softmax(axis: 3), [logits], "softmax")
    // A row whose bias is -inf everywhere attends nothing: its probabilities are 0, not NaN.
    if let bias {
        let rowMax = try ctx.add(ReduceMax(keepDims: true), [bias, ctx.i64([-1], "rowMax/axis")], "rowMax")
        // At or below the type's lowest finite value: OpenVINO's CPU plugin starts ReduceMax from that value, so a
        // row of -inf comes out as it rather than -inf.
        let lowest: Float = switch b.type { case .f16: -65504; case .bf16: -3.3895314e38; default: -.greatestFiniteMagnitude }
        let masked = try ctx.add(LessEqual(), [rowMax, b.scalar(lowest, "rowMax/lowest")], "fullyMasked")
        let zero = try ctx.add(Convert(probabilities.elementType), [ctx.constant(.scalar(f32: 0), "fullyMasked/zero")], "fullyMasked/zeroCast")
        probabilities = try ctx.add(Select(), [masked, zero, probabilities], "softmax/guarded")
    }
    if probabilities.elementType != b.type { probabilities = try ctx.add(Convert(b.type), [probabilities], "softmax/back") }
    var y: Output
    if rank == 3 {
        y = try ctx.add(MatMul(), [probabilities, v], "y")
        y = try ctx.add(Transpose(), [y, ctx.i64([0, 2, 1, 3], "y/order")], "y/transpose")
        y = try ctx.add(Reshape(specialZero: true), [y, ctx.i64([0, 0, -1], "y/shape")])
    } else {
        y = try ctx.add(MatMul(), [probabilities, v])
    }
    var outputs = [y, presentKey, presentValue]
    if ctx.hasOutput(3) {
        switch ctx.int("qk_matmul_output_mode", 0) {
        case 0, 1: outputs.append(qk)
        case 2: outputs.append(withBias)
        case 3: outputs.append(probabilities)
        case let mode: throw ctx.error("qk_matmul_output_mode \(mode) is not 0 to 3")
        }
    }
    return outputs
}
