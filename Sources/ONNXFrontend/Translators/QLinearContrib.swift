import OVIR

// The com.microsoft quantized ops that onnxruntime's quantizer writes in its QOperator format: each input
// dequantized ((x - zero point) · scale), the float op, and the result quantized again — by FakeQuantize when the
// output scale and zero point are constants (the form the OpenVINO CPU plugin runs in int8), else by Round → Add →
// Clamp → Convert. The output type is the first quantized input's (u8 or i8).
extension TranslatorTable {
    static let qlinearContrib: [TranslatorEntry] = [
        TranslatorEntry("QLinearAdd", domain: "com.microsoft") { ctx in
            [try qlinearBinary(ctx) { a, b in try ctx.add(Add(), [a, b], "add") }]
        },
        TranslatorEntry("QLinearMul", domain: "com.microsoft") { ctx in
            [try qlinearBinary(ctx) { a, b in try ctx.add(Multiply(), [a, b], "multiply") }]
        },
        TranslatorEntry("QLinearSigmoid", domain: "com.microsoft") { ctx in
            [try qlinearUnary(ctx) { x in try ctx.add(Sigmoid(), [x], "sigmoid") }]
        },
        TranslatorEntry("QLinearLeakyRelu", domain: "com.microsoft") { ctx in
            [try qlinearUnary(ctx) { x in try ctx.add(PRelu(), [x, ctx.constant(.scalar(f32: ctx.float("alpha", 0.01)), "alpha")], "leakyRelu") }]
        },
        TranslatorEntry("QLinearGlobalAveragePool", domain: "com.microsoft", translateQLinearGlobalAveragePool),
        TranslatorEntry("QLinearConcat", domain: "com.microsoft", translateQLinearConcat),
    ]
}

/// Input `i` dequantized with its scale (input `i + 1`) and optional zero point (input `i + 2`).
private func dequantizedInput(_ ctx: NodeContext, _ i: Int, _ suffix: String) throws -> Output {
    let x = try ctx.input(i)
    guard quantizedIntegerRange(x.elementType) != nil else { throw ctx.error("input \(i) must be u8 or i8, got \(x.elementType)") }
    return try ctx.dequantized(x, scale: ctx.input(i + 1), zeroPoint: ctx.optionalInput(i + 2), suffix)
}

/// `y` quantized to `type` with the scale and optional zero point at inputs `i`, `i + 1`; takes the node's name.
private func requantized(_ ctx: NodeContext, _ y: Output, scaleAt i: Int, to type: ElementType) throws -> Output {
    let scale = try ctx.input(i), zeroPoint = try ctx.optionalInput(i + 1)
    if let q = try ctx.fakeQuantized(y, scale: scale, zeroPoint: zeroPoint, to: type) { return q }
    let s = scale.elementType == .f32 ? scale : try ctx.add(Convert(.f32), [scale], "outputScaleFloat")
    return try ctx.quantizedInteger(ctx.add(Divide(), [y, s], "scaled"), zeroPoint: zeroPoint, to: type)
}

/// (A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point) → C.
private func qlinearBinary(_ ctx: NodeContext, _ body: (Output, Output) throws -> Output) throws -> Output {
    let y = try body(dequantizedInput(ctx, 0, "aDequantized"), dequantizedInput(ctx, 3, "bDequantized"))
    return try requantized(ctx, y, scaleAt: 6, to: ctx.input(0).elementType)
}

/// (X, X_scale, X_zero_point, Y_scale, Y_zero_point) → Y.
private func qlinearUnary(_ ctx: NodeContext, _ body: (Output) throws -> Output) throws -> Output {
    try requantized(ctx, body(dequantizedInput(ctx, 0, "xDequantized")), scaleAt: 3, to: ctx.input(0).elementType)
}

/// The mean over the spatial dims of [N, C, spatial...], or of [N, spatial..., C] with channels_last.
private func translateQLinearGlobalAveragePool(_ ctx: NodeContext) throws -> [Output] {
    let x = try dequantizedInput(ctx, 0, "xDequantized")
    let rank = try ctx.rank(of: x, atLeast: 3)
    let axes = ctx.int("channels_last", 0) != 0 ? Array(1..<(rank - 1)) : Array(2..<rank)
    let mean = try ctx.add(ReduceMean(keepDims: true), [x, ctx.i64(axes, "axes")], "mean")
    return [try requantized(ctx, mean, scaleAt: 3, to: ctx.input(0).elementType)]
}

/// (Y_scale, Y_zero_point, X0, X0_scale, X0_zero_point, X1, ...) → Y, concatenated along `axis`.
private func translateQLinearConcat(_ ctx: NodeContext) throws -> [Output] {
    guard ctx.inputCount >= 5, (ctx.inputCount - 2) % 3 == 0 else {
        throw ctx.error("needs Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples, got \(ctx.inputCount) inputs")
    }
    guard let axis = ctx.int("axis") else { throw ctx.error("attribute 'axis' is required") }
    let parts = try stride(from: 2, to: ctx.inputCount, by: 3).map { try dequantizedInput(ctx, $0, "x\(($0 - 2) / 3)Dequantized") }
    let rank = try ctx.rank(of: parts[0], atLeast: 1)
    let y = try ctx.add(Concat(axis: ctx.axis(axis, rank: rank)), parts, "concat")
    return [try requantized(ctx, y, scaleAt: 0, to: ctx.input(2).elementType)]
}
