import OVIR

// GridSample as OpenVINO GridSample-9. ONNX 16 names the modes bilinear / bicubic / nearest, ONNX 20 linear / cubic /
// nearest and allows N-d inputs; OpenVINO samples 4-D [N, C, H, W] only, so other ranks are refused.
extension TranslatorTable {
    static let gridSample: [TranslatorEntry] = [
        TranslatorEntry("GridSample", since: 16, translateGridSample),
    ]
}

private func translateGridSample(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), grid = try ctx.input(1)
    for (what, v) in [("X", x), ("grid", grid)] {
        if let r = v.shape.rank, r != 4 {
            throw ctx.error("\(what) has rank \(r): OpenVINO's GridSample samples 4-D inputs ([N, C, H, W]) only")
        }
    }
    let modes: [String: GridSample.Mode] = ctx.opset >= 20
        ? ["linear": .bilinear, "cubic": .bicubic, "nearest": .nearest]
        : ["bilinear": .bilinear, "bicubic": .bicubic, "nearest": .nearest]
    let modeName = ctx.string("mode", ctx.opset >= 20 ? "linear" : "bilinear")
    guard let mode = modes[modeName] else {
        throw ctx.error("mode '\(modeName)' is not one of \(modes.keys.sorted().joined(separator: ", ")) (opset \(ctx.opset))")
    }
    let paddingName = ctx.string("padding_mode", "zeros")
    guard let padding = GridSample.PaddingMode(rawValue: paddingName) else {
        throw ctx.error("padding_mode '\(paddingName)' is not zeros, border or reflection")
    }
    let op = GridSample(alignCorners: ctx.int("align_corners", 0) != 0, mode: mode, paddingMode: padding)
    return [try ctx.add(op, [x, grid])]
}
