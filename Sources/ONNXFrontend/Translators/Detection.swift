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
// interpolated sample (and at least 0), so max is refused rather than translated to different numbers.
private func translateRoiAlign(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), rois = try ctx.input(1), batchIndices = try ctx.input(2)
    let modeName = ctx.string("mode", "avg")
    guard let mode = ROIAlign.Mode(rawValue: modeName) else { throw ctx.error("mode '\(modeName)' is not avg or max") }
    if mode == .max {
        throw ctx.error("mode 'max' has no OpenVINO equivalent: ONNX pools the largest of each sample's four weighted neighbours, "
            + "ROIAlign-9 the largest interpolated sample (and at least 0)")
    }
    let transform = ctx.opset >= 16 ? ctx.string("coordinate_transformation_mode", "half_pixel") : "output_half_pixel"
    let aligned: ROIAlign.AlignedMode
    switch transform {
    case "output_half_pixel": aligned = .asymmetric
    case "half_pixel": aligned = .halfPixelForNN
    default: throw ctx.error("coordinate_transformation_mode '\(transform)' is not half_pixel or output_half_pixel")
    }
    let op = ROIAlign(pooledH: ctx.int("output_height", 1), pooledW: ctx.int("output_width", 1), samplingRatio: ctx.int("sampling_ratio", 0),
                      spatialScale: Double(ctx.float("spatial_scale", 1)), mode: mode, alignedMode: aligned)
    return [try ctx.add(op, [x, rois, batchIndices])]
}
