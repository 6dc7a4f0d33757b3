import OVIR

// Indexing: gathers, scatters and index generators.
extension TranslatorTable {
    static let gatherScatter: [TranslatorEntry] = [
        TranslatorEntry("Gather") { ctx in
            [try ctx.add(Gather(), [ctx.input(0), ctx.input(1), ctx.scalarI64(ctx.int("axis", 0), "axis")])]
        },
        TranslatorEntry("GatherElements", since: 11) { ctx in
            [try ctx.add(GatherElements(axis: ctx.int("axis", 0)), [ctx.input(0), ctx.input(1)])]
        },
        TranslatorEntry("GatherND", since: 11) { ctx in
            [try ctx.add(GatherND(batchDims: ctx.int("batch_dims", 0)), [ctx.input(0), ctx.input(1)])]
        },
        TranslatorEntry("Scatter", since: 9) { ctx in [try scatterElements(ctx)] },
        TranslatorEntry("ScatterElements", since: 11) { ctx in [try scatterElements(ctx)] },
        TranslatorEntry("ScatterND", since: 11, translateScatterND),
        TranslatorEntry("NonZero", since: 9) { ctx in [try ctx.add(NonZero(outputType: .i64), [ctx.input(0)])] },
        TranslatorEntry("OneHot", since: 9, translateOneHot),
        TranslatorEntry("Compress", since: 9, translateCompress),
        TranslatorEntry("ReverseSequence", since: 10) { ctx in
            let op = ReverseSequence(batchAxis: ctx.int("batch_axis", 1), seqAxis: ctx.int("time_axis", 0))
            return [try ctx.add(op, [ctx.input(0), ctx.input(1)])]
        },
        TranslatorEntry("Unique", since: 11, translateUnique),
    ]
}

/// ScatterElements (and the deprecated Scatter) with the opset-16 `reduction`.
private func scatterElements(_ ctx: NodeContext) throws -> Output {
    let op = ScatterElementsUpdate(reduction: try ctx.scatterReduction())
    return try ctx.add(op, [ctx.input(0), ctx.input(1), ctx.input(2), ctx.scalarI64(ctx.int("axis", 0), "axis")])
}

/// ScatterND with the opset-16 `reduction`.
private func translateScatterND(_ ctx: NodeContext) throws -> [Output] {
    [try ctx.add(ScatterNDUpdate(reduction: try ctx.scatterReduction()), [ctx.input(0), ctx.input(1), ctx.input(2)])]
}

/// OneHot: indices (any numeric type, negative ones counting from `depth`), depth, values `[off, on]`.
private func translateOneHot(_ ctx: NodeContext) throws -> [Output] {
    var indices = try ctx.input(0), depth = try ctx.input(1)
    let values = try ctx.input(2)
    if indices.elementType != .i64 { indices = try ctx.add(Convert(.i64), [indices], "indicesCast") }
    if depth.elementType != .i64 { depth = try ctx.add(Convert(.i64), [depth], "depthCast") }
    if depth.shape.rank != 0 { depth = try ctx.add(Squeeze(), [depth], "depthScalar") }
    // idx + depth·(idx < 0)
    let negative = try ctx.add(Less(), [indices, ctx.scalarI64(0, "zero")], "negative")
    let shift = try ctx.add(Multiply(), [ctx.add(Convert(.i64), [negative], "negativeInt"), depth], "shift")
    indices = try ctx.add(Add(), [indices, shift], "indices")
    let gatherAxis = try ctx.scalarI64(0, "valuesAxis")
    let off = try ctx.add(Gather(), [values, ctx.scalarI64(0, "offIndex"), gatherAxis], "off")
    let on = try ctx.add(Gather(), [values, ctx.scalarI64(1, "onIndex"), gatherAxis], "on")
    return [try ctx.add(OneHot(axis: ctx.int("axis", -1)), [indices, depth, on, off])]
}

/// Compress: Gather at the positions where the condition holds (on the flattened input without `axis`).
private func translateCompress(_ ctx: NodeContext) throws -> [Output] {
    var x = try ctx.input(0)
    let positions = try ctx.add(NonZero(outputType: .i64), [ctx.input(1)], "nonZero")
    let indices = try ctx.add(Squeeze(), [positions, ctx.i64([0], "squeezeAxis")], "indices")
    let axis = ctx.int("axis")
    if axis == nil { x = try ctx.add(Reshape(specialZero: false), [x, ctx.i64([-1], "flatShape")], "flat") }
    return [try ctx.add(Gather(), [x, indices, ctx.scalarI64(axis ?? 0, "axis")])]
}

/// Unique: values, first-occurrence indices, inverse indices and counts (all i64), sorted unless `sorted=0`.
private func translateUnique(_ ctx: NodeContext) throws -> [Output] {
    var op = Unique()
    op.sorted = ctx.int("sorted", 1) != 0
    var inputs = [try ctx.input(0)]
    if let axis = ctx.int("axis") { inputs.append(try ctx.scalarI64(axis, "axis")) }
    return try ctx.addNode(op, inputs).outputs
}
