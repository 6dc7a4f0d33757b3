import OVIR

// Joining, splitting, slicing and padding.
extension TranslatorTable {
    static let slicing: [TranslatorEntry] = [
        TranslatorEntry("Concat") { ctx in [try ctx.add(Concat(axis: ctx.int("axis", 1)), ctx.inputs())] },
        TranslatorEntry("Split") { ctx in
            try split(ctx, lengths: ctx.ints("split").map { try ctx.i64($0, "split") } ?? ctx.optionalInput(1))
        },
        TranslatorEntry("Split", since: 2) { ctx in try split(ctx, lengths: ctx.ints("split").map { try ctx.i64($0, "split") }) },
        TranslatorEntry("Split", since: 13) { ctx in try split(ctx, lengths: ctx.optionalInput(1)) },
        TranslatorEntry("Slice") { ctx in
            guard let starts = ctx.ints("starts"), let ends = ctx.ints("ends") else {
                throw ctx.error("attributes 'starts' and 'ends' are required")
            }
            return [try slice(ctx, starts: ctx.i64(starts, "starts"), ends: ctx.i64(ends, "ends"),
                              axes: ctx.ints("axes").map { try ctx.i64($0, "axes") }, steps: nil)]
        },
        TranslatorEntry("Slice", since: 10) { ctx in
            [try slice(ctx, starts: ctx.input(1), ends: ctx.input(2), axes: ctx.optionalInput(3), steps: ctx.optionalInput(4))]
        },
        TranslatorEntry("Pad") { ctx in
            try padAttributes(ctx, pads: ctx.ints("paddings"))
        },
        TranslatorEntry("Pad", since: 2) { ctx in try padAttributes(ctx, pads: ctx.ints("pads")) },
        TranslatorEntry("Pad", since: 11) { ctx in
            [try pad(ctx, pads: ctx.input(1), value: ctx.optionalInput(2), axes: ctx.optionalInput(3))]
        },
    ]
}

/// Split into the given lengths, or into `ctx.outputCount` parts (from opset 18 the last one is smaller
/// when the dim does not divide).
private func split(_ ctx: NodeContext, lengths: Output?) throws -> [Output] {
    let x = try ctx.input(0)
    let axis = ctx.int("axis", 0)
    let parts = ctx.int("num_outputs") ?? ctx.outputCount
    guard parts > 0, parts <= 1 << 31 else { throw ctx.error("num_outputs must be positive, got \(parts)") }
    let axisConst = try ctx.scalarI64(axis, "axis")
    if var lengths {
        // VariadicSplit needs a static number of lengths; ONNX fixes it by the output count.
        if lengths.shape.staticDims?.count != 1 {
            lengths = try ctx.add(Reshape(specialZero: false), [lengths, ctx.i64([parts], "splitShape")], "split")
        }
        return try ctx.addNode(VariadicSplit(), [x, axisConst, lengths]).outputs
    }
    let dim = try x.shape.rank.flatMap { x.shape.dims?[try ShapeInference.axis(axis, rank: $0)] }
    if let n = dim?.value {
        guard n % parts != 0 else { return try ctx.addNode(Split(numSplits: parts), [x, axisConst]).outputs }
        let chunk = (n + parts - 1) / parts
        let sizes = Array(repeating: chunk, count: parts - 1) + [n - chunk * (parts - 1)]
        return try ctx.addNode(VariadicSplit(), [x, axisConst, ctx.i64(sizes, "split")]).outputs
    }
    guard ctx.opset >= 18, parts > 1 else { return try ctx.addNode(Split(numSplits: parts), [x, axisConst]).outputs }
    // Runtime lengths: chunk = ceil(d / parts) for all but the last part, which takes the rest.
    let d = try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "shapeOf"), ctx.i64([axis], "axisIndex"), ctx.scalarI64(0, "gatherAxis")], "dim")
    let chunk = try ctx.add(Divide(), [ctx.add(Add(), [d, ctx.scalarI64(parts - 1, "roundUp")], "dimRounded"), ctx.scalarI64(parts, "parts")], "chunk")
    let rest = try ctx.add(Subtract(), [d, ctx.add(Multiply(), [chunk, ctx.scalarI64(parts - 1, "leading")], "leadingTotal")], "rest")
    let sizes = try ctx.add(Concat(axis: 0), Array(repeating: chunk, count: parts - 1) + [rest], "split")
    return try ctx.addNode(VariadicSplit(), [x, axisConst, sizes]).outputs
}

/// Slice-8 from ONNX starts/ends/axes/steps (steps default to 1).
private func slice(_ ctx: NodeContext, starts: Output, ends: Output, axes: Output?, steps: Output?) throws -> Output {
    let x = try ctx.input(0)
    let step: Output
    if let steps {
        step = steps
    } else if let n = starts.constant?.elementCount ?? starts.shape.staticDims?.first {
        let ones = Array(repeating: 1, count: n)
        step = try ctx.constant(starts.elementType == .i32 ? .i32(ones) : .i64(ones), "steps")
    } else {
        let one = try ctx.constant(starts.elementType == .i32 ? .i32([1], dims: []) : .scalar(i64: 1), "one")
        step = try ctx.add(Broadcast(), [one, ctx.add(ShapeOf(), [starts], "startsShape")], "steps")
    }
    return try ctx.add(Slice(), [x, starts, ends, step] + (axes.map { [$0] } ?? []))
}

/// Pad before opset 11: `pads`, `value` and `mode` attributes.
private func padAttributes(_ ctx: NodeContext, pads: [Int]?) throws -> [Output] {
    guard let pads else { throw ctx.error("attribute 'pads' is required") }
    let x = try ctx.input(0)
    let value = ctx.float("value", 0)
    let v = value == 0 ? nil : try ctx.scalar(value, like: x, "value")
    return [try pad(ctx, pads: ctx.i64(pads, "pads"), value: v, axes: nil)]
}

/// Pad-12 from ONNX pads `[b1…bn, e1…en]` over all axes or the listed `axes`; `wrap` mode is decomposed.
private func pad(_ ctx: NodeContext, pads: Output, value: Output?, axes: Output?) throws -> Output {
    let x = try ctx.input(0)
    let mode: Pad.Mode?
    switch ctx.string("mode", "constant") {
    case "constant": mode = .constant
    case "reflect": mode = .reflect
    case "edge": mode = .edge
    case "wrap": mode = nil
    case let m: throw ctx.error("pad mode '\(m)' is not supported")
    }
    let (begin, end) = try padsBeginEnd(ctx, x, pads: pads, axes: axes)
    guard let mode else { return try wrapPad(ctx, x, begin: begin, end: end) }
    var inputs = [x, begin, end]
    if mode == .constant, var v = value {
        if v.shape.rank != 0 { v = try ctx.add(Squeeze(), [v], "valueScalar") }
        inputs.append(v)
    }
    return try ctx.add(Pad(mode: mode), inputs)
}

/// Full-rank i64 pads_begin and pads_end from ONNX pads (and axes, scattered into zeros).
private func padsBeginEnd(_ ctx: NodeContext, _ x: Output, pads: Output, axes: Output?) throws -> (Output, Output) {
    let rank = x.shape.rank
    if axes != nil, rank == nil { throw ctx.error("padding listed axes needs the input rank") }
    // pads holds a begin and an end value per padded axis: the listed axes, else every axis.
    let padded = axes.map { $0.constant?.elementCount ?? $0.shape.staticDims?.first } ?? rank
    if let n = pads.constant?.elementCount ?? pads.shape.staticDims?.first, n % 2 != 0 || padded.map({ n != 2 * $0 }) == true {
        let what = axes == nil ? "the input rank" : "the number of axes"
        throw ctx.error("pads has \(n) values; it needs 2 × \(what) (\(padded.map(String.init) ?? "unknown"))")
    }
    if let p = pads.constant?.intValues() {
        let half = p.count / 2
        var (b, e) = (Array(p[..<half]), Array(p[half...]))
        if let a = axes?.constant?.intValues(), let rank {
            var fb = Array(repeating: 0, count: rank), fe = fb
            for (k, axis) in a.enumerated() {
                let i = try ShapeInference.axis(axis, rank: rank)
                (fb[i], fe[i]) = (b[k], e[k])
            }
            (b, e) = (fb, fe)
        }
        if axes == nil || axes?.constant != nil { return (try ctx.i64(b, "padsBegin"), try ctx.i64(e, "padsEnd")) }
    }
    var p = pads
    if p.elementType != .i64 { p = try ctx.add(Convert(.i64), [p], "padsCast") }
    let halves = try ctx.addNode(Split(numSplits: 2), [p, ctx.scalarI64(0, "padsAxis")], "padsSplit")
    guard var a = axes, let rank else { return (halves.output(0), halves.output(1)) }
    if a.elementType != .i64 { a = try ctx.add(Convert(.i64), [a], "axesCast") }
    let indices = try ctx.add(FloorMod(), [a, ctx.scalarI64(rank, "rank")], "axesNormalized")
    let zeros = try ctx.i64(Array(repeating: 0, count: rank), "zeros")
    let zero = try ctx.scalarI64(0, "scatterAxis")
    return (try ctx.add(ScatterUpdate(), [zeros, indices, halves.output(0), zero], "padsBegin"),
            try ctx.add(ScatterUpdate(), [zeros, indices, halves.output(1), zero], "padsEnd"))
}

/// Wrap padding: per axis, Concat(last `b` items, x, first `e` items) (pads must not exceed the dims).
private func wrapPad(_ ctx: NodeContext, _ x: Output, begin: Output, end: Output) throws -> Output {
    guard let rank = x.shape.rank else { throw ctx.error("wrap padding needs the input rank") }
    let b = begin.constant?.intValues(), e = end.constant?.intValues()
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    let zero = try ctx.scalarI64(0, "gatherAxis"), one = try ctx.i64([1], "one"), last = try ctx.i64([Int(Int64.max)], "last")
    let padded = (0..<rank).filter { i in b.map { $0[i] != 0 } ?? true || e.map { $0[i] != 0 } ?? true }
    var y = x
    for i in padded {
        let axis = try ctx.i64([i], "axis\(i)")
        let dim = try ctx.add(Gather(), [shape, axis, zero], "dim\(i)")
        let bi = try ctx.add(Gather(), [begin, axis, zero], "begin\(i)"), ei = try ctx.add(Gather(), [end, axis, zero], "end\(i)")
        let head = try ctx.add(Slice(), [y, ctx.add(Subtract(), [dim, bi], "start\(i)"), last, one, axis], "head\(i)")
        let tail = try ctx.add(Slice(), [y, ctx.i64([0], "zero\(i)"), ei, one, axis], "tail\(i)")
        y = try ctx.add(Concat(axis: i), [head, y, tail], i == padded.last ? nil : "wrapped\(i)")
    }
    return y
}
