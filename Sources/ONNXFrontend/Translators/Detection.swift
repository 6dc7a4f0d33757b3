import OVIR

// NonMaxSuppression (opsets 10, 11) as OpenVINO NonMaxSuppression-9 unsorted (rows by batch, class, then selection
// order, as ONNX lists them), with ONNX's defaults for the omitted inputs: no box (max 0), IoU threshold 0 and no
// score filter, and the IoU threshold moved up by one f32 step (ONNX's comparison is strict, OpenVINO's is not). NMS-9 pads selected_indices to an upper bound with -1 rows; ONNX returns only the selected rows, so
// the indices are sliced to valid_outputs (output 2), as OpenVINO's own ONNX frontend does.
extension TranslatorTable {
    static let detection: [TranslatorEntry] = [
        TranslatorEntry("NonMaxSuppression", since: 10, translateNonMaxSuppression),
        TranslatorEntry("RoiAlign", since: 10, translateRoiAlign),
    ]
}

private func translateNonMaxSuppression(_ ctx: NodeContext) throws -> [Output] {
    let boxes = try ctx.input(0), scores = try ctx.input(1)
    let encoding: NonMaxSuppression.BoxEncoding
    switch ctx.int("center_point_box", 0) {
    case 0: encoding = .corner
    case 1: encoding = .center
    case let v: throw ctx.error("center_point_box must be 0 or 1, got \(v)")
    }
    /// Optional input `i` as a scalar (ONNX gives these as 1-element 1-D tensors), or `fallback`.
    func scalarInput(_ i: Int, _ what: String, fallback: () throws -> Output) throws -> Output {
        guard let v = try ctx.optionalInput(i) else { return try fallback() }
        if v.shape.rank == 0 { return v }
        if let n = v.shape.staticDims?.reduce(1, *), n != 1 { throw ctx.error("\(what) must hold one value, got shape \(v.shape)") }
        return try ctx.add(Reshape(specialZero: false), [v, ctx.i64([], "\(what)/shape")], what)
    }
    let maxBoxes = try scalarInput(2, "maxOutputBoxesPerClass") { try ctx.scalarI64(0, "maxOutputBoxesPerClass") }
    let iou = try strictThreshold(ctx, scalarInput(3, "iouThreshold") { try ctx.constant(.scalar(f32: 0), "iouThreshold") })
    // Without a score threshold every box is a candidate, whatever its score.
    let score = try scalarInput(4, "scoreThreshold") { try ctx.scalar(-.greatestFiniteMagnitude, like: boxes, "scoreThreshold") }
    let nms = try ctx.addNode(NonMaxSuppression(boxEncoding: encoding, sortResultDescending: false, outputType: .i64),
                              [boxes, scores, maxBoxes, iou, score], "nms")
    let selected = try ctx.add(Slice(), [nms.output(0), ctx.i64([0], "start"), nms.output(2), ctx.i64([1], "step"), ctx.i64([0], "axes")])
    return [selected]
}

/// ONNX suppresses a box whose IoU with a selected one is > the threshold t (and never one it does not intersect),
/// OpenVINO when it is >= t. IoUs are f32, so `>= t'` with t' the next f32 above t is ONNX's `> t`; t' is at least
/// the smallest normal f32, so that boxes that do not intersect (IoU 0) are kept whatever t is. For a threshold
/// known only at run time, t + t·1.5·2⁻²⁴ rounds to exactly the next f32 above t (it adds between 0.75 and 1.5 ULP).
private func strictThreshold(_ ctx: NodeContext, _ t: Output) throws -> Output {
    if let v = t.constant?.doubleValues(), v.count == 1 {
        return try ctx.constant(.scalar(f32: max(Float(v[0]).nextUp, .leastNormalMagnitude)), "iouThreshold/strict")
    }
    let f = t.elementType == .f32 ? t : try ctx.add(Convert(.f32), [t], "iouThreshold/f32")
    let step = try ctx.add(Multiply(), [f, ctx.constant(.scalar(f32: 1.5 * 0x1p-24), "iouThreshold/ulpScale")], "iouThreshold/step")
    let next = try ctx.add(Add(), [f, step], "iouThreshold/next")
    return try ctx.add(Maximum(), [next, ctx.constant(.scalar(f32: .leastNormalMagnitude), "iouThreshold/leastNormal")], "iouThreshold/strict")
}

// RoiAlign (opsets 10, 16) as OpenVINO ROIAlign-9. ONNX's coordinate_transformation_mode (opset 16; opset 10 has only
// the older behaviour) maps to aligned_mode: output_half_pixel (corners x·scale, regions at least 1×1) is asymmetric,
// half_pixel (x·scale - 0.5, regions as they are) is half_pixel_for_nn. OpenVINO's half_pixel, (x + 0.5)·scale - 0.5,
// is neither. ONNX's max pools the largest of each sample's four weighted neighbours, ROIAlign-9's the largest
// interpolated sample (and at least 0), so max is decomposed (`roiAlignMax`) rather than translated to different numbers.
private func translateRoiAlign(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), rois = try ctx.input(1), batchIndices = try ctx.input(2)
    let modeName = ctx.string("mode", "avg")
    guard let mode = ROIAlign.Mode(rawValue: modeName) else { throw ctx.error("mode '\(modeName)' is not avg or max") }
    let transform = ctx.opset >= 16 ? ctx.string("coordinate_transformation_mode", "half_pixel") : "output_half_pixel"
    let aligned: ROIAlign.AlignedMode
    switch transform {
    case "output_half_pixel": aligned = .asymmetric
    case "half_pixel": aligned = .halfPixelForNN
    default: throw ctx.error("coordinate_transformation_mode '\(transform)' is not half_pixel or output_half_pixel")
    }
    let op = ROIAlign(pooledH: ctx.int("output_height", 1), pooledW: ctx.int("output_width", 1), samplingRatio: ctx.int("sampling_ratio", 0),
                      spatialScale: Double(onnx: ctx.float("spatial_scale", 1)), mode: mode, alignedMode: aligned)
    if mode == .max { return [try roiAlignMax(ctx, op, x, rois, batchIndices)] }
    return [try ctx.add(op, [x, rois, batchIndices])]
}

/// ONNX RoiAlign's max, as ONNX's reference computes it: per region, the S×S samples (S = sampling_ratio) of every bin,
/// rows ys [R, PH·S] and columns xs [R, PW·S]; each sample's four neighbours with their bilinear weights (0 for a
/// sample beyond [-1, H]×[-1, W]); the largest weight·value of the four, then the largest over the bin's samples.
/// The neighbours are read by one Gather per corner from X as rows of channels [N·H·W, C]. Adaptive sampling
/// (sampling_ratio 0) gives each region its own sample count, which one graph cannot batch, so it is refused.
private func roiAlignMax(_ ctx: NodeContext, _ op: ROIAlign, _ x: Output, _ rois: Output, _ batchIndices: Output) throws -> Output {
    guard op.samplingRatio > 0 else {
        throw ctx.error("mode 'max' with sampling_ratio 0 is not translated: ONNX's max is decomposed, and adaptive sampling "
            + "takes a different number of samples per region")
    }
    guard (1...4096).contains(op.pooledH), (1...4096).contains(op.pooledW), op.samplingRatio <= 64 else {
        throw ctx.error("mode 'max' is decomposed for outputs of 1 to 4096 rows and columns and sampling_ratio up to 64, "
            + "got \(op.pooledH)×\(op.pooledW) and \(op.samplingRatio)")
    }
    let s = op.samplingRatio, halfPixel = op.alignedMode == .halfPixelForNN
    let zero = try ctx.scalar(0, like: x, "max/zero"), one = try ctx.scalar(1, like: x, "max/one")
    let shape = try ctx.add(ShapeOf(), [x], "max/shape")
    /// Dim `i` of X as i64 [1].
    func dim(_ i: Int, _ name: String) throws -> Output {
        try ctx.add(Gather(), [shape, ctx.i64([i], "max/\(name)Index"), ctx.scalarI64(0, "max/\(name)Axis")], "max/\(name)")
    }
    let (c, h, w) = (try dim(1, "c"), try dim(2, "h"), try dim(3, "w"))

    // corners [R, 1]: x·scale, or x·scale - 0.5 with half_pixel (where regions are not widened to 1×1)
    let scale = try ctx.scalar(Float(op.spatialScale), like: rois, "max/scale")
    func corner(_ k: Int, _ name: String) throws -> Output {
        let v = try ctx.add(Gather(), [rois, ctx.i64([k], "max/\(name)Index"), ctx.scalarI64(1, "max/\(name)Axis")], "max/\(name)")
        let scaled = try ctx.add(Multiply(), [v, scale], "max/\(name)Scaled")
        return halfPixel ? try ctx.add(Subtract(), [scaled, ctx.scalar(0.5, like: rois, "max/\(name)Half")], "max/\(name)Shifted") : scaled
    }
    /// The sample coordinates along one axis, [R, pooled·S]: start + bin·p + bin·(i + 0.5)/S for bin p and sample i.
    func samples(_ start: Output, _ end: Output, pooled: Int, _ name: String) throws -> Output {
        var size = try ctx.add(Subtract(), [end, start], "max/\(name)Size")
        if !halfPixel { size = try ctx.add(Maximum(), [size, one], "max/\(name)AtLeastOne") }
        let bin = try ctx.add(Divide(), [size, ctx.scalar(Float(pooled), like: x, "max/\(name)Pooled")], "max/\(name)Bin")
        let p = try ctx.floatConstant((0..<pooled).flatMap { b in Array(repeating: Float(b), count: s) }, dims: [pooled * s], like: x, "max/\(name)Bins")
        let i = try ctx.floatConstant((0..<pooled).flatMap { _ in (0..<s).map { Float($0) + 0.5 } }, dims: [pooled * s], like: x, "max/\(name)Steps")
        let binStart = try ctx.add(Add(), [start, ctx.add(Multiply(), [bin, p], "max/\(name)BinOffset")], "max/\(name)BinStart")
        let step = try ctx.add(Divide(), [ctx.add(Multiply(), [bin, i], "max/\(name)StepSpan"), ctx.scalar(Float(s), like: x, "max/\(name)Ratio")],
                               "max/\(name)StepOffset")
        return try ctx.add(Add(), [binStart, step], "max/\(name)Samples")
    }
    /// For samples `v` along an axis of `length` (i64 [1]): the low and high neighbour indices (i64) and their weights,
    /// 0 for samples outside [-1, length]. Samples are clamped to at least 0; from the last index on, both neighbours
    /// are the last index (and the low one weighs 1).
    func neighbours(_ v: Output, _ length: Output, _ name: String) throws -> (low: Output, high: Output, lowWeight: Output, highWeight: Output) {
        let n = try ctx.add(ConvertLike(), [length, x], "max/\(name)Length")
        let last = try ctx.add(Subtract(), [n, one], "max/\(name)Last")
        let inside = try ctx.add(LogicalAnd(), [ctx.add(GreaterEqual(), [v, ctx.scalar(-1, like: x, "max/\(name)MinusOne")], "max/\(name)AboveStart"),
                                                ctx.add(LessEqual(), [v, n], "max/\(name)BelowEnd")], "max/\(name)Inside")
        let clamped = try ctx.add(Maximum(), [v, zero], "max/\(name)Clamped")
        let floor = try ctx.add(Floor(), [clamped], "max/\(name)Floor")
        let atEnd = try ctx.add(GreaterEqual(), [floor, last], "max/\(name)AtEnd")
        let low = try ctx.add(Select(), [atEnd, last, floor], "max/\(name)Low")
        let high = try ctx.add(Select(), [atEnd, last, ctx.add(Add(), [floor, one], "max/\(name)Next")], "max/\(name)High")
        let position = try ctx.add(Select(), [atEnd, last, clamped], "max/\(name)Position")
        let highWeight = try ctx.add(Subtract(), [position, low], "max/\(name)HighFraction")
        let lowWeight = try ctx.add(Subtract(), [one, highWeight], "max/\(name)LowFraction")
        return (try ctx.add(Convert(.i64), [low], "max/\(name)LowIndex"), try ctx.add(Convert(.i64), [high], "max/\(name)HighIndex"),
                try ctx.add(Select(), [inside, lowWeight, zero], "max/\(name)LowWeight"),
                try ctx.add(Select(), [inside, highWeight, zero], "max/\(name)HighWeight"))
    }
    let ys = try samples(corner(1, "y1"), corner(3, "y2"), pooled: op.pooledH, "y")
    let xs = try samples(corner(0, "x1"), corner(2, "x2"), pooled: op.pooledW, "x")
    let rows = try neighbours(ys, h, "y"), columns = try neighbours(xs, w, "x")

    // X as rows of channels [N·H·W, C]; a neighbour (b, y, x) is row (b·H + y)·W + x
    let channelsLast = try ctx.add(Transpose(), [x, ctx.i64([0, 2, 3, 1], "max/channelsLastOrder")], "max/channelsLast")
    let table = try ctx.add(Reshape(specialZero: false), [channelsLast, ctx.add(Concat(axis: 0), [ctx.i64([-1], "max/pixels"), c], "max/tableShape")],
                            "max/table")
    let batch = batchIndices.elementType == .i64 ? batchIndices : try ctx.add(Convert(.i64), [batchIndices], "max/batch64")
    let batchRows = try ctx.add(Multiply(), [ctx.add(Unsqueeze(), [batch, ctx.i64([1], "max/batchAxis")], "max/batchColumn"), h], "max/batchRows")
    func expand(_ v: Output, _ axes: [Int], _ name: String) throws -> Output {
        try ctx.add(Unsqueeze(), [v, ctx.i64(axes, "max/\(name)Axes")], "max/\(name)")
    }
    var largest: Output?
    for (yName, yIndex, yWeight) in [("low", rows.low, rows.lowWeight), ("high", rows.high, rows.highWeight)] {
        let rowStart = try expand(ctx.add(Multiply(), [ctx.add(Add(), [batchRows, yIndex], "max/\(yName)Row"), w], "max/\(yName)RowStart"),
                                  [2], "\(yName)RowStartColumn")  // [R, PH·S, 1]
        let yw = try expand(yWeight, [2, 3], "\(yName)RowWeight")  // [R, PH·S, 1, 1]
        for (xName, xIndex, xWeight) in [("low", columns.low, columns.lowWeight), ("high", columns.high, columns.highWeight)] {
            let name = "\(yName)\(xName.capitalized)"
            let index = try ctx.add(Add(), [rowStart, expand(xIndex, [1], "\(name)Column")], "max/\(name)Index")  // [R, PH·S, PW·S]
            let values = try ctx.add(Gather(), [table, index, ctx.scalarI64(0, "max/\(name)Axis")], "max/\(name)Values")  // [R, PH·S, PW·S, C]
            let weight = try ctx.add(Multiply(), [yw, expand(xWeight, [1, 3], "\(name)ColumnWeight")], "max/\(name)Weight")
            let weighted = try ctx.add(Multiply(), [values, weight], "max/\(name)Weighted")
            largest = try largest.map { try ctx.add(Maximum(), [$0, weighted], "max/\(name)Largest") } ?? weighted
        }
    }
    // [R, PH·S, PW·S, C] -> [R, PH, S, PW, S, C], the largest over each bin's samples, then [R, C, PH, PW]
    let binShape = try ctx.add(Concat(axis: 0), [ctx.i64([0, op.pooledH, s, op.pooledW, s], "max/binDims"), c], "max/binShape")
    let bins = try ctx.add(Reshape(specialZero: true), [largest!, binShape], "max/bins")
    let pooled = try ctx.add(ReduceMax(keepDims: false), [bins, ctx.i64([2, 4], "max/sampleAxes")], "max/pooled")
    return try ctx.add(Transpose(), [pooled, ctx.i64([0, 3, 1, 2], "max/channelsFirstOrder")])
}
