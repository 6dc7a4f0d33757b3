import OVIR

// Reshaping, shape queries and shape-driven generators.
extension TranslatorTable {
    static let shape: [TranslatorEntry] = [
        TranslatorEntry("Reshape") { ctx in
            guard let shape = ctx.ints("shape") else { throw ctx.error("attribute 'shape' is required") }
            return [try ctx.add(Reshape(specialZero: true), [ctx.input(0), ctx.i64(shape, "shape")])]
        },
        TranslatorEntry("Reshape", since: 5) { ctx in
            // allowzero=1 means a 0 in the shape is a real 0, not "copy the input dim".
            [try ctx.add(Reshape(specialZero: ctx.int("allowzero", 0) == 0), [ctx.input(0), ctx.input(1)])]
        },
        TranslatorEntry("Flatten", translateFlatten),
        TranslatorEntry("Transpose", translateTranspose),
        TranslatorEntry("Squeeze") { ctx in [try squeeze(ctx, axes: ctx.ints("axes").map { try ctx.i64($0, "axes") })] },
        TranslatorEntry("Squeeze", since: 13) { ctx in [try squeeze(ctx, axes: ctx.optionalInput(1))] },
        TranslatorEntry("Unsqueeze") { ctx in
            guard let axes = ctx.ints("axes") else { throw ctx.error("attribute 'axes' is required") }
            return [try ctx.add(Unsqueeze(), [ctx.input(0), ctx.i64(axes, "axes")])]
        },
        TranslatorEntry("Unsqueeze", since: 13, translateUnsqueeze),
        TranslatorEntry("Shape", translateShape),
        TranslatorEntry("Size", translateSize),
        TranslatorEntry("Expand", since: 8) { ctx in
            [try ctx.add(Broadcast(mode: .bidirectional), [ctx.input(0), ctx.input(1)])]
        },
        TranslatorEntry("Tile", since: 6, translateTile),
        TranslatorEntry("ConstantOfShape", since: 9, translateConstantOfShape),
        TranslatorEntry("Range", since: 11) { ctx in
            // ONNX wants scalars; one-element 1-D inputs (as ONNX's own AffineGrid function passes) are made scalars,
            // which OpenVINO's Range requires.
            let inputs = try (0..<3).map { k -> Output in
                let x = try ctx.input(k)
                return x.shape.rank == 1 ? try ctx.add(Squeeze(), [x, ctx.i64([0], "scalar\(k)/axis")], "scalar\(k)") : x
            }
            return [try ctx.add(RangeOp(outputType: inputs[0].elementType), inputs)]
        },
        TranslatorEntry("EyeLike", since: 9, translateEyeLike),
        TranslatorEntry("Trilu", since: 14, translateTrilu),
        TranslatorEntry("CenterCropPad", since: 18, translateCenterCropPad),
    ]
}

/// Squeeze with the given axes, or every size-1 axis without them.
private func squeeze(_ ctx: NodeContext, axes: Output?) throws -> Output {
    try ctx.add(Squeeze(), [ctx.input(0)] + (axes.map { [$0] } ?? []))
}

/// Unsqueeze-13. With runtime axes OpenVINO's Unsqueeze has a dynamic rank, which the CPU plugin rejects;
/// when the number of axes is static, a Reshape to a computed shape keeps the rank known.
private func translateUnsqueeze(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), axes = try ctx.input(1)
    guard axes.constant == nil, let r = x.shape.rank, let n = axes.shape.staticDims.map({ $0.reduce(1, *) }) else {
        return [try ctx.add(Unsqueeze(), [x, axes])]
    }
    let rank = r + n
    if r == 0 { return [try ctx.add(Reshape(specialZero: false), [x, ctx.i64(Array(repeating: 1, count: rank), "shape")])] }
    var a = try ctx.add(Reshape(specialZero: false), [axes, ctx.i64([-1], "axesShape")], "axesFlat")
    if a.elementType != .i64 { a = try ctx.add(Convert(.i64), [a], "axesCast") }
    let normalized = try ctx.add(FloorMod(), [a, ctx.scalarI64(rank, "rank")], "axesNormalized")
    // mask[p] = 1 where p is a new axis; keep = 1 - mask; input dim index = exclusive cumsum of keep.
    let mask = try ctx.add(ScatterUpdate(), [ctx.i64(Array(repeating: 0, count: rank), "zeros"), normalized,
                                             ctx.i64(Array(repeating: 1, count: n), "ones"), ctx.scalarI64(0, "scatterAxis")], "mask")
    let keep = try ctx.add(Subtract(), [ctx.scalarI64(1, "one"), mask], "keep")
    let index = try ctx.add(CumSum(exclusive: true, reverse: false), [keep, ctx.scalarI64(0, "cumsumAxis")], "index")
    let clamped = try ctx.add(Minimum(), [index, ctx.scalarI64(r - 1, "lastIndex")], "indexClamped")
    let dims = try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "shapeOf"), clamped, ctx.scalarI64(0, "gatherAxis")], "dims")
    let target = try ctx.add(Add(), [ctx.add(Multiply(), [dims, keep], "keptDims"), mask], "shape")
    return [try ctx.add(Reshape(specialZero: false), [x, target])]
}

/// Tile. With runtime repeats the CPU plugin's Tile gives wrong values when several axes repeat, so
/// then `x` is unsqueezed to `[1, d0, 1, d1, …]`, broadcast to `[r0, d0, r1, d1, …]` and reshaped.
private func translateTile(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    var repeats = try ctx.input(1)
    guard repeats.constant == nil, let n = x.shape.rank, n > 0 else { return [try ctx.add(Tile(), [x, repeats])] }
    if repeats.elementType != .i64 { repeats = try ctx.add(Convert(.i64), [repeats], "repeatsCast") }
    let spread = try ctx.add(Unsqueeze(), [x, ctx.i64((0..<n).map { 2 * $0 }, "spreadAxes")], "spread")
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    let column = try ctx.i64([1], "columnAxis")
    let pairs = try ctx.add(Concat(axis: 1), [ctx.add(Unsqueeze(), [repeats, column], "repeatsColumn"),
                                              ctx.add(Unsqueeze(), [shape, column], "shapeColumn")], "pairs")
    let interleaved = try ctx.add(Reshape(specialZero: false), [pairs, ctx.i64([2 * n], "pairsShape")], "interleaved")
    let broadcast = try ctx.add(Broadcast(), [spread, interleaved], "broadcast")
    return [try ctx.add(Reshape(specialZero: false), [broadcast, ctx.add(Multiply(), [repeats, shape], "shape")])]
}

/// Flatten to 2-D: `[d0·…·d(axis-1), d(axis)·…·d(r-1)]`.
private func translateFlatten(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    var axis = ctx.int("axis", 1)
    if axis < 0 {
        guard let rank = x.shape.rank else { throw ctx.error("a negative axis needs the input rank") }
        axis += rank
    }
    if let rank = x.shape.rank, axis < 0 || axis > rank { throw ctx.error("axis \(ctx.int("axis", 1)) is out of range for rank \(rank)") }
    let target: Output
    let outer = x.shape.dims.flatMap { Shape.ranked(Array($0[..<axis])).staticDims?.reduce(1, *) }
    let inner = x.shape.dims.flatMap { Shape.ranked(Array($0[axis...])).staticDims?.reduce(1, *) }
    if outer != nil || inner != nil {
        target = try ctx.i64([outer ?? -1, inner ?? -1], "shape")
    } else if axis == 0 {
        target = try ctx.i64([1, -1], "shape")
    } else {
        let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
        let head = try ctx.add(Slice(), [shape, ctx.i64([0], "start"), ctx.i64([axis], "stop"), ctx.i64([1], "step")], "head")
        let product = try ctx.add(ReduceProd(keepDims: true), [head, ctx.i64([0], "reduceAxis")], "outer")
        target = try ctx.add(Concat(axis: 0), [product, ctx.i64([-1], "minusOne")], "shape")
    }
    return [try ctx.add(Reshape(specialZero: false), [x, target])]
}

/// Transpose; without `perm` the axes are reversed.
private func translateTranspose(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let perm: [Int]
    if let p = ctx.ints("perm") {
        perm = p
    } else if let rank = x.shape.rank {
        perm = Array((0..<rank).reversed())
    } else {
        perm = []  // OpenVINO reverses the axes for an empty perm.
    }
    return [try ctx.add(Transpose(), [x, ctx.i64(perm, "perm")])]
}

/// Shape (with opset-15 `start`/`end`): a Const when the input shape is static.
private func translateShape(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let start = ctx.int("start", 0), end = ctx.int("end")
    if let dims = x.shape.staticDims {
        let r = dims.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
        let (b, e) = (clamp(start), clamp(end ?? r))
        return [try ctx.add(Constant(.i64(b < e ? Array(dims[b..<e]) : [])), [])]
    }
    if start == 0 && end == nil { return [try ctx.add(ShapeOf(), [x])] }
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    return [try ctx.add(Slice(), [shape, ctx.i64([start], "start"), ctx.i64([end ?? Int(Int64.max)], "stop"), ctx.i64([1], "step")])]
}

/// Size: the element count as an i64 scalar.
private func translateSize(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    if let dims = x.shape.staticDims { return [try ctx.add(Constant(.scalar(i64: dims.reduce(1, *))), [])] }
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    return [try ctx.add(ReduceProd(keepDims: false), [shape, ctx.i64([0], "axes")])]
}

/// ConstantOfShape: the `value` scalar (default f32 0) broadcast to the shape input.
private func translateConstantOfShape(_ ctx: NodeContext) throws -> [Output] {
    var value = try ctx.tensor("value") ?? .scalar(f32: 0)
    guard value.elementCount == 1 else { throw ctx.error("'value' must hold one element") }
    value.dims = []
    return [try ctx.add(Broadcast(), [ctx.constant(value, "value"), ctx.input(0)])]
}

/// EyeLike: ones on diagonal `k` of a matrix shaped like the input.
private func translateEyeLike(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let type = try ctx.int("dtype").map { try ctx.elementType($0) } ?? x.elementType
    let (rows, cols) = try matrixSize(ctx, x)
    return [try ctx.add(Eye(outputType: type), [rows, cols, ctx.scalarI64(ctx.int("k", 0), "k")])]
}

/// The last two dims of `x` as i64 scalars (Consts when static).
private func matrixSize(_ ctx: NodeContext, _ x: Output) throws -> (Output, Output) {
    guard let dims = x.shape.dims, dims.count >= 2 else { throw ctx.error("input must have rank 2 or more") }
    let (h, w) = (dims[dims.count - 2], dims[dims.count - 1])
    if let r = h.value, let c = w.value { return (try ctx.scalarI64(r, "rows"), try ctx.scalarI64(c, "columns")) }
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    let zero = try ctx.scalarI64(0, "gatherAxis")
    return (try ctx.add(Gather(), [shape, ctx.scalarI64(-2, "rowsIndex"), zero], "rows"),
            try ctx.add(Gather(), [shape, ctx.scalarI64(-1, "columnsIndex"), zero], "columns"))
}

/// Trilu: keep element (i, j) of the last two axes where `j - i >= k` (upper) or `j - i <= k` (lower), else 0.
private func translateTrilu(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    // An empty input is its own result (OpenVINO's CPU plugin aborts on the empty mask).
    if x.shape.dims?.contains(.fixed(0)) == true { return [x] }
    let (rows, cols) = try matrixSize(ctx, x)
    let one = try ctx.scalarI64(1, "one"), zero = try ctx.scalarI64(0, "zero")
    let i = try ctx.add(Unsqueeze(), [ctx.add(RangeOp(outputType: .i64), [zero, rows, one], "rowRange"), ctx.i64([1], "rowAxis")], "row")
    let j = try ctx.add(RangeOp(outputType: .i64), [zero, cols, one], "column")
    let diagonal = try ctx.add(Subtract(), [j, i], "diagonal")
    var k = try ctx.optionalInput(1) ?? ctx.scalarI64(0, "k")
    if k.elementType != .i64 { k = try ctx.add(Convert(.i64), [k], "kCast") }
    let keep = ctx.int("upper", 1) != 0
        ? try ctx.add(GreaterEqual(), [diagonal, k], "mask")
        : try ctx.add(LessEqual(), [diagonal, k], "mask")
    let zeros = try ctx.add(ConvertLike(), [ctx.constant(.scalar(i64: 0), "zeroValue"), x], "zeroLike")
    return [try ctx.add(Select(), [keep, x, zeros])]
}

/// CenterCropPad: per listed axis, crop `(d - s) / 2` from the start (when d > s) or zero-pad
/// `(s - d) / 2` before and the rest after (when d < s).
private func translateCenterCropPad(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    var target = try ctx.input(1)
    guard let rank = x.shape.rank else { throw ctx.error("input rank must be known") }
    let axes = try (ctx.ints("axes") ?? Array(0..<rank)).map { try ShapeInference.axis($0, rank: rank) }
    if target.elementType != .i64 { target = try ctx.add(Convert(.i64), [target], "shapeCast") }
    let axesConst = try ctx.i64(axes, "axes")
    let zero = try ctx.scalarI64(0, "zero"), two = try ctx.scalarI64(2, "two")
    let dims = try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "shapeOf"), axesConst, zero], "dims")
    let excess = try ctx.add(Subtract(), [dims, target], "excess")
    let cropStart = try ctx.add(Divide(), [ctx.add(Maximum(), [excess, zero], "cropTotal"), two], "cropStart")
    let cropStop = try ctx.add(Add(), [cropStart, ctx.add(Minimum(), [dims, target], "kept")], "cropStop")
    let cropped = try ctx.add(Slice(), [x, cropStart, cropStop, ctx.i64(Array(repeating: 1, count: axes.count), "steps"), axesConst], "cropped")
    let padTotal = try ctx.add(Maximum(), [ctx.add(Subtract(), [target, dims], "missing"), zero], "padTotal")
    let padBegin = try ctx.add(Divide(), [padTotal, two], "padBegin")
    let padEnd = try ctx.add(Subtract(), [padTotal, padBegin], "padEnd")
    let zeros = try ctx.i64(Array(repeating: 0, count: rank), "zeros")
    let begin = try ctx.add(ScatterUpdate(), [zeros, axesConst, padBegin, zero], "padsBegin")
    let end = try ctx.add(ScatterUpdate(), [zeros, axesConst, padEnd, zero], "padsEnd")
    return [try ctx.add(Pad(mode: .constant), [cropped, begin, end])]
}
