import OVIR

// Activations and the softmax family.
extension TranslatorTable {
    static let activation: [TranslatorEntry] = [
        .unary("Relu", Relu.self),
        .unary("Sigmoid", Sigmoid.self),
        .unary("Tanh", Tanh.self),
        .unary("HardSwish", HSwish.self),
        .unary("Mish", Mish.self),
        .unary("Softplus", SoftPlus.self),
        .unary("Softsign", SoftSign.self),
        TranslatorEntry("Elu") { ctx in [try ctx.add(Elu(alpha: Double(onnx: ctx.float("alpha", 1))), [ctx.input(0)])] },
        TranslatorEntry("Gelu", since: 20) { ctx in
            let mode: Gelu.Approximation = ctx.string("approximate", "none") == "tanh" ? .tanh : .erf
            return [try ctx.add(Gelu(approximationMode: mode), [ctx.input(0)])]
        },
        TranslatorEntry("LeakyRelu") { ctx in
            let x = try ctx.input(0)
            return [try ctx.add(PRelu(), [x, ctx.scalar(ctx.float("alpha", 0.01), like: x, "alpha")])]
        },
        TranslatorEntry("PRelu", translatePRelu),
        TranslatorEntry("Selu") { ctx in
            let x = try ctx.input(0)
            return [try ctx.add(Selu(), [x, ctx.scalar(ctx.float("alpha", 1.67326319217681884765625), like: x, "alpha"),
                                         ctx.scalar(ctx.float("gamma", 1.05070102214813232421875), like: x, "gamma")])]
        },
        TranslatorEntry("HardSigmoid") { ctx in
            let x = try ctx.input(0)
            return [try ctx.add(HardSigmoid(), [x, ctx.scalar(ctx.float("alpha", 0.2), like: x, "alpha"),
                                                ctx.scalar(ctx.float("beta", 0.5), like: x, "beta")])]
        },
        TranslatorEntry("Swish") { ctx in
            let x = try ctx.input(0)
            let alpha = ctx.float("alpha", 1)
            if alpha == 1 { return [try ctx.add(Swish(), [x])] }
            return [try ctx.add(Swish(), [x, ctx.scalar(alpha, like: x, "alpha")])]
        },
        TranslatorEntry("SwiGLU", since: 28) { ctx in
            let a = try ctx.input(0)
            let alpha = ctx.float("alpha", 1)
            let swish = try ctx.add(Swish(), [a] + (alpha == 1 ? [] : [try ctx.scalar(alpha, like: a, "alpha")]), "swish")
            return [try ctx.add(Multiply(), [swish, ctx.input(1)])]
        },
        TranslatorEntry("Celu", translateCelu),
        TranslatorEntry("ThresholdedRelu", translateThresholdedRelu),
        TranslatorEntry("Shrink", translateShrink),
        TranslatorEntry("Clip", translateClipAttributes),
        TranslatorEntry("Clip", since: 11, translateClipInputs),
        TranslatorEntry("Softmax") { ctx in [try flattenedSoftmax(ctx) { Softmax(axis: $0) }] },
        TranslatorEntry("Softmax", since: 13) { ctx in [try ctx.add(Softmax(axis: ctx.int("axis", -1)), [ctx.input(0)])] },
        TranslatorEntry("LogSoftmax") { ctx in [try flattenedSoftmax(ctx) { LogSoftmax(axis: $0) }] },
        TranslatorEntry("LogSoftmax", since: 13) { ctx in [try ctx.add(LogSoftmax(axis: ctx.int("axis", -1)), [ctx.input(0)])] },
        TranslatorEntry("Hardmax") { ctx in [try flattened(ctx, axis: ctx.int("axis", 1)) { x, axis, suffix in try hardmax(ctx, x, axis: axis, suffix) }] },
        TranslatorEntry("Hardmax", since: 13) { ctx in [try hardmax(ctx, ctx.input(0), axis: ctx.int("axis", -1), nil)] },
    ]
}


/// PRelu: the slope broadcasts like numpy; it is given the data's rank first, because OpenVINO reads a
/// 1-D slope matching the channel count as per-channel.
private func translatePRelu(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    var slope = try ctx.input(1)
    if let rx = x.shape.rank, let rs = slope.shape.rank, rs < rx, rs > 0 {
        slope = try ctx.add(Unsqueeze(), [slope, ctx.i64(Array(0..<(rx - rs)), "slopeAxes")], "slope")
    }
    return [try ctx.add(PRelu(), [x, slope])]
}

/// Celu = alpha · elu(x / alpha).
private func translateCelu(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let alpha = ctx.float("alpha", 1)
    if alpha == 1 { return [try ctx.add(Elu(alpha: 1), [x])] }
    let scaled = try ctx.add(Divide(), [x, ctx.scalar(alpha, like: x, "alpha")], "scaled")
    let elu = try ctx.add(Elu(alpha: 1), [scaled], "elu")
    return [try ctx.add(Multiply(), [elu, ctx.scalar(alpha, like: x, "alpha2")])]
}

/// ThresholdedRelu = x where x > alpha, else 0.
private func translateThresholdedRelu(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let above = try ctx.add(Greater(), [x, ctx.scalar(ctx.float("alpha", 1), like: x, "alpha")], "above")
    return [try ctx.add(Select(), [above, x, ctx.scalar(0, like: x, "zero")])]
}

/// Shrink = x + bias below -lambd, x - bias above lambd, 0 between.
private func translateShrink(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let lambd = ctx.float("lambd", 0.5), bias = ctx.float("bias", 0)
    let below = try ctx.add(Less(), [x, ctx.scalar(-lambd, like: x, "minusLambd")], "below")
    let above = try ctx.add(Greater(), [x, ctx.scalar(lambd, like: x, "lambd")], "above")
    let b = try ctx.scalar(bias, like: x, "bias")
    let low = try ctx.add(Add(), [x, b], "low")
    let high = try ctx.add(Subtract(), [x, b], "high")
    let upper = try ctx.add(Select(), [above, high, ctx.scalar(0, like: x, "zero")], "upper")
    return [try ctx.add(Select(), [below, low, upper])]
}

/// Clip-1/-6: `min`/`max` attributes (defaulting to the float range) → Clamp.
private func translateClipAttributes(_ ctx: NodeContext) throws -> [Output] {
    let lo = Double(onnx: ctx.float("min", -Float.greatestFiniteMagnitude))
    let hi = Double(onnx: ctx.float("max", Float.greatestFiniteMagnitude))
    return [try ctx.add(Clamp(min: lo, max: hi), [ctx.input(0)])]
}

/// Clip-11+: optional `min`/`max` inputs. Constant scalar bounds become Clamp; runtime bounds become
/// Maximum/Minimum (which also give ONNX's result, max, when min > max).
private func translateClipInputs(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let lo = try ctx.optionalInput(1), hi = try ctx.optionalInput(2)
    if x.elementType.isFloatingPoint, let l = lo?.constant?.doubleValues(), let h = hi?.constant?.doubleValues(),
       l.count == 1, h.count == 1, l[0] <= h[0], l[0].isFinite, h[0].isFinite {
        return [try ctx.add(Clamp(min: l[0], max: h[0]), [x])]
    }
    var y = x
    if let lo { y = try ctx.add(Maximum(), [y, lo], hi == nil ? nil : "min") }
    if let hi { y = try ctx.add(Minimum(), [y, hi]) }
    if lo == nil, hi == nil { return [x] }
    return [y]
}

/// Softmax/LogSoftmax before opset 13: the input is coerced to 2-D at `axis` (default 1), normalized
/// along the second dim, and reshaped back. When `axis` is the last axis this is a plain softmax.
private func flattenedSoftmax(_ ctx: NodeContext, _ make: @escaping (Int) -> any Op) throws -> Output {
    try flattened(ctx, axis: ctx.int("axis", 1)) { x, axis, suffix in try ctx.add(make(axis), [x], suffix) }
}

/// Applies `body(x, axis, suffix)` with the pre-13 "coerce to 2-D" semantics.
private func flattened(_ ctx: NodeContext, axis: Int, _ body: (Output, Int, String?) throws -> Output) throws -> Output {
    let x = try ctx.input(0)
    guard let rank = x.shape.rank else { throw ctx.error("input rank must be known") }
    let a = try ctx.axis(axis, rank: rank, inclusive: true)
    if a == rank - 1 { return try body(x, -1, nil) }
    // [d0·…·d(a-1), da·…·d(r-1)]; with special_zero unset, 0 dims are impossible here.
    let shape = try ctx.add(ShapeOf(), [x], "shape")
    let target: Output
    if let dims = x.shape.staticDims {
        target = try ctx.i64([dims[..<a].reduce(1, *), dims[a...].reduce(1, *)], "shape2D")
    } else if a == 0 {
        target = try ctx.i64([1, -1], "shape2D")
    } else {
        let head = try ctx.add(Slice(), [shape, ctx.i64([0], "zero"), ctx.i64([a], "axis"), ctx.i64([1], "step")], "head")
        let outer = try ctx.add(ReduceProd(keepDims: true), [head, ctx.i64([0], "reduceAxis")], "outer")
        target = try ctx.add(Concat(axis: 0), [outer, ctx.i64([-1], "minusOne")], "shape2D")
    }
    let flat = try ctx.add(Reshape(specialZero: false), [x, target], "flat")
    let y = try body(flat, 1, "normalized")
    return try ctx.add(Reshape(specialZero: false), [y, shape])
}

/// Hardmax = one-hot of the first maximum along `axis`: TopK(k=1, stable) indices compared with an index ramp.
private func hardmax(_ ctx: NodeContext, _ x: Output, axis: Int, _ suffix: String?) throws -> Output {
    guard let dims = x.shape.dims else { throw ctx.error("input rank must be known") }
    let a = try ctx.axis(axis, rank: dims.count)
    let topK = try ctx.addNode(TopK(axis: a, mode: .max, sort: .index, indexElementType: .i64, stable: true),
                               [x, ctx.scalarI64(1, "k")], suffix.map { "\($0)/topK" } ?? "topK")
    // 0, 1, ..., n-1 along the axis (trailing 1s broadcast it); from ShapeOf when n is known only at run time.
    let ones = Array(repeating: 1, count: dims.count - a - 1)
    let ramp: Output
    if let n = dims[a].value {
        ramp = try ctx.constant(.i64(Array(0..<n), dims: [n] + ones), "ramp")
    } else {
        let n = try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "shape"), ctx.scalarI64(a, "axis"), ctx.scalarI64(0, "gatherAxis")], "size")
        let range = try ctx.add(RangeOp(outputType: .i64), [ctx.scalarI64(0, "start"), n, ctx.scalarI64(1, "step")], "range")
        ramp = ones.isEmpty ? range : try ctx.add(Reshape(specialZero: false), [range, ctx.i64([-1] + ones, "rampShape")], "ramp")
    }
    let isMax = try ctx.add(Equal(), [topK.output(1), ramp], suffix.map { "\($0)/isMax" } ?? "isMax")
    return try ctx.add(Select(), [isMax, ctx.scalar(1, like: x, "one"), ctx.scalar(0, like: x, "zero")], suffix)
}
