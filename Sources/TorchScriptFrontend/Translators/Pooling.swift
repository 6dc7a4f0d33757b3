import OVIR

// Pooling and upsampling.
extension TSTranslatorTable {
    static let pooling: [TSTranslatorEntry] = [
        TSTranslatorEntry("aten::max_pool1d") { ctx in [.tensor(try maxPool(ctx, spatial: 1))] },
        TSTranslatorEntry("aten::max_pool2d") { ctx in [.tensor(try maxPool(ctx, spatial: 2))] },
        TSTranslatorEntry("aten::max_pool3d") { ctx in [.tensor(try maxPool(ctx, spatial: 3))] },
        TSTranslatorEntry("aten::avg_pool1d") { ctx in [.tensor(try avgPool(ctx, spatial: 1))] },
        TSTranslatorEntry("aten::avg_pool2d") { ctx in [.tensor(try avgPool(ctx, spatial: 2))] },
        TSTranslatorEntry("aten::avg_pool3d") { ctx in [.tensor(try avgPool(ctx, spatial: 3))] },
        TSTranslatorEntry("aten::adaptive_avg_pool1d") { ctx in [.tensor(try adaptivePool(ctx, spatial: 1, max: false))] },
        TSTranslatorEntry("aten::adaptive_avg_pool2d") { ctx in [.tensor(try adaptivePool(ctx, spatial: 2, max: false))] },
        TSTranslatorEntry("aten::adaptive_avg_pool3d") { ctx in [.tensor(try adaptivePool(ctx, spatial: 3, max: false))] },
        TSTranslatorEntry("aten::adaptive_max_pool2d") { ctx in
            let y = try adaptivePool(ctx, spatial: 2, max: true)
            return ctx.node.outputs.count == 2 ? [.tensor(y), .none] : [.tensor(y)]
        },
        TSTranslatorEntry("aten::upsample_nearest1d") { ctx in [.tensor(try upsample(ctx, spatial: 1, linear: false))] },
        TSTranslatorEntry("aten::upsample_nearest2d") { ctx in [.tensor(try upsample(ctx, spatial: 2, linear: false))] },
        TSTranslatorEntry("aten::upsample_nearest3d") { ctx in [.tensor(try upsample(ctx, spatial: 3, linear: false))] },
        TSTranslatorEntry("aten::upsample_linear1d") { ctx in [.tensor(try upsample(ctx, spatial: 1, linear: true))] },
        TSTranslatorEntry("aten::upsample_bilinear2d") { ctx in [.tensor(try upsample(ctx, spatial: 2, linear: true))] },
        TSTranslatorEntry("aten::upsample_trilinear3d") { ctx in [.tensor(try upsample(ctx, spatial: 3, linear: true))] },
    ]
}

/// A pooling list argument of `n` values (one value repeats; empty takes `fallback`).
private func windowList(_ ctx: TSNodeContext, _ i: Int, _ n: Int, fallback: [Int]) throws -> [Int] {
    guard i < ctx.inputCount, try !ctx.isNone(i) else { return fallback }
    let v = try ctx.ints(i)
    if v.isEmpty { return fallback }
    if v.count == 1 { return Array(repeating: v[0], count: n) }
    guard v.count == n else { throw ctx.error("input \(i) has \(v.count) values for \(n) spatial dims") }
    return v
}

/// max_poolNd(self, kernel, stride (empty: kernel), padding, dilation, ceil_mode) → MaxPool-14.
private func maxPool(_ ctx: TSNodeContext, spatial n: Int) throws -> Output {
    let kernel = try windowList(ctx, 1, n, fallback: [])
    guard kernel.count == n else { throw ctx.error("kernel_size must have \(n) values") }
    let strides = try windowList(ctx, 2, n, fallback: kernel)
    let pads = try windowList(ctx, 3, n, fallback: Array(repeating: 0, count: n))
    let dilations = try windowList(ctx, 4, n, fallback: Array(repeating: 1, count: n))
    let ceil = ctx.inputCount > 5 ? try ctx.bool(5) : false
    let op = MaxPool14(kernel: kernel, strides: strides, dilations: dilations, padsBegin: pads, padsEnd: pads,
                       roundingType: ceil ? .ceilTorch : .floor)
    return try ctx.add(op, [ctx.tensor(0)])
}

/// avg_poolNd(self, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override?) → AvgPool-14.
private func avgPool(_ ctx: TSNodeContext, spatial n: Int) throws -> Output {
    let kernel = try windowList(ctx, 1, n, fallback: [])
    guard kernel.count == n else { throw ctx.error("kernel_size must have \(n) values") }
    let strides = try windowList(ctx, 2, n, fallback: kernel)
    let pads = try windowList(ctx, 3, n, fallback: Array(repeating: 0, count: n))
    let ceil = ctx.inputCount > 4 ? try ctx.bool(4) : false
    let includePad = ctx.inputCount > 5 ? try ctx.bool(5) : true
    if ctx.inputCount > 6, try !ctx.isNone(6) { throw ctx.error("divisor_override is not supported") }
    let op = AvgPool14(kernel: kernel, strides: strides, padsBegin: pads, padsEnd: pads, excludePad: !includePad,
                       roundingType: ceil ? .ceilTorch : .floor)
    return try ctx.add(op, [ctx.tensor(0)])
}

/// adaptive_{avg,max}_poolNd(self, output_size): a global Reduce for output 1, a plain pooling when the input
/// divides evenly.
private func adaptivePool(_ ctx: TSNodeContext, spatial n: Int, max: Bool) throws -> Output {
    let x = try ctx.tensor(0)
    let out = try windowList(ctx, 1, n, fallback: [])
    let rank = try ctx.rank(x)
    guard out.count == n, rank >= n else { throw ctx.error("output_size must have \(n) values for input \(x.shape)") }
    let axes = Array((rank - n)..<rank)
    if out.allSatisfy({ $0 == 1 }) {
        let op: any Op = max ? ReduceMax(keepDims: true) : ReduceMean(keepDims: true)
        return try ctx.add(op, [x, ctx.i64(axes, "axes")])
    }
    guard let dims = x.shape.dims, case let spatial = axes.compactMap({ dims[$0].value }), spatial.count == n,
          zip(spatial, out).allSatisfy({ $1 > 0 && $0 % $1 == 0 }) else {
        throw ctx.error("adaptive pooling to \(out) needs static spatial dims divisible by it, got \(x.shape)")
    }
    let kernel = zip(spatial, out).map { $0 / $1 }
    let zeros = Array(repeating: 0, count: n)
    let op: any Op = max
        ? MaxPool14(kernel: kernel, strides: kernel, dilations: Array(repeating: 1, count: n), padsBegin: zeros, padsEnd: zeros)
        : AvgPool14(kernel: kernel, strides: kernel, padsBegin: zeros, padsEnd: zeros, excludePad: false)
    return try ctx.add(op, [x])
}

/// upsample_nearestNd(input, output_size?, scale_factors?) and upsample_*linear*(input, output_size?, align_corners,
/// scale_factors?); also the legacy forms with per-axis scales.
private func upsample(_ ctx: TSNodeContext, spatial n: Int, linear: Bool) throws -> Output {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    guard rank == n + 2 else { throw ctx.error("input must have rank \(n + 2), got \(x.shape)") }
    var op = Interpolate()
    var scaleIndex: Int
    if linear {
        op.mode = .linearONNX
        let alignCorners = try ctx.bool(2)
        op.coordinateTransformationMode = alignCorners ? .alignCorners : .pytorchHalfPixel
        scaleIndex = 3
    } else {
        op.mode = .nearest
        op.coordinateTransformationMode = .asymmetric
        op.nearestMode = .floor
        scaleIndex = 2
    }
    let axes = try ctx.i64(Array(2..<(n + 2)), "axes")
    if try !ctx.isNone(1) {
        op.shapeCalculationMode = .sizes
        return try ctx.add(op, [x, ctx.shapeTensor(1), axes])
    }
    var scales: [Double] = []
    if scaleIndex < ctx.inputCount, try !ctx.isNone(scaleIndex), case .list(let items) = try ctx.value(scaleIndex) {
        scales = try items.map { item -> Double in
            switch item {
            case .float(let f): return f
            case .int(let i): return Double(i)
            default: throw ctx.error("scale factors must be known at conversion time")
            }
        }
    } else {
        // Legacy: one optional scale per axis after output_size (and align_corners).
        scales = try (scaleIndex..<min(scaleIndex + n, ctx.inputCount)).map { try ctx.double($0) }
    }
    if scales.count == 1 { scales = Array(repeating: scales[0], count: n) }
    guard scales.count == n else { throw ctx.error("upsampling needs an output size or \(n) scale factors") }
    op.shapeCalculationMode = .scales
    return try ctx.add(op, [x, ctx.constant(.f32(scales.map(Float.init)), "scales"), axes])
}
