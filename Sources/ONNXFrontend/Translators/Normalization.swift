import OVIR

// Normalizations: BatchNormalization, InstanceNormalization, LayerNormalization, GroupNormalization,
// RMSNormalization, MeanVarianceNormalization, LRN, LpNormalization.
extension TranslatorTable {
    static let normalization: [TranslatorEntry] = [
        TranslatorEntry("BatchNormalization", translateBatchNormalization),
        TranslatorEntry("InstanceNormalization", translateInstanceNormalization),
        TranslatorEntry("LayerNormalization", since: 17, translateLayerNormalization),
        TranslatorEntry("GroupNormalization", since: 18, translateGroupNormalization),
        TranslatorEntry("RMSNormalization", since: 23, translateRMSNormalization),
        TranslatorEntry("MeanVarianceNormalization", translateMeanVarianceNormalization),
        TranslatorEntry("LRN", translateLRN),
        TranslatorEntry("LpNormalization", translateLpNormalization),
    ]
}

/// BatchNormalization: BatchNormInference; in training mode (opset 14+) the batch statistics are computed
/// and the running mean/variance outputs are blended with `momentum`.
private func translateBatchNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1), bias = try ctx.input(2)
    var mean = try ctx.input(3), variance = try ctx.input(4)
    let epsilon = Double(onnx: ctx.float("epsilon", 1e-5))
    if let spatial = ctx.int("spatial"), spatial == 0, ctx.opset < 9 {
        throw ctx.error("spatial=0 is not supported")
    }
    let training = ctx.opset >= 14 && ctx.int("training_mode", 0) != 0
    guard training else {
        return [try ctx.add(BatchNormInference(epsilon: epsilon), [x, scale, bias, mean, variance])]
    }
    let rank = try ctx.rank(of: x, atLeast: 2)
    let axes = try ctx.i64([0] + Array(2..<rank), "axes")
    let batchMean = try ctx.add(ReduceMean(keepDims: false), [x, axes], "batchMean")
    let keptMean = try ctx.add(ReduceMean(keepDims: true), [x, axes], "keptMean")
    let centered = try ctx.add(Subtract(), [x, keptMean], "centered")
    let batchVariance = try ctx.add(ReduceMean(keepDims: false), [try ctx.add(Multiply(), [centered, centered], "squared"), axes], "batchVariance")
    let y = try ctx.add(BatchNormInference(epsilon: epsilon), [x, scale, bias, batchMean, batchVariance])
    var outs = [y]
    if ctx.hasOutput(1) || ctx.hasOutput(2) {
        let momentum = ctx.float("momentum", 0.9)
        func blend(_ running: Output, _ current: Output, _ suffix: String) throws -> Output {
            let a = try ctx.add(Multiply(), [running, ctx.scalar(momentum, like: running, "\(suffix)Momentum")], "\(suffix)Kept")
            let b = try ctx.add(Multiply(), [current, ctx.scalar(1 - momentum, like: current, "\(suffix)Rest")], "\(suffix)New")
            return try ctx.add(Add(), [a, b], suffix)
        }
        mean = try blend(mean, batchMean, "runningMean")
        variance = try blend(variance, batchVariance, "runningVar")
        outs += [mean, variance]
    }
    return outs
}

/// InstanceNormalization = MVN over the spatial axes, then per-channel scale and bias.
private func translateInstanceNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1), bias = try ctx.input(2)
    let rank = try ctx.rank(of: x, atLeast: 2)
    let axes = try ctx.spatialAxes(x)
    let eps = Double(onnx: ctx.float("epsilon", 1e-5))
    let normalized = try ctx.add(MVN(eps: eps, normalizeVariance: true, epsMode: .insideSqrt), [x, axes], "mvn")
    let scaled = try ctx.add(Multiply(), [normalized, ctx.channelVector(scale, rank: rank, "scale")], "scaled")
    return [try ctx.add(Add(), [scaled, ctx.channelVector(bias, rank: rank, "bias")])]
}

/// LayerNormalization = MVN over the axes from `axis` on, times Scale, plus B. The optional Mean and
/// InvStdDev outputs need the explicit formula.
private func translateLayerNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1), bias = try ctx.optionalInput(2)
    let (axes, _) = try ctx.trailingAxes(x, from: ctx.int("axis", -1))
    let eps = ctx.float("epsilon", 1e-5)
    let normalized: Output
    var extra: [Output] = []
    if ctx.hasOutput(1) || ctx.hasOutput(2) {
        let mean = try ctx.add(ReduceMean(keepDims: true), [x, axes], "mean")
        let centered = try ctx.add(Subtract(), [x, mean], "centered")
        let variance = try ctx.add(ReduceMean(keepDims: true), [try ctx.add(Multiply(), [centered, centered], "squared"), axes], "variance")
        let std = try ctx.add(Sqrt(), [try ctx.add(Add(), [variance, ctx.scalar(eps, like: x, "eps")], "varianceEps")], "std")
        let invStd = try ctx.add(Divide(), [ctx.scalar(1, like: x, "one"), std], "invStdDev")
        normalized = try ctx.add(Multiply(), [centered, invStd], "normalized")
        extra = [mean, invStd]
    } else {
        normalized = try ctx.add(MVN(eps: Double(onnx: eps), normalizeVariance: true, epsMode: .insideSqrt), [x, axes], "mvn")
    }
    guard let bias else { return [try ctx.add(Multiply(), [normalized, scale])] + extra }
    let scaled = try ctx.add(Multiply(), [normalized, scale], "scaled")
    return [try ctx.add(Add(), [scaled, bias])] + extra
}

/// GroupNormalization: MVN of `[N, G, -1]`, reshaped back. Scale and bias are per group in opset 18
/// (applied in the grouped layout) and per channel from opset 21.
private func translateGroupNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1), bias = try ctx.input(2)
    guard let groups = ctx.int("num_groups") else { throw ctx.error("num_groups is required") }
    guard groups > 0 else { throw ctx.error("num_groups must be positive, got \(groups)") }
    let rank = try ctx.rank(of: x, atLeast: 2)
    let eps = Double(onnx: ctx.float("epsilon", 1e-5))
    let grouped = try ctx.add(Reshape(specialZero: true), [x, ctx.i64([0, groups, -1], "groupedShape")], "grouped")
    var y = try ctx.add(MVN(eps: eps, normalizeVariance: true, epsMode: .insideSqrt), [grouped, ctx.i64([2], "axes")], "mvn")
    if ctx.opset < 21 {
        let s = try ctx.add(Reshape(specialZero: false), [scale, ctx.i64([1, -1, 1], "scaleShape")], "scale")
        let b = try ctx.add(Reshape(specialZero: false), [bias, ctx.i64([1, -1, 1], "biasShape")], "bias")
        y = try ctx.add(Add(), [try ctx.add(Multiply(), [y, s], "scaled"), b], "shifted")
        return [try ctx.add(Reshape(specialZero: false), [y, ctx.add(ShapeOf(), [x], "shape")])]
    }
    y = try ctx.add(Reshape(specialZero: false), [y, ctx.add(ShapeOf(), [x], "shape")], "normalized")
    let scaled = try ctx.add(Multiply(), [y, ctx.channelVector(scale, rank: rank, "scale")], "scaled")
    return [try ctx.add(Add(), [scaled, ctx.channelVector(bias, rank: rank, "bias")])]
}

/// RMSNormalization = x / sqrt(mean(x²) + eps) · scale over the axes from `axis` on.
private func translateRMSNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1)
    let (axes, _) = try ctx.trailingAxes(x, from: ctx.int("axis", -1))
    let meanSquare = try ctx.add(ReduceMean(keepDims: true), [try ctx.add(Multiply(), [x, x], "squared"), axes], "meanSquare")
    let rms = try ctx.add(Sqrt(), [try ctx.add(Add(), [meanSquare, ctx.scalar(ctx.float("epsilon", 1e-5), like: x, "eps")], "meanSquareEps")], "rms")
    return [try ctx.add(Multiply(), [try ctx.add(Divide(), [x, rms], "normalized"), scale])]
}

/// MeanVarianceNormalization = (x - mean) / (std + 1e-9) over `axes` (default N, H, W).
private func translateMeanVarianceNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let axes = try ctx.i64(ctx.ints("axes") ?? [0, 2, 3], "axes")
    return [try ctx.add(MVN(eps: 1e-9, normalizeVariance: true, epsMode: .outsideSqrt), [x, axes])]
}

/// LRN across channels: OpenVINO's LRN with axes [1] has ONNX's semantics (alpha divided by size).
private func translateLRN(_ ctx: NodeContext) throws -> [Output] {
    guard let size = ctx.int("size") else { throw ctx.error("size is required") }
    guard size > 0 else { throw ctx.error("size must be positive, got \(size)") }
    let op = LRN(alpha: Double(onnx: ctx.float("alpha", 1e-4)), beta: Double(onnx: ctx.float("beta", 0.75)),
                 bias: Double(onnx: ctx.float("bias", 1)), size: size)
    return [try ctx.add(op, [try ctx.input(0), ctx.i64([1], "axes")])]
}

/// LpNormalization = x / ‖x‖ₚ along `axis` (p = 1 or 2), 0 where the norm is 0.
private func translateLpNormalization(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let axes = try ctx.i64([ctx.int("axis", -1)], "axes")
    let norm: Output
    switch ctx.int("p", 2) {
    case 1: norm = try ctx.add(ReduceL1(keepDims: true), [x, axes], "norm")
    case 2: norm = try ctx.add(ReduceL2(keepDims: true), [x, axes], "norm")
    case let p: throw ctx.error("p=\(p) is not supported (only 1 and 2)")
    }
    let zero = try ctx.scalar(0, like: x, "zero")
    let isZero = try ctx.add(Equal(), [norm, zero], "isZero")
    return [try ctx.add(Select(), [isZero, zero, try ctx.add(Divide(), [x, norm], "normalized")])]
}
