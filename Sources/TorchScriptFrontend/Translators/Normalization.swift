import OVIR

// Layer, group and instance normalization (batch norm is with the convolutions it follows).
extension TSTranslatorTable {
    static let normalization: [TSTranslatorEntry] = [
        TSTranslatorEntry("aten::layer_norm", translateLayerNorm),
        TSTranslatorEntry("aten::group_norm", translateGroupNorm),
        TSTranslatorEntry("aten::instance_norm", translateInstanceNorm),
    ]
}

/// `y · weight + bias` where either may be None.
private func affine(_ ctx: TSNodeContext, _ y: Output, weight: Output?, bias: Output?, rank: Int, channels: Bool) throws -> Output {
    var out = y
    if let weight {
        let w = channels ? try channelVector(ctx, weight, rank: rank, "weight") : weight
        out = try ctx.add(Multiply(), [out, w], bias == nil ? nil : "scaled")
    }
    if let bias {
        let b = channels ? try channelVector(ctx, bias, rank: rank, "bias") : bias
        out = try ctx.add(Add(), [out, b])
    }
    return out
}

/// layer_norm(input, normalized_shape, weight?, bias?, eps, cudnn_enable): MVN over the trailing dims.
private func translateLayerNorm(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    let k = try ctx.ints(1).count
    guard k >= 1, k <= rank else { throw ctx.error("normalized_shape of \(k) dims does not fit rank \(rank)") }
    let weight = try ctx.optionalTensor(2), bias = try ctx.optionalTensor(3)
    let mvn = MVN(eps: try ctx.double(4), normalizeVariance: true, epsMode: .insideSqrt)
    let y = try ctx.add(mvn, [x, ctx.i64(Array((rank - k)..<rank), "axes")], weight == nil && bias == nil ? nil : "mvn")
    return [.tensor(try affine(ctx, y, weight: weight, bias: bias, rank: rank, channels: false))]
}

/// group_norm(input, num_groups, weight?, bias?, eps, cudnn): MVN over each group of `[N, G, -1]`.
private func translateGroupNorm(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    let groups = try ctx.int(1)
    guard groups > 0 else { throw ctx.error("num_groups must be positive") }
    let grouped = try ctx.add(Reshape(specialZero: true), [x, ctx.i64([0, groups, -1], "groupedShape")], "grouped")
    let mvn = MVN(eps: try ctx.double(4), normalizeVariance: true, epsMode: .insideSqrt)
    let normalized = try ctx.add(mvn, [grouped, ctx.i64([2], "axes")], "mvn")
    let weight = try ctx.optionalTensor(2), bias = try ctx.optionalTensor(3)
    let y = try ctx.add(Reshape(specialZero: false), [normalized, ctx.add(ShapeOf(), [x], "shape")], weight == nil && bias == nil ? nil : "ungrouped")
    return [.tensor(try affine(ctx, y, weight: weight, bias: bias, rank: rank, channels: true))]
}

/// instance_norm(input, weight?, bias?, running_mean?, running_var?, use_input_stats, momentum, eps, cudnn).
private func translateInstanceNorm(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    guard try ctx.bool(5) else { throw ctx.error("instance norm with running statistics (use_input_stats=False) is not supported") }
    let mvn = MVN(eps: try ctx.double(7), normalizeVariance: true, epsMode: .insideSqrt)
    let weight = try ctx.optionalTensor(1), bias = try ctx.optionalTensor(2)
    let y = try ctx.add(mvn, [x, ctx.i64(Array(2..<rank), "axes")], weight == nil && bias == nil ? nil : "mvn")
    return [.tensor(try affine(ctx, y, weight: weight, bias: bias, rank: rank, channels: true))]
}
