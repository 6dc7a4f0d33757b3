import OVIR

// Reductions (axes as attribute before ReduceSum-13 / ReduceX-18, as input after), ArgMax/ArgMin, CumSum.
extension TranslatorTable {
    static let reduction: [TranslatorEntry] = [
        reduce("ReduceSum", axesInputSince: 13) { ctx, x, axes, keep, name in
            try ctx.add(ReduceSum(keepDims: keep), [x, axes], name)
        },
        reduce("ReduceMean") { ctx, x, axes, keep, name in try ctx.add(ReduceMean(keepDims: keep), [x, axes], name) },
        reduce("ReduceProd") { ctx, x, axes, keep, name in try ctx.add(ReduceProd(keepDims: keep), [x, axes], name) },
        reduce("ReduceL1") { ctx, x, axes, keep, name in try ctx.add(ReduceL1(keepDims: keep), [x, axes], name) },
        reduce("ReduceL2") { ctx, x, axes, keep, name in try ctx.add(ReduceL2(keepDims: keep), [x, axes], name) },
        reduce("ReduceMax") { ctx, x, axes, keep, name in
            guard x.elementType == .boolean else { return try ctx.add(ReduceMax(keepDims: keep), [x, axes], name) }
            return try reduceBoolean(ctx, x, axes, keep, name, logical: ReduceLogicalOr(keepDims: keep), ReduceMax(keepDims: keep))
        },
        reduce("ReduceMin") { ctx, x, axes, keep, name in
            guard x.elementType == .boolean else { return try ctx.add(ReduceMin(keepDims: keep), [x, axes], name) }
            return try reduceBoolean(ctx, x, axes, keep, name, logical: ReduceLogicalAnd(keepDims: keep), ReduceMin(keepDims: keep))
        },
        // log(sum(x))
        reduce("ReduceLogSum") { ctx, x, axes, keep, name in
            try ctx.add(Log(), [ctx.add(ReduceSum(keepDims: keep), [x, axes], "sum")], name)
        },
        reduce("ReduceLogSumExp", translateLogSumExp),
        // sum(x * x)
        reduce("ReduceSumSquare") { ctx, x, axes, keep, name in
            try ctx.add(ReduceSum(keepDims: keep), [ctx.add(Multiply(), [x, x], "square"), axes], name)
        },
        TranslatorEntry("ArgMax") { ctx in [try translateArg(ctx, .max)] },
        TranslatorEntry("ArgMin") { ctx in [try translateArg(ctx, .min)] },
        TranslatorEntry("CumSum", translateCumSum),
    ]
}

/// Builds the reduction from data, an axes tensor and keepdims; the last node takes `name` as suffix.
private typealias Reduce = (NodeContext, Output, Output, Bool, String?) throws -> Output

/// A ReduceX translator for both axes forms: attribute before `axesInputSince`, input from then on.
/// Empty axes (absent, or a statically empty tensor) mean every axis, or no reduction with noop_with_empty_axes.
private func reduce(_ op: String, axesInputSince: Int = 18, _ build: @escaping Reduce) -> TranslatorEntry {
    TranslatorEntry(op) { ctx in
        let x = try ctx.input(0)
        let keep = ctx.int("keepdims", 1) != 0
        var axes: Output?
        var noop = false
        if ctx.opset >= axesInputSince {
            noop = ctx.int("noop_with_empty_axes", 0) != 0
            if let a = try ctx.optionalInput(1), a.shape.staticDims.map({ $0.reduce(1, *) > 0 }) ?? true {
                axes = a
            }
        } else if let a = ctx.ints("axes"), !a.isEmpty {
            axes = try ctx.i64(a, "axes")
        }
        guard let axes else {
            return noop ? [x] : [try build(ctx, x, allAxes(ctx, x), keep, nil)]
        }
        // OpenVINO cannot tell the output rank of runtime axes without keep_dims, and the CPU plugin needs it:
        // reduce with keep_dims, then reshape to the kept dims.
        if !keep, axes.constant == nil, let r = x.shape.rank, let n = axes.shape.staticDims?.reduce(1, *) {
            let kept = try ctx.add(Reshape(), [build(ctx, x, axes, true, "keep"), keptShape(ctx, axes, rank: r, count: n)])
            return [kept]
        }
        return [try build(ctx, x, axes, keep, nil)]
    }
}

/// The shape of `reduced` (a keep_dims result of rank `rank`) without the `count` runtime `axes`:
/// the kept axes are the `rank - count` smallest of (axis reduced ? rank : axis), found with TopK.
private func keptShape(_ ctx: NodeContext, _ axes: Output, rank: Int, count: Int) throws -> Output {
    let normalized = try ctx.add(FloorMod(), [ctx.add(Convert(.i64), [axes], "axesI64"), ctx.scalarI64(rank, "rank")], "axesNorm")
    let all = try ctx.constant(.i64(Array(0..<rank), dims: [rank, 1]), "allAxes")
    let hit = try ctx.add(Equal(), [all, normalized], "hit")
    let reduced = try ctx.add(ReduceLogicalOr(keepDims: false), [hit, ctx.i64([1], "hitAxis")], "isReduced")
    let key = try ctx.add(Select(), [reduced, ctx.scalarI64(rank, "past"), ctx.i64(Array(0..<rank), "axisList")], "key")
    let keptAxes = try ctx.addNode(TopK(axis: 0, mode: .min, sort: .value, indexElementType: .i64),
                                   [key, ctx.scalarI64(rank - count, "keptCount")], "keptAxes").output(0)
    let shape = try ctx.add(ShapeOf(), [ctx.input(0)], "shape")
    return try ctx.add(Gather(), [shape, keptAxes, ctx.scalarI64(0, "gatherAxis")], "keptShape")
}

/// log(sum(exp(x))) computed stably as log(sum(exp(x - m))) + m with m the maximum (0 where it is not finite,
/// so infinite or empty inputs still give ±inf).
private func translateLogSumExp(_ ctx: NodeContext, _ x: Output, _ axes: Output, _ keep: Bool, _ name: String?) throws -> Output {
    let max = try ctx.add(ReduceMax(keepDims: true), [x, axes], "max")
    let zero = try ctx.scalar(0, like: x, "zero")
    let m = try ctx.add(Select(), [ctx.add(IsFinite(), [max], "maxIsFinite"), max, zero], "shift")
    let e = try ctx.add(Exp(), [ctx.add(Subtract(), [x, m], "shifted")], "exp")
    let logSum = try ctx.add(Log(), [ctx.add(ReduceSum(keepDims: keep), [e, axes], "sum")], "logSum")
    let shift = keep ? m : try ctx.add(Squeeze(), [m, axes], "shiftReduced")
    return try ctx.add(Add(), [logSum, shift], name)
}

/// Boolean max/min: the logical reduction when the axes are constant (the CPU plugin needs that), else via u8.
private func reduceBoolean(_ ctx: NodeContext, _ x: Output, _ axes: Output, _ keep: Bool, _ name: String?,
                           logical: any Op, _ numeric: any Op) throws -> Output {
    if axes.constant != nil { return try ctx.add(logical, [x, axes], name) }
    let n = try ctx.add(numeric, [ctx.add(Convert(.u8), [x], "u8"), axes], "numeric")
    return try ctx.add(Convert(.boolean), [n], name)
}

/// Every axis of `x`: a Const when the rank is known, else Range(0, rank).
private func allAxes(_ ctx: NodeContext, _ x: Output) throws -> Output {
    if let r = x.shape.rank { return try ctx.i64(Array(0..<r), "axes") }
    let shape = try ctx.add(ShapeOf(), [x], "shape")
    let rank = try ctx.add(Squeeze(), [ctx.add(ShapeOf(), [shape], "rank"), ctx.i64([0], "rankAxis")], "rankScalar")
    return try ctx.add(RangeOp(outputType: .i64), [ctx.scalarI64(0, "start"), rank, ctx.scalarI64(1, "step")], "axes")
}

/// ArgMax/ArgMin: TopK with k=1 (stable, so ties give the first index), Squeeze when keepdims=0.
/// `select_last_index` reverses the axis first and maps the index back: i → n-1-i.
private func translateArg(_ ctx: NodeContext, _ mode: TopK.Mode) throws -> Output {
    var x = try ctx.input(0)
    let axis = ctx.int("axis", 0)
    let keep = ctx.int("keepdims", 1) != 0
    let last = ctx.int("select_last_index", 0) != 0
    let original = x
    if last {
        x = try ctx.add(Slice(), [x, ctx.i64([-1], "revStart"), ctx.i64([Int(Int64.min)], "revStop"),
                                  ctx.i64([-1], "revStep"), ctx.i64([axis], "revAxis")], "reversed")
    }
    let topk = try ctx.addNode(TopK(axis: axis, mode: mode, sort: .value, indexElementType: .i64, stable: true),
                               [x, ctx.scalarI64(1, "k")], keep && !last ? nil : "topk")
    var index = topk.output(1)
    if last {
        let n: Output
        if let r = original.shape.rank, let d = original.shape.dims?[try ShapeInference.axis(axis, rank: r)].value {
            n = try ctx.i64([d - 1], "last")
        } else {
            let dim = try ctx.add(Gather(), [ctx.add(ShapeOf(), [original], "shape"), ctx.i64([axis], "axis"),
                                             ctx.scalarI64(0, "gatherAxis")], "dim")
            n = try ctx.add(Subtract(), [dim, ctx.i64([1], "one")], "last")
        }
        index = try ctx.add(Subtract(), [n, index], keep ? nil : "index")
    }
    if keep { return index }
    return try ctx.add(Squeeze(), [index, ctx.i64([axis], "squeezeAxis")])
}

/// CumSum: axis is a 0-D (or one-element) input.
private func translateCumSum(_ ctx: NodeContext) throws -> [Output] {
    let axisInput = try ctx.input(1)
    let axis: Output
    if let v = axisInput.constant?.intValues(), v.count == 1 {
        axis = try ctx.scalarI64(v[0], "axis")
    } else if axisInput.shape.rank == 0 {
        axis = axisInput
    } else {
        axis = try ctx.add(Squeeze(), [axisInput], "axis")
    }
    let op = CumSum(exclusive: ctx.int("exclusive", 0) != 0, reverse: ctx.int("reverse", 0) != 0)
    return [try ctx.add(op, [ctx.input(0), axis])]
}
