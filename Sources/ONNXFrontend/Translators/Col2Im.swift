import OVIR

// Col2Im (opset 18) as OpenVINO Col2Im-15, image_shape and block_shape passed on as its output_size and kernel_size
// inputs and pads split into pads_begin and pads_end. Col2Im-15 rebuilds 2-D images only, so other spatial ranks (the
// rank is block_shape's length, or the attributes') are refused.
extension TranslatorTable {
    static let col2Im: [TranslatorEntry] = [
        TranslatorEntry("Col2Im", since: 18, translateCol2Im),
    ]
}

private func translateCol2Im(_ ctx: NodeContext) throws -> [Output] {
    let data = try ctx.input(0), imageShape = try ctx.input(1), blockShape = try ctx.input(2)
    let strides = ctx.ints("strides"), dilations = ctx.ints("dilations"), pads = ctx.ints("pads")
    let lengths = [blockShape, imageShape].map { $0.shape.dims.flatMap { $0.count == 1 ? $0[0].value : nil } }
    let spatial = lengths[0] ?? lengths[1] ?? strides?.count ?? dilations?.count ?? pads.map { $0.count / 2 } ?? 2
    guard spatial == 2 else {
        throw ctx.error("\(spatial) spatial dims: OpenVINO's Col2Im-15 rebuilds 2-D images ([N, C, H, W]) only")
    }
    for (name, values, count) in [("strides", strides, 2), ("dilations", dilations, 2), ("pads", pads, 4)] {
        if let values, values.count != count { throw ctx.error("\(name) must hold \(count) values for 2 spatial dims, got \(values)") }
    }
    let p = pads ?? [0, 0, 0, 0]
    let op = Col2Im(strides: strides ?? [1, 1], dilations: dilations ?? [1, 1], padsBegin: Array(p[0..<2]), padsEnd: Array(p[2..<4]))
    return [try ctx.add(op, [data, imageShape, blockShape])]
}
