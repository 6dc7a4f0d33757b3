import OVIR

// Col2Im (opset 18) as OpenVINO Col2Im-15, image_shape and block_shape passed on as its output_size and kernel_size
// inputs and pads split into pads_begin and pads_end. Col2Im-15 rebuilds 2-D images only; the spatial rank is
// block_shape's length (or the attributes'), and other ranks are folded one axis at a time (`foldAxisByAxis`).
extension TranslatorTable {
    static let col2Im: [TranslatorEntry] = [
        TranslatorEntry("Col2Im", since: 18, translateCol2Im),
    ]
}

private func translateCol2Im(_ ctx: NodeContext) throws -> [Output] {
    let data = try ctx.input(0), imageShape = try ctx.input(1), blockShape = try ctx.input(2)
    let strides = ctx.ints("strides"), dilations = ctx.ints("dilations"), pads = ctx.ints("pads")
    let lengths = [blockShape, imageShape].map { $0.shape.dims.flatMap { $0.count == 1 ? $0[0].value : nil } }
    let rank = lengths[0] ?? lengths[1] ?? strides?.count ?? dilations?.count ?? pads.map { $0.count / 2 } ?? 2
    guard (1...16).contains(rank) else { throw ctx.error("block_shape has \(rank) values: expected 1 to 16 spatial dims") }
    for (name, values, count) in [("strides", strides, rank), ("dilations", dilations, rank), ("pads", pads, 2 * rank)] {
        if let values, values.count != count {
            throw ctx.error("\(name) must hold \(count) values for \(rank) spatial dims, got \(values)")
        }
    }
    // Col2Im-15's bounds, checked here too since the N-D fold does arithmetic on them before any Col2Im is built.
    for (name, values, range) in [("strides", strides, 1...Col2Im.limit), ("dilations", dilations, 1...Col2Im.limit),
                                  ("pads", pads, 0...Col2Im.limit)] {
        if let bad = values?.first(where: { !range.contains($0) }) { throw ctx.error("\(name) value \(bad) is outside \(range)") }
    }
    let p = pads ?? Array(repeating: 0, count: 2 * rank)
    let folding = Folding(strides: strides ?? Array(repeating: 1, count: rank), dilations: dilations ?? Array(repeating: 1, count: rank),
                          padsBegin: Array(p[0..<rank]), padsEnd: Array(p[rank...]))
    if rank == 2 {
        let op = Col2Im(strides: folding.strides, dilations: folding.dilations, padsBegin: folding.padsBegin, padsEnd: folding.padsEnd)
        return [try ctx.add(op, [data, imageShape, blockShape])]
    }
    return [try foldAxisByAxis(ctx, data, imageShape, blockShape, folding)]
}

/// The attributes of an N-D fold, one value per spatial axis.
private struct Folding {
    var strides, dilations, padsBegin, padsEnd: [Int]

    /// Col2Im-15 folding `axis` over rows and `other` over columns (`other` nil: a column kernel of 1, no padding).
    func col2Im(_ axis: Int, _ other: Int?) -> Col2Im {
        func pair(_ v: [Int], _ fill: Int) -> [Int] { [v[axis], other.map { v[$0] } ?? fill] }
        return Col2Im(strides: pair(strides, 1), dilations: pair(dilations, 1), padsBegin: pair(padsBegin, 0), padsEnd: pair(padsEnd, 0))
    }
}

/// Col2Im of R ≠ 2 spatial axes with Col2Im-15, which folds 2-D images: the fold is separable by axis. Data
/// [N, C·k₀…k_{R-1}, L₀…L_{R-1}] is laid out as [N, C, k₀, L₀, …, k_{R-3}, L_{R-3}, k_{R-2}, k_{R-1}, L_{R-2}, L_{R-1}], the
/// last two axes folded together into [P_{R-2}, P_{R-1}], then each earlier axis a in turn as a 2-D image [P_a, P_{a+1}·…]
/// with a kernel [k_a, 1]: its (k_a, L_a) are the last channel factor and the first block factor. One axis (R = 1) is
/// an image [1, P₀] with a kernel [1, k₀]. L_a = (P_a + pads - d_a·(k_a - 1) - 1) / s_a + 1 is computed from the
/// run-time image_shape and block_shape.
private func foldAxisByAxis(_ ctx: NodeContext, _ data: Output, _ image: Output, _ block: Output, _ f: Folding) throws -> Output {
    let rank = f.strides.count
    func pick(_ v: Output, _ axes: [Int], _ name: String) throws -> Output {
        try ctx.add(Gather(), [v, ctx.i64(axes, "\(name)/indices"), ctx.scalarI64(0, "\(name)/axis")], name)
    }
    func concat(_ parts: [Output], _ name: String) throws -> Output { try ctx.add(Concat(axis: 0), parts, name) }
    let one = try ctx.i64([1], "one")
    /// The image as [N, C, P₀, …] from the folded [N, C, P₀, P₁·…] (special zero keeps N and C).
    func unflatten(_ x: Output) throws -> Output {
        try ctx.add(Reshape(specialZero: true), [x, concat([ctx.i64([0, 0], "keepBatchAndChannels"), image], "imageDims")])
    }
    if rank == 1 {
        let op = Col2Im(strides: [1, f.strides[0]], dilations: [1, f.dilations[0]], padsBegin: [0, f.padsBegin[0]], padsEnd: [0, f.padsEnd[0]])
        return try unflatten(ctx.add(op, [data, concat([one, image], "row/size"), concat([one, block], "row/kernel")], "row"))
    }
    // L = (P + pads_begin + pads_end + d - 1 - d·k) / s + 1, per axis
    let numerator = try ctx.add(Subtract(), [ctx.add(Add(), [image, ctx.i64((0..<rank).map { f.padsBegin[$0] + f.padsEnd[$0] + f.dilations[$0] - 1 }, "blocks/span")],
                                                     "blocks/padded"),
                                             ctx.add(Multiply(), [block, ctx.i64(f.dilations, "blocks/dilations")], "blocks/kernelSpan")], "blocks/numerator")
    let blocks = try ctx.add(Add(), [ctx.add(Divide(), [numerator, ctx.i64(f.strides, "blocks/strides")], "blocks/steps"), one], "blocks")
    let split = try ctx.add(Reshape(specialZero: true), [data, concat([ctx.i64([0, -1], "split/batchAndChannels"), block, blocks], "split/dims")], "split")
    let (a, b) = (rank - 2, rank - 1)
    let order = [0, 1] + (0..<a).flatMap { [2 + $0, 2 + rank + $0] } + [2 + a, 2 + b, 2 + rank + a, 2 + rank + b]
    let grouped = try ctx.add(Transpose(), [split, ctx.i64(order, "grouped/order")], "grouped")
    let lastBlocks = try ctx.add(Multiply(), [pick(blocks, [a], "last/blocksRows"), pick(blocks, [b], "last/blocksColumns")], "last/blocks")
    let columns = try ctx.add(Reshape(specialZero: true), [grouped, concat([ctx.i64([0, -1], "last/batchAndColumns"), lastBlocks], "last/dims")], "last/columns")
    var x = try ctx.add(f.col2Im(a, b), [columns, pick(image, [a, b], "last/size"), pick(block, [a, b], "last/kernel")], "last")
    var tail = try ctx.add(Multiply(), [pick(image, [a], "last/rows"), pick(image, [b], "last/width")], "last/pixels")
    for axis in stride(from: a - 1, through: 0, by: -1) {
        let name = "axis\(axis)"
        let blockCount = try ctx.add(Multiply(), [pick(blocks, [axis], "\(name)/blockCount"), tail], "\(name)/blocks")
        let columns = try ctx.add(Reshape(specialZero: true), [x, concat([ctx.i64([0, -1], "\(name)/batchAndColumns"), blockCount], "\(name)/dims")],
                                  "\(name)/columns")
        let size = try pick(image, [axis], "\(name)/rows")
        x = try ctx.add(f.col2Im(axis, nil), [columns, concat([size, tail], "\(name)/size"), concat([pick(block, [axis], "\(name)/kernelRows"), one], "\(name)/kernel")],
                        name)
        tail = try ctx.add(Multiply(), [size, tail], "\(name)/pixels")
    }
    return try unflatten(x)
}
