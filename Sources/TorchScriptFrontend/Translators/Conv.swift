import OVIR

// Convolutions, linear layers and batch norm.
extension TSTranslatorTable {
    static let conv: [TSTranslatorEntry] = [
        // input, weight, bias?, stride[], padding[], dilation[], transposed, output_padding[], groups, ...
        TSTranslatorEntry("aten::_convolution") { ctx in
            [.tensor(try convolution(ctx, stride: 3, padding: 4, dilation: 5, transposed: ctx.bool(6),
                                     outputPadding: 7, groups: 8))]
        },
        // input, weight, bias?, stride[], padding:str, dilation[], groups
        TSTranslatorEntry("aten::_convolution_mode") { ctx in
            [.tensor(try convolution(ctx, stride: 3, padding: 4, dilation: 5, transposed: false, outputPadding: nil, groups: 6))]
        },
        TSTranslatorEntry("aten::conv1d", translateConvNd),
        TSTranslatorEntry("aten::conv2d", translateConvNd),
        TSTranslatorEntry("aten::conv3d", translateConvNd),
        // input, weight, bias?, stride, padding, output_padding, groups, dilation
        TSTranslatorEntry("aten::conv_transpose1d", translateConvTransposeNd),
        TSTranslatorEntry("aten::conv_transpose2d", translateConvTransposeNd),
        TSTranslatorEntry("aten::conv_transpose3d", translateConvTransposeNd),
        TSTranslatorEntry("aten::linear", translateLinear),
        TSTranslatorEntry("aten::addmm", translateAddmm),
        TSTranslatorEntry("aten::matmul") { ctx in [.tensor(try ctx.add(MatMul(), [ctx.tensor(0), ctx.tensor(1)]))] },
        TSTranslatorEntry("aten::mm") { ctx in [.tensor(try ctx.add(MatMul(), [ctx.tensor(0), ctx.tensor(1)]))] },
        TSTranslatorEntry("aten::bmm") { ctx in [.tensor(try ctx.add(MatMul(), [ctx.tensor(0), ctx.tensor(1)]))] },
        TSTranslatorEntry("aten::batch_norm", translateBatchNorm),
    ]
}

/// aten::conv{1,2,3}d: input, weight, bias?, stride, padding (list or "same"/"valid"), dilation, groups.
private func translateConvNd(_ ctx: TSNodeContext) throws -> [TSValue] {
    [.tensor(try convolution(ctx, stride: 3, padding: 4, dilation: 5, transposed: false, outputPadding: nil, groups: 6))]
}

private func translateConvTransposeNd(_ ctx: TSNodeContext) throws -> [TSValue] {
    [.tensor(try convolution(ctx, stride: 3, padding: 4, dilation: 7, transposed: true, outputPadding: 5, groups: 6))]
}

/// A list argument of `n` spatial values (a single value repeats), `fallback` when absent.
private func spatialList(_ ctx: TSNodeContext, _ i: Int, _ n: Int, fallback: Int) throws -> [Int] {
    guard i < ctx.inputCount, try !ctx.isNone(i) else { return Array(repeating: fallback, count: n) }
    let values = try ctx.ints(i)
    if values.count == 1 { return Array(repeating: values[0], count: n) }
    guard values.count == n else { throw ctx.error("input \(i) has \(values.count) values for \(n) spatial dims") }
    return values
}

/// Convolution / GroupConvolution / (Group)ConvolutionBackpropData with the bias as an Add of `[1, C, 1...]`.
private func convolution(_ ctx: TSNodeContext, stride: Int, padding: Int, dilation: Int, transposed: Bool,
                         outputPadding: Int?, groups groupsIndex: Int) throws -> Output {
    let x = try ctx.tensor(0), w = try ctx.tensor(1), bias = try ctx.optionalTensor(2)
    guard let wr = w.shape.rank, wr >= 3 else { throw ctx.error("weights must have rank 3 or more, got \(w.shape)") }
    let n = wr - 2
    if let r = x.shape.rank, r != n + 2 { throw ctx.error("input rank \(r) does not match weights rank \(wr)") }
    let strides = try spatialList(ctx, stride, n, fallback: 1)
    let dilations = try spatialList(ctx, dilation, n, fallback: 1)
    let groups = groupsIndex < ctx.inputCount ? try ctx.int(groupsIndex) : 1
    guard groups >= 1 else { throw ctx.error("groups must be positive, got \(groups)") }
    var pads = Array(repeating: 0, count: n)
    var autoPad = PadType.explicit
    if case .string(let mode) = try ctx.value(padding) {
        switch mode {
        case "same": autoPad = .sameUpper  // PyTorch puts the odd padding at the end
        case "valid": autoPad = .valid
        default: throw ctx.error("padding '\(mode)' is not 'same' or 'valid'")
        }
    } else {
        pads = try spatialList(ctx, padding, n, fallback: 0)
    }
    let filters: Output
    let op: any Op
    if !transposed {
        filters = groups == 1 ? w : try groupedWeights(ctx, w, groups: groups, transposed: false)
        op = groups == 1
            ? Convolution(strides: strides, dilations: dilations, padsBegin: pads, padsEnd: pads, autoPad: autoPad)
            : GroupConvolution(strides: strides, dilations: dilations, padsBegin: pads, padsEnd: pads, autoPad: autoPad)
    } else {
        let extra = try outputPadding.map { try spatialList(ctx, $0, n, fallback: 0) } ?? Array(repeating: 0, count: n)
        filters = groups == 1 ? w : try groupedWeights(ctx, w, groups: groups, transposed: true)
        op = groups == 1
            ? ConvolutionBackpropData(strides: strides, dilations: dilations, padsBegin: pads, padsEnd: pads, outputPadding: extra)
            : GroupConvolutionBackpropData(strides: strides, dilations: dilations, padsBegin: pads, padsEnd: pads, outputPadding: extra)
    }
    guard let bias else { return try ctx.add(op, [x, filters]) }
    let y = try ctx.add(op, [x, filters], "conv")
    return try ctx.add(Add(), [y, channelVector(ctx, bias, rank: n + 2, "bias")])
}

/// PyTorch's `[G·O, I, k...]` (transposed: `[G·I, O, k...]`) weights as OpenVINO's grouped `[G, ·, ·, k...]`.
private func groupedWeights(_ ctx: TSNodeContext, _ w: Output, groups: Int, transposed: Bool) throws -> Output {
    guard let dims = w.shape.staticDims else { throw ctx.error("grouped convolution needs static weight dims, got \(w.shape)") }
    guard dims[0] % groups == 0 else { throw ctx.error("weights dim 0 (\(dims[0])) is not divisible by groups \(groups)") }
    let target = [groups, dims[0] / groups] + dims[1...]
    if let t = w.constant {
        var reshaped = t
        reshaped.dims = target
        return try ctx.constant(reshaped, "weights")
    }
    return try ctx.add(Reshape(specialZero: false), [w, ctx.i64(target, "weightsShape")], "weights")
}

/// `[C]` → `[1, C, 1...]` for a rank-`rank` tensor (a reshaped Const when constant).
func channelVector(_ ctx: TSNodeContext, _ v: Output, rank: Int, _ suffix: String) throws -> Output {
    let ones = Array(repeating: 1, count: max(rank - 2, 0))
    if let t = v.constant, t.dims.count == 1 {
        var reshaped = t
        reshaped.dims = [1, t.dims[0]] + ones
        return try ctx.constant(reshaped, suffix)
    }
    return try ctx.add(Reshape(specialZero: false), [v, ctx.i64([1, -1] + ones, "\(suffix)Shape")], suffix)
}

/// aten::linear(x, weight[out, in], bias?) → MatMul(x, weightᵀ) + bias.
private func translateLinear(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0), w = try ctx.tensor(1)
    guard let bias = try ctx.optionalTensor(2) else { return [.tensor(try ctx.add(MatMul(transposeB: true), [x, w]))] }
    let y = try ctx.add(MatMul(transposeB: true), [x, w], "matmul")
    return [.tensor(try ctx.add(Add(), [y, bias]))]
}

/// aten::addmm(bias, a, b, beta, alpha) = beta·bias + alpha·(a @ b).
private func translateAddmm(_ ctx: TSNodeContext) throws -> [TSValue] {
    let bias = try ctx.tensor(0)
    var product = try ctx.add(MatMul(), [ctx.tensor(1), ctx.tensor(2)], "matmul")
    var scaledBias = bias
    let beta = ctx.inputCount > 3 ? try ctx.double(3) : 1, alpha = ctx.inputCount > 4 ? try ctx.double(4) : 1
    if alpha != 1 { product = try ctx.add(Multiply(), [product, ctx.scalarConstant(alpha, product.elementType, "alpha")], "scaled") }
    if beta != 1 { scaledBias = try ctx.add(Multiply(), [bias, ctx.scalarConstant(beta, bias.elementType, "beta")], "scaledBias") }
    return [.tensor(try ctx.add(Add(), [product, scaledBias]))]
}

/// aten::batch_norm(x, weight?, bias?, mean, var, training, momentum, eps, cudnn) → BatchNormInference.
private func translateBatchNorm(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    guard let mean = try ctx.optionalTensor(3), let variance = try ctx.optionalTensor(4) else {
        throw ctx.error("batch norm without running statistics (training mode) cannot be converted; export the model in eval mode")
    }
    if try ctx.bool(5) { ctx.warn("batch norm in training mode; converted with its running statistics as in eval mode") }
    guard let c = mean.shape.staticDims?.first else { throw ctx.error("running_mean must have a static size") }
    let gamma = try ctx.optionalTensor(1) ?? ctx.convert(ctx.constant(.f32(Array(repeating: 1, count: c)), "gamma"), to: x.elementType)
    let beta = try ctx.optionalTensor(2) ?? ctx.convert(ctx.constant(.f32(Array(repeating: 0, count: c)), "beta"), to: x.elementType)
    return [.tensor(try ctx.add(BatchNormInference(epsilon: ctx.double(7)), [x, gamma, beta, mean, variance]))]
}
