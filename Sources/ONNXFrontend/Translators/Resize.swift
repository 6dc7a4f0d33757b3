import OVIR

// Resizing: Resize (opset 10 to 19) and Upsample → Interpolate-11; DepthToSpace and SpaceToDepth.
extension TranslatorTable {
    static let resize: [TranslatorEntry] = [
        TranslatorEntry("Resize", since: 10, translateResize10),
        TranslatorEntry("Resize", since: 11, translateResize),
        TranslatorEntry("Upsample", translateUpsample1),
        TranslatorEntry("Upsample", since: 7) { ctx in
            guard let scales = ctx.floats("scales") else { throw ctx.error("scales is required") }
            return [try upsample(ctx, ctx.constant(.f32(scales), "scales"))]
        },
        TranslatorEntry("Upsample", since: 9) { ctx in [try upsample(ctx, ctx.input(1))] },
        TranslatorEntry("DepthToSpace") { ctx in
            [try ctx.add(DepthToSpace(blockSize: try blockSize(ctx), mode: try depthSpaceMode(ctx)), [ctx.input(0)])]
        },
        TranslatorEntry("SpaceToDepth") { ctx in
            [try ctx.add(SpaceToDepth(blockSize: try blockSize(ctx), mode: try depthSpaceMode(ctx)), [ctx.input(0)])]
        },
    ]
}

private func blockSize(_ ctx: NodeContext) throws -> Int {
    guard let b = ctx.int("blocksize"), b > 0, b <= 1 << 16 else { throw ctx.error("blocksize must be a positive integer (up to 2¹⁶)") }
    return b
}

/// DCR (depth-column-row, the default) keeps the block index outermost; CRD puts the channel first.
private func depthSpaceMode(_ ctx: NodeContext) throws -> DepthSpaceMode {
    switch ctx.string("mode", "DCR") {
    case "DCR": return .blocksFirst
    case "CRD": return .depthFirst
    case let m: throw ctx.error("unknown mode '\(m)'")
    }
}

/// The interpolation mode: nearest, linear (ONNX-style, any rank) or cubic.
private func interpolationMode(_ ctx: NodeContext, _ mode: String) throws -> Interpolate.Mode {
    switch mode {
    case "nearest": return .nearest
    case "linear", "bilinear", "trilinear": return .linearONNX
    case "cubic": return .cubic
    default: throw ctx.error("unsupported mode '\(mode)'")
    }
}

/// Resize-10 and Upsample: scales only, asymmetric coordinates, nearest rounds down.
private func asymmetricScales(_ ctx: NodeContext, _ x: Output, _ scales: Output, mode: String) throws -> Output {
    var op = Interpolate()
    op.mode = try interpolationMode(ctx, mode)
    op.shapeCalculationMode = .scales
    op.coordinateTransformationMode = .asymmetric
    op.nearestMode = .floor
    return try ctx.add(op, [x, scales])
}

private func translateResize10(_ ctx: NodeContext) throws -> [Output] {
    [try asymmetricScales(ctx, ctx.input(0), ctx.input(1), mode: ctx.string("mode", "nearest"))]
}

private func upsample(_ ctx: NodeContext, _ scales: Output) throws -> Output {
    try asymmetricScales(ctx, ctx.input(0), scales, mode: ctx.string("mode", "nearest"))
}

/// Upsample-1: `height_scale`/`width_scale` on a 4-D input.
private func translateUpsample1(_ ctx: NodeContext) throws -> [Output] {
    guard let h = ctx.float("height_scale"), let w = ctx.float("width_scale") else {
        throw ctx.error("attributes 'height_scale' and 'width_scale' are required")
    }
    return [try upsample(ctx, ctx.constant(.f32([1, 1, h, w]), "scales"))]
}

/// An input that is absent, or a Const with no elements (Resize-11 passes empty `roi`/`scales`).
private func presentInput(_ ctx: NodeContext, _ i: Int) throws -> Output? {
    guard let v = try ctx.optionalInput(i) else { return nil }
    if let t = v.constant, t.elementCount == 0 { return nil }
    if let dims = v.shape.staticDims, dims.reduce(1, *) == 0 { return nil }
    return v
}

/// Resize-11/13/18/19 → Interpolate-11 with sizes (when given) or scales, optional axes.
private func translateResize(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    var op = Interpolate()
    op.mode = try interpolationMode(ctx, ctx.string("mode", "nearest"))
    switch ctx.string("coordinate_transformation_mode", "half_pixel") {
    case "half_pixel": op.coordinateTransformationMode = .halfPixel
    case "pytorch_half_pixel": op.coordinateTransformationMode = .pytorchHalfPixel
    case "align_corners": op.coordinateTransformationMode = .alignCorners
    case "asymmetric": op.coordinateTransformationMode = .asymmetric
    case "tf_half_pixel_for_nn": op.coordinateTransformationMode = .tfHalfPixelForNN
    case let m: throw ctx.error("coordinate_transformation_mode '\(m)' is not supported by OpenVINO's Interpolate")
    }
    switch ctx.string("nearest_mode", "round_prefer_floor") {
    case "round_prefer_floor": op.nearestMode = .roundPreferFloor
    case "round_prefer_ceil": op.nearestMode = .roundPreferCeil
    case "floor": op.nearestMode = .floor
    case "ceil": op.nearestMode = .ceil
    case let m: throw ctx.error("unknown nearest_mode '\(m)'")
    }
    if op.mode == .cubic, ctx.int("exclude_outside", 0) != 0 {
        throw ctx.error("exclude_outside=1 is not supported by OpenVINO's Interpolate")
    }
    op.cubeCoeff = Double(onnx: ctx.float("cubic_coeff_a", -0.75))
    op.antialias = ctx.int("antialias", 0) != 0
    if op.antialias {
        ctx.warn("antialias maps to Interpolate's antialias, whose filter differs from ONNX's; downscaled values can differ by several percent")
    }
    let axesValues = ctx.ints("axes")
    let axes = try axesValues.map { try ctx.i64($0, "axes") }
    let policy = ctx.string("keep_aspect_ratio_policy", "stretch")

    let target: Output
    if let sizes = try presentInput(ctx, 3) {
        if policy == "stretch" {
            op.shapeCalculationMode = .sizes
            target = sizes
        } else {
            // Sizes from one common scale, rounded half up as ONNX does; OpenVINO then maps coordinates
            // with out/in per axis, which differs from the common scale only where rounding happened.
            op.shapeCalculationMode = .sizes
            target = try aspectSizes(ctx, x, sizes, axes: axesValues, notLarger: policy == "not_larger")
        }
    } else if let scales = try presentInput(ctx, 2) {
        op.shapeCalculationMode = .scales
        target = scales
        if op.coordinateTransformationMode == .alignCorners, !scalesGiveWholeSizes(x, scales, axes: axesValues) {
            ctx.warn("align_corners with scales: ONNX maps coordinates with input×scale, OpenVINO with the rounded output size; values differ unless input×scale is whole")
        }
    } else {
        throw ctx.error("one of scales and sizes is required")
    }
    return [try ctx.add(op, [x, target] + (axes.map { [$0] } ?? []))]
}

/// True when constant scales times static input dims are whole numbers on every resized axis.
private func scalesGiveWholeSizes(_ x: Output, _ scales: Output, axes: [Int]?) -> Bool {
    guard let s = scales.constant?.doubleValues(), let dims = x.shape.staticDims else { return false }
    let axisList = axes.map { $0.map { $0 < 0 ? $0 + dims.count : $0 } } ?? Array(dims.indices)
    guard axisList.count == s.count, axisList.allSatisfy(dims.indices.contains) else { return false }
    return zip(axisList, s).allSatisfy { axis, scale in
        let size = Double(dims[axis]) * scale
        return size == size.rounded()
    }
}

/// round_half_up(in · scale) with scale the min (not_larger) or max (not_smaller) of sizes / input sizes.
private func aspectSizes(_ ctx: NodeContext, _ x: Output, _ sizes: Output, axes: [Int]?, notLarger: Bool) throws -> Output {
    guard let rank = x.shape.rank else { throw ctx.error("input rank must be known") }
    let axisList = try axes.map { try $0.map { try ctx.axis($0, rank: rank) } } ?? Array(0..<rank)
    let shape = try ctx.add(ShapeOf(), [x], "shape")
    let inSizes = try ctx.add(Gather(), [shape, ctx.i64(axisList, "axisList"), ctx.scalarI64(0, "gatherAxis")], "inSizes")
    let inSizesF = try ctx.add(Convert(.f32), [inSizes], "inSizesF")
    let ratio = try ctx.add(Divide(), [try ctx.add(Convert(.f32), [sizes], "sizesF"), inSizesF], "ratio")
    let reduce: any Op = notLarger ? ReduceMin(keepDims: true) : ReduceMax(keepDims: true)
    let scale = try ctx.add(reduce, [ratio, ctx.i64([0], "reduceAxis")], "scale")
    let scaled = try ctx.add(Multiply(), [inSizesF, scale], "scaled")
    let rounded = try ctx.add(Floor(), [try ctx.add(Add(), [scaled, ctx.constant(.scalar(f32: 0.5), "half")], "scaledHalf")], "rounded")
    return try ctx.add(Convert(.i64), [rounded], "sizes")
}
