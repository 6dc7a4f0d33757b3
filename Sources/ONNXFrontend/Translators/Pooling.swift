import OVIR

// Pooling: MaxPool (with indices), AveragePool, LpPool, GlobalAveragePool/GlobalMaxPool/GlobalLpPool.
extension TranslatorTable {
    static let pooling: [TranslatorEntry] = [
        TranslatorEntry("MaxPool", translateMaxPool),
        TranslatorEntry("AveragePool", translateAveragePool),
        TranslatorEntry("LpPool", translateLpPool),
        TranslatorEntry("GlobalAveragePool") { ctx in [try globalPool(ctx) { ReduceMean(keepDims: true) }] },
        TranslatorEntry("GlobalMaxPool") { ctx in [try globalPool(ctx) { ReduceMax(keepDims: true) }] },
        TranslatorEntry("GlobalLpPool", translateGlobalLpPool),
        TranslatorEntry("MaxUnpool", since: 9, translateMaxUnpool),
    ]
}

/// The kernel and window attributes of a pooling node; `ceil_mode` selects PyTorch-style ceiling
/// (the last window must start inside the input or its begin padding), which needs the v14 ops.
private struct PoolAttributes {
    var kernel: [Int]
    var window: WindowAttributes
    var ceil: Bool

    init(_ ctx: NodeContext, _ x: Output) throws {
        kernel = try poolKernel(ctx, x)
        window = try WindowAttributes(ctx, spatial: kernel.count)
        ceil = ctx.int("ceil_mode", 0) != 0
    }
}

/// The required `kernel_shape`: positive, one value per spatial dim of `x` (when its rank is known).
private func poolKernel(_ ctx: NodeContext, _ x: Output) throws -> [Int] {
    guard let k = ctx.ints("kernel_shape") else { throw ctx.error("kernel_shape is required") }
    guard !k.isEmpty, k.allSatisfy({ $0 > 0 && $0 <= 1 << 31 }) else {
        throw ctx.error("kernel_shape \(k) must be non-empty and positive (and below 2³¹)")
    }
    if let r = x.shape.rank, r != k.count + 2 {
        throw ctx.error("kernel_shape has \(k.count) values but the input has rank \(r) (needs \(k.count + 2))")
    }
    return k
}

/// MaxPool → MaxPool-8 (or -14 for ceil_mode). Indices with axis 0 count over the whole NCHW tensor as
/// ONNX does; storage_order=1 (column-major) indices are rebuilt from the row-major ones.
private func translateMaxPool(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let p = try PoolAttributes(ctx, x)
    let w = p.window
    let op: any Op = p.ceil
        ? MaxPool14(kernel: p.kernel, strides: w.strides, dilations: w.dilations, padsBegin: w.padsBegin,
                    padsEnd: w.padsEnd, roundingType: .ceilTorch, autoPad: w.autoPad)
        : MaxPool(kernel: p.kernel, strides: w.strides, dilations: w.dilations, padsBegin: w.padsBegin,
                  padsEnd: w.padsEnd, roundingType: .floor, autoPad: w.autoPad)
    let node = try ctx.addNode(op, [x])
    guard ctx.hasOutput(1) else { return [node.output(0)] }
    var indices = node.output(1)
    if ctx.int("storage_order", 0) == 1 {
        indices = try columnMajorIndices(ctx, indices, data: x)
    }
    return [node.output(0), indices]
}

/// Row-major flat indices over `[N, C, H, W]` → column-major within each H×W plane (index = w·H + h).
private func columnMajorIndices(_ ctx: NodeContext, _ idx: Output, data: Output) throws -> Output {
    guard let d = data.shape.dims, d.count == 4 else { throw ctx.error("storage_order=1 needs a 4-D input") }
    // H and W as scalars: constants when static, else read from the input's shape at run time.
    let h: Output, w: Output, planeSize: Output
    if let hv = d[2].value, let wv = d[3].value {
        (h, w, planeSize) = (try ctx.scalarI64(hv, "height"), try ctx.scalarI64(wv, "width"), try ctx.scalarI64(hv * wv, "planeSize"))
    } else {
        let shape = try ctx.add(ShapeOf(), [data], "shape")
        h = try ctx.add(Gather(), [shape, ctx.scalarI64(2, "heightAxis"), ctx.scalarI64(0, "gatherAxis")], "height")
        w = try ctx.add(Gather(), [shape, ctx.scalarI64(3, "widthAxis"), ctx.scalarI64(0, "gatherAxis2")], "width")
        planeSize = try ctx.add(Multiply(), [h, w], "planeSize")
    }
    let plane = try ctx.add(FloorMod(), [idx, planeSize], "inPlane")
    let base = try ctx.add(Subtract(), [idx, plane], "planeBase")
    let row = try ctx.add(Divide(pythonDivision: true), [plane, w], "row")
    let col = try ctx.add(FloorMod(), [plane, w], "col")
    let colMajor = try ctx.add(Add(), [try ctx.add(Multiply(), [col, h], "colOffset"), row], "colMajor")
    return try ctx.add(Add(), [base, colMajor], "indices")
}

/// AveragePool → AvgPool-1 (or -14 for ceil_mode); count_include_pad=0 is `exclude-pad`.
private func translateAveragePool(_ ctx: NodeContext) throws -> [Output] {
    let p = try PoolAttributes(ctx, try ctx.input(0))
    let excludePad = ctx.int("count_include_pad", 0) == 0
    guard p.window.dilations.allSatisfy({ $0 == 1 }) else {
        let (sum, windows) = try dilatedWindowSums(ctx, try ctx.input(0), p)
        let counts = windows.map { excludePad ? $0.inside : $0.padded }
        let divisor = counts.dropFirst().reduce(counts[0]) { acc, axis in acc.flatMap { a in axis.map { a * $0 } } }
        let d = try ctx.floatConstant(divisor.map(Float.init), dims: counts.map(\.count), like: sum, "count")
        return [try ctx.add(Divide(), [sum, d])]
    }
    return [try avgPool(ctx, try ctx.input(0), p, excludePad: excludePad, nil)]
}

/// Per output position along one spatial axis: how many window taps fall on the input, and how many on
/// the input or its explicit padding (taps in the extra padding that ceil_mode needs count for neither).
private struct WindowCounts {
    var inside: [Int] = []
    var padded: [Int] = []
}

/// Window sums for pooling with dilations, which OpenVINO's AvgPool lacks: the input is zero-padded as
/// ONNX pads it and convolved depthwise with a ones kernel. Needs static dims and explicit or VALID pads.
private func dilatedWindowSums(_ ctx: NodeContext, _ x: Output, _ p: PoolAttributes) throws -> (Output, [WindowCounts]) {
    guard let dims = x.shape.staticDims, dims.count == p.kernel.count + 2 else {
        throw ctx.error("dilated pooling needs a static input shape")
    }
    let w = p.window
    guard w.autoPad == .explicit || w.autoPad == .valid else { throw ctx.error("dilated pooling needs explicit pads") }
    var padsEnd: [Int] = [], windows: [WindowCounts] = []
    for i in 0..<p.kernel.count {
        let n = dims[i + 2], k = p.kernel[i], s = w.strides[i], d = w.dilations[i]
        let pb = w.padsBegin[i], pe = w.padsEnd[i]
        let span = n + pb + pe - ((k - 1) * d + 1)
        guard span >= 0 else { throw ctx.error("the dilated kernel does not fit the padded input") }
        var out = (p.ceil ? (span + s - 1) / s : span / s) + 1
        if p.ceil, (out - 1) * s >= n + pb { out -= 1 }
        let needed = (out - 1) * s + (k - 1) * d + 1
        padsEnd.append(pe + max(0, needed - (n + pb + pe)))
        var counts = WindowCounts()
        for o in 0..<out {
            let taps = (0..<k).map { o * s + $0 * d }
            counts.inside.append(taps.filter { $0 >= pb && $0 < pb + n }.count)
            counts.padded.append(taps.filter { $0 < n + pb + pe }.count)
        }
        windows.append(counts)
    }
    var input = x
    if w.padsBegin.contains(where: { $0 != 0 }) || padsEnd.contains(where: { $0 != 0 }) {
        input = try ctx.add(Pad(mode: .constant), [x, ctx.i64([0, 0] + w.padsBegin, "padsBegin"), ctx.i64([0, 0] + padsEnd, "padsEnd")], "padded")
    }
    let channels = dims[1]
    let ones = try ctx.floatConstant(Array(repeating: 1, count: channels * p.kernel.reduce(1, *)),
                                     dims: [channels, 1, 1] + p.kernel, like: x, "ones")
    let conv = GroupConvolution(strides: w.strides, dilations: w.dilations, padsBegin: p.kernel.map { _ in 0 },
                                padsEnd: p.kernel.map { _ in 0 })
    return (try ctx.add(conv, [input, ones], "sum"), windows)
}

private func avgPool(_ ctx: NodeContext, _ x: Output, _ p: PoolAttributes, excludePad: Bool, _ suffix: String?) throws -> Output {
    let w = p.window
    let op: any Op = p.ceil
        ? AvgPool14(kernel: p.kernel, strides: w.strides, padsBegin: w.padsBegin, padsEnd: w.padsEnd,
                    excludePad: excludePad, roundingType: .ceilTorch, autoPad: w.autoPad)
        : AvgPool(kernel: p.kernel, strides: w.strides, padsBegin: w.padsBegin, padsEnd: w.padsEnd,
                  excludePad: excludePad, roundingType: .floor, autoPad: w.autoPad)
    return try ctx.add(op, [x], suffix)
}

/// |x|ᵖ for the Lp pools (p = 1 and 2 without Power).
private func absPower(_ ctx: NodeContext, _ x: Output, _ p: Float) throws -> Output {
    if p == 1 { return try ctx.add(Abs(), [x], "abs") }
    if p == 2 { return try ctx.add(Multiply(), [x, x], "square") }
    return try ctx.add(Power(), [try ctx.add(Abs(), [x], "abs"), ctx.scalar(p, like: x, "p")], "pow")
}

/// y^(1/p), taking the node's name.
private func root(_ ctx: NodeContext, _ y: Output, _ p: Float) throws -> Output {
    if p == 1 { return y }
    if p == 2 { return try ctx.add(Sqrt(), [y]) }
    return try ctx.add(Power(), [y, ctx.scalar(1 / p, like: y, "invP")])
}

/// The `p` attribute: a float in LpPool-1, an int afterwards.
private func lpExponent(_ ctx: NodeContext) -> Float {
    ctx.opset < 2 ? ctx.float("p", 2) : Float(ctx.int("p", 2))
}

/// LpPool = (Σ |x|ᵖ over the window)^(1/p), the sum being an average that counts padding, times the kernel size.
private func translateLpPool(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let p = try PoolAttributes(ctx, x)
    let exponent = lpExponent(ctx)
    guard p.window.dilations.allSatisfy({ $0 == 1 }) else {
        return [try root(ctx, try dilatedWindowSums(ctx, try absPower(ctx, x, exponent), p).0, exponent)]
    }
    let mean = try avgPool(ctx, try absPower(ctx, x, exponent), p, excludePad: false, "mean")
    let sum = exponent == 1 && p.kernel.reduce(1, *) == 1 ? mean
        : try ctx.add(Multiply(), [mean, ctx.scalar(Float(p.kernel.reduce(1, *)), like: x, "count")], "sum")
    return [try root(ctx, sum, exponent)]
}

private func globalPool(_ ctx: NodeContext, _ make: () -> any Op) throws -> Output {
    let x = try ctx.input(0)
    return try ctx.add(make(), [x, ctx.spatialAxes(x)])
}

/// GlobalLpPool = (Σ |x|ᵖ over the spatial axes)^(1/p).
private func translateGlobalLpPool(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let exponent = lpExponent(ctx)
    if exponent == 2 { return [try ctx.add(ReduceL2(keepDims: true), [x, ctx.spatialAxes(x)])] }
    if exponent == 1 { return [try ctx.add(ReduceL1(keepDims: true), [x, ctx.spatialAxes(x)])] }
    let sum = try ctx.add(ReduceSum(keepDims: true), [absPower(ctx, x, exponent), ctx.spatialAxes(x)], "sum")
    return [try root(ctx, sum, exponent)]
}

/// MaxUnpool: X scattered into zeros at I (flat indices over the default output, whose spatial dims are
/// (in - 1)·stride + kernel - pads); an `output_shape` input pads that result at the end.
private func translateMaxUnpool(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), indices = try ctx.input(1)
    let k = try poolKernel(ctx, x)
    guard let dims = x.shape.dims, dims.count == k.count + 2 else { throw ctx.error("needs an input of rank \(k.count + 2)") }
    let w = try WindowAttributes(ctx, spatial: k.count)
    // The default output shape and its element count: constants when x is static, else computed from its shape.
    let shape: Output, count: Output
    if let d = x.shape.staticDims {
        var values = Array(d[..<2])
        for i in 0..<k.count { values.append((d[i + 2] - 1) * w.strides[i] + k[i] - w.padsBegin[i] - w.padsEnd[i]) }
        guard values.allSatisfy({ $0 >= 0 }) else { throw ctx.error("pads exceed the unpooled size \(values)") }
        (shape, count) = (try ctx.i64(values, "shape"), try ctx.i64([values.reduce(1, *)], "count"))
    } else {
        let inShape = try ctx.add(ShapeOf(), [x], "inShape")
        let spatial = try ctx.add(Slice(), [inShape, ctx.i64([2], "two"), ctx.i64([Int(Int64.max)], "end"), ctx.i64([1], "step")], "spatial")
        let grown = try ctx.add(Multiply(), [ctx.add(Subtract(), [spatial, ctx.i64([1], "one")], "last"), ctx.i64(w.strides, "strides")], "grown")
        let extents = (0..<k.count).map { k[$0] - w.padsBegin[$0] - w.padsEnd[$0] }
        let unpooledSpatial = try ctx.add(Add(), [grown, ctx.i64(extents, "extents")], "unpooledSpatial")
        let batchAndChannels = try ctx.add(Slice(), [inShape, ctx.i64([0], "zero"), ctx.i64([2], "two2"), ctx.i64([1], "step2")], "batchAndChannels")
        shape = try ctx.add(Concat(axis: 0), [batchAndChannels, unpooledSpatial], "shape")
        count = try ctx.add(ReduceProd(keepDims: true), [shape, ctx.i64([0], "reduceAxis")], "count")
    }
    let zeros = try ctx.add(Broadcast(), [ctx.scalar(0, like: x, "zero"), count], "zeros")
    let flatIndices = try ctx.add(Reshape(specialZero: false), [indices, ctx.i64([-1], "flat")], "flatIndices")
    let flatValues = try ctx.add(Reshape(specialZero: false), [x, ctx.i64([-1], "flat2")], "flatValues")
    let scattered = try ctx.add(ScatterElementsUpdate(), [zeros, flatIndices, flatValues, ctx.scalarI64(0, "axis")], "scattered")
    guard let outputShape = try ctx.optionalInput(2) else {
        return [try ctx.add(Reshape(specialZero: false), [scattered, shape])]
    }
    let unpooled = try ctx.add(Reshape(specialZero: false), [scattered, shape], "unpooled")
    let padsEnd = try ctx.add(Subtract(), [outputShape, shape], "padsEnd")
    return [try ctx.add(Pad(mode: .constant), [unpooled, ctx.i64(Array(repeating: 0, count: dims.count), "padsBegin"), padsEnd])]
}
