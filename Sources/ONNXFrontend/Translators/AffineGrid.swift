import OVIR

// AffineGrid (opset 20) decomposed as ONNX computes it (onnx/reference/ops/op_affine_grid.py and the op's function
// body): size is [N, C, H, W] (2-D) or [N, C, D, H, W] (3-D); along a spatial axis of length s the base coordinates
// are start + i·step, i in [0, s): with align_corners start = -1, step = 2 / (s - 1) (0 when s is 1, as the function
// body does for D), otherwise step = 2 / s, start = -1 + step / 2. The grid point at (…, h, w) is
// theta[n] · (x_w, y_h, [z_d,] 1), written out as x·theta[:, :, 0] + y·theta[:, :, 1] (+ z·theta[:, :, 2])
// + theta[:, :, last] over [N, spatial..., r], in theta's type. theta and size may both be computed at run time.
extension TranslatorTable {
    static let affineGrid: [TranslatorEntry] = [
        TranslatorEntry("AffineGrid", since: 20, translateAffineGrid),
    ]
}

private func translateAffineGrid(_ ctx: NodeContext) throws -> [Output] {
    let theta = try ctx.input(0), size = try ctx.input(1)
    guard theta.shape.rank == nil || theta.shape.rank == 3 else { throw ctx.error("theta must be [N, 2, 3] or [N, 3, 4], got \(theta.shape)") }
    guard size.shape.rank == nil || size.shape.rank == 1 else { throw ctx.error("size must be 1-D, got \(size.shape)") }
    // The spatial rank r: from size's length, else from theta's rows.
    guard let r = size.shape.dims?[0].value.map({ $0 - 2 }) ?? theta.shape.dims?[1].value, r == 2 || r == 3 else {
        throw ctx.error("size must have 4 entries (N, C, H, W) or 5 (N, C, D, H, W), got shape \(size.shape) with theta \(theta.shape)")
    }
    if let dims = theta.shape.dims {
        for (k, expected) in [(1, r), (2, r + 1)] where dims[k].value.map({ $0 != expected }) ?? false {
            throw ctx.error("theta is \(theta.shape); with a \(r)-D size it must be [N, \(r), \(r + 1)]")
        }
    }
    let alignCorners = ctx.int("align_corners", 0) != 0
    let sizes = size.elementType == .i64 ? size : try ctx.add(Convert(.i64), [size], "size/i64")
    let one = try ctx.scalar(1, like: theta, "one"), two = try ctx.scalar(2, like: theta, "two")

    /// theta[:, :, k] as [N, 1 (r times), r], to scale coordinates laid out along the spatial axes.
    func column(_ k: Int, _ suffix: String) throws -> Output {
        let c = try ctx.add(Gather(), [theta, ctx.scalarI64(k, "\(suffix)/index"), ctx.scalarI64(2, "\(suffix)/axis")], "\(suffix)/gathered")
        return try ctx.add(Reshape(specialZero: false), [c, ctx.i64([-1] + Array(repeating: 1, count: r) + [r], "\(suffix)/shape")], suffix)
    }

    var grid: Output?
    // Component k of a grid point is the coordinate along spatial axis r - 1 - k (x along W first).
    for k in 0..<r {
        let axis = r - 1 - k, name = ["x", "y", "z"][k]
        let length = try ctx.add(Gather(), [sizes, ctx.scalarI64(2 + axis, "\(name)/index"), ctx.scalarI64(0, "\(name)/gatherAxis")],
                                 "\(name)/length")
        let i = try ctx.add(RangeOp(outputType: .i64), [ctx.scalarI64(0, "\(name)/start"), length, ctx.scalarI64(1, "\(name)/step")],
                            "\(name)/range")
        let step: Output, start: Output
        if alignCorners {
            let intervals = try ctx.add(Maximum(), [ctx.add(Subtract(), [length, ctx.scalarI64(1, "\(name)/one")], "\(name)/lengthMinusOne"),
                                                    ctx.scalarI64(1, "\(name)/atLeastOne")], "\(name)/intervals")
            step = try ctx.add(Divide(), [two, ctx.add(ConvertLike(), [intervals, theta], "\(name)/intervalsCast")], "\(name)/stepSize")
            start = try ctx.scalar(-1, like: theta, "\(name)/first")
        } else {
            step = try ctx.add(Divide(), [two, ctx.add(ConvertLike(), [length, theta], "\(name)/lengthCast")], "\(name)/stepSize")
            start = try ctx.add(Subtract(), [ctx.add(Divide(), [step, two], "\(name)/halfStep"), one], "\(name)/first")
        }
        let steps = try ctx.add(Multiply(), [ctx.add(ConvertLike(), [i, theta], "\(name)/rangeCast"), step], "\(name)/steps")
        let coordinates = try ctx.add(Add(), [start, steps], "\(name)/coordinates")
        var shape = Array(repeating: 1, count: r + 2)
        shape[1 + axis] = -1
        let laidOut = try ctx.add(Reshape(specialZero: false), [coordinates, ctx.i64(shape, "\(name)/layoutShape")], "\(name)/laidOut")
        let term = try ctx.add(Multiply(), [laidOut, column(k, "\(name)/theta")], "\(name)/term")
        grid = try grid.map { try ctx.add(Add(), [$0, term], "\(name)/sum") } ?? term
    }
    return [try ctx.add(Add(), [grid!, column(r, "translation")])]
}
