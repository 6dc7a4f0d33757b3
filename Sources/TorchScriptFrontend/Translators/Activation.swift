import OVIR

// Activations and softmax.
extension TSTranslatorTable {
    static let activation: [TSTranslatorEntry] = [
        .unary("aten::relu", Relu.self),
        .unary("aten::sigmoid", Sigmoid.self),
        .unary("aten::tanh", Tanh.self),
        .unary("aten::silu", Swish.self),
        .unary("aten::hardswish", HSwish.self),
        .unary("aten::hardsigmoid", HSigmoid.self),
        .unary("aten::mish", Mish.self),
        .unary("aten::softsign", SoftSign.self),
        TSTranslatorEntry("aten::relu6") { ctx in [.tensor(try ctx.add(Clamp(min: 0, max: 6), [ctx.tensor(0)]))] },
        // self, min_val, max_val
        TSTranslatorEntry("aten::hardtanh") { ctx in
            [.tensor(try ctx.add(Clamp(min: ctx.optionalDouble(1) ?? -1, max: ctx.optionalDouble(2) ?? 1), [ctx.tensor(0)]))]
        },
        TSTranslatorEntry("aten::clamp", translateClamp),
        TSTranslatorEntry("aten::clip", translateClamp),
        TSTranslatorEntry("aten::gelu", translateGelu),
        TSTranslatorEntry("aten::leaky_relu", translateLeakyRelu),
        TSTranslatorEntry("aten::elu", translateElu),
        TSTranslatorEntry("aten::softplus", translateSoftplus),
        TSTranslatorEntry("aten::softmax") { ctx in [.tensor(try softmax(ctx, log: false))] },
        TSTranslatorEntry("aten::log_softmax") { ctx in [.tensor(try softmax(ctx, log: true))] },
    ]
}

/// clamp(x, min?, max?): Clamp when both bounds are known numbers, else Maximum/Minimum.
private func translateClamp(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    // A None bound is open; a bound known only at run time takes Maximum/Minimum.
    let big = Double(Float.greatestFiniteMagnitude)
    let lo = try ctx.isNone(1) ? -big : try? ctx.double(1)
    let hi = try ctx.isNone(2) ? big : try? ctx.double(2)
    if let lo, let hi, x.elementType.isFloatingPoint { return [.tensor(try ctx.add(Clamp(min: lo, max: hi), [x]))] }
    var y = x
    if try !ctx.isNone(1) { y = try ctx.add(Maximum(), [y, ctx.convert(ctx.tensor(1), to: x.elementType, "minCast")], try ctx.isNone(2) ? nil : "min") }
    if try !ctx.isNone(2) { y = try ctx.add(Minimum(), [y, ctx.convert(ctx.tensor(2), to: x.elementType, "maxCast")]) }
    return [.tensor(y)]
}

/// gelu(x, approximate: "none" | "tanh").
private func translateGelu(_ ctx: TSNodeContext) throws -> [TSValue] {
    let mode = ctx.inputCount > 1 ? try ctx.string(1) : "none"
    let approximation: Gelu.Approximation
    switch mode {
    case "none": approximation = .erf
    case "tanh": approximation = .tanh
    default: throw ctx.error("gelu approximate '\(mode)' is not 'none' or 'tanh'")
    }
    return [.tensor(try ctx.add(Gelu(approximationMode: approximation), [ctx.tensor(0)]))]
}

/// leaky_relu(x, negative_slope) → PRelu with a scalar slope.
private func translateLeakyRelu(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let slope = ctx.inputCount > 1 ? try ctx.double(1) : 0.01
    return [.tensor(try ctx.add(PRelu(), [x, ctx.scalarConstant(slope, x.elementType, "slope")]))]
}

/// elu(x, alpha, scale, input_scale) = scale · elu(input_scale · x, alpha).
private func translateElu(_ ctx: TSNodeContext) throws -> [TSValue] {
    var x = try ctx.tensor(0)
    let alpha = ctx.inputCount > 1 ? try ctx.double(1) : 1
    let scale = ctx.inputCount > 2 ? try ctx.double(2) : 1, inputScale = ctx.inputCount > 3 ? try ctx.double(3) : 1
    if inputScale != 1 { x = try ctx.add(Multiply(), [x, ctx.scalarConstant(inputScale, x.elementType, "inputScale")], "scaledInput") }
    guard scale != 1 else { return [.tensor(try ctx.add(Elu(alpha: alpha), [x]))] }
    let y = try ctx.add(Elu(alpha: alpha), [x], "elu")
    return [.tensor(try ctx.add(Multiply(), [y, ctx.scalarConstant(scale, x.elementType, "scale")]))]
}

/// softplus(x, beta, threshold) = log(1 + exp(beta·x)) / beta (linear above threshold, which SoftPlus
/// matches within float precision).
private func translateSoftplus(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let beta = ctx.inputCount > 1 ? try ctx.double(1) : 1
    guard beta != 1 else { return [.tensor(try ctx.add(SoftPlus(), [x]))] }
    let scaled = try ctx.add(Multiply(), [x, ctx.scalarConstant(beta, x.elementType, "beta")], "scaled")
    let y = try ctx.add(SoftPlus(), [scaled], "softplus")
    return [.tensor(try ctx.add(Divide(), [y, ctx.scalarConstant(beta, x.elementType, "betaDivisor")]))]
}

/// softmax / log_softmax(x, dim, dtype?): the dtype, when given, converts the input first.
private func softmax(_ ctx: TSNodeContext, log: Bool) throws -> Output {
    var x = try ctx.tensor(0)
    let dim = try ctx.int(1)
    if ctx.inputCount > 2, let code = try ctx.optionalInt(2) {
        guard let t = TSScalarType.elementType(code: code) else { throw ctx.error("dtype \(code) is not supported") }
        x = try ctx.convert(x, to: t)
    }
    return try ctx.add(log ? LogSoftmax(axis: dim) as any Op : Softmax(axis: dim), [x])
}
