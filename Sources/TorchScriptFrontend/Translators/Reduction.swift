import OVIR

// Reductions and arg-reductions.
extension TSTranslatorTable {
    static let reduction: [TSTranslatorEntry] = [
        // self, dim[]?, keepdim, dtype?
        TSTranslatorEntry("aten::mean") { ctx in [.tensor(try reduce(ctx, ReduceMean.self))] },
        TSTranslatorEntry("aten::sum") { ctx in [.tensor(try reduce(ctx, ReduceSum.self))] },
        TSTranslatorEntry("aten::prod") { ctx in [.tensor(try reduce(ctx, ReduceProd.self))] },
        TSTranslatorEntry("aten::amax") { ctx in [.tensor(try reduce(ctx, ReduceMax.self))] },
        TSTranslatorEntry("aten::amin") { ctx in [.tensor(try reduce(ctx, ReduceMin.self))] },
        TSTranslatorEntry("aten::max") { ctx in try maxMin(ctx, max: true) },
        TSTranslatorEntry("aten::min") { ctx in try maxMin(ctx, max: false) },
        TSTranslatorEntry("aten::argmax") { ctx in [.tensor(try argReduce(ctx, max: true))] },
        TSTranslatorEntry("aten::argmin") { ctx in [.tensor(try argReduce(ctx, max: false))] },
    ]
}

/// A reduction over `dim` (all dims when it is absent, None or empty), keeping them when `keepdim`.
private func reduce<R: ReductionOp>(_ ctx: TSNodeContext, _ type: R.Type) throws -> Output {
    var x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    var axes = Array(0..<rank)
    var keep = false
    if ctx.inputCount > 1, try !ctx.isNone(1), case .list = try ctx.value(1) {
        let dims = try ctx.ints(1)
        if !dims.isEmpty { axes = try dims.map { try ctx.axis($0, rank: rank) } }
        keep = ctx.inputCount > 2 ? try ctx.bool(2) : false
        if ctx.inputCount > 3, let code = try ctx.optionalInt(3), let t = TSScalarType.elementType(code: code) { x = try ctx.convert(x, to: t) }
    } else if ctx.inputCount > 1, try !ctx.isNone(1), ctx.staticInt(try ctx.value(1)) != nil, ctx.inputCount > 2 {
        axes = [try ctx.axis(ctx.int(1), rank: rank)]
        keep = try ctx.bool(2)
    } else if ctx.inputCount > 1, let code = try ctx.optionalInt(1), let t = TSScalarType.elementType(code: code) {
        x = try ctx.convert(x, to: t)  // sum(self, dtype)
    }
    if let t = ctx.annotatedElementType(), t != x.elementType, R.self == ReduceSum.self || R.self == ReduceProd.self {
        x = try ctx.convert(x, to: t)  // sums of bools and ints count in i64
    }
    return try ctx.add(R(keepDims: keep), [x, ctx.i64(axes, "axes")])
}

/// max/min(self) → all-reduce; max/min(self, other) → element-wise; max/min(self, dim, keepdim) → (values, indices).
private func maxMin(_ ctx: TSNodeContext, max: Bool) throws -> [TSValue] {
    switch ctx.inputCount {
    case 1:
        let x = try ctx.tensor(0)
        let axes = try ctx.i64(Array(0..<ctx.rank(x)), "axes")
        return [.tensor(try ctx.add(max ? ReduceMax(keepDims: false) as any Op : ReduceMin(keepDims: false), [x, axes]))]
    case 2:
        if case .int(let a) = try ctx.value(0), case .int(let b) = try ctx.value(1) { return [.int(max ? Swift.max(a, b) : Swift.min(a, b))] }
        let (a, b) = try promotedOperands(ctx)
        return [.tensor(try ctx.add(max ? Maximum() as any Op : Minimum(), [a, b]))]
    default:
        let x = try ctx.tensor(0)
        let rank = try ctx.rank(x)
        let dim = try ctx.axis(ctx.int(1), rank: rank)
        let keep = try ctx.bool(2)
        let topk = try ctx.addNode(TopK(axis: dim, mode: max ? .max : .min, sort: .none, indexElementType: .i64),
                                   [x, ctx.constant(.scalar(i64: 1), "k")], keep ? nil : "topk")
        guard !keep else { return [.tensor(topk.output(0)), .tensor(topk.output(1))] }
        let axes = try ctx.i64([dim], "axes")
        return [.tensor(try ctx.add(Squeeze(), [topk.output(0), axes])), .tensor(try ctx.add(Squeeze(), [topk.output(1), axes], "indices"))]
    }
}

/// argmax/argmin(self, dim?, keepdim): the first index of the extreme value, i64.
private func argReduce(_ ctx: TSNodeContext, max: Bool) throws -> Output {
    var x = try ctx.tensor(0)
    var dim = 0
    let keep = ctx.inputCount > 2 ? try ctx.bool(2) : false
    if ctx.inputCount > 1, let d = try ctx.optionalInt(1) {
        dim = try ctx.axis(d, rank: ctx.rank(x))
    } else {
        x = try ctx.add(Reshape(specialZero: false), [x, ctx.i64([-1], "flat")], "flat")
    }
    let topk = try ctx.addNode(TopK(axis: dim, mode: max ? .max : .min, sort: .none, indexElementType: .i64, stable: true),
                               [x, ctx.constant(.scalar(i64: 1), "k")], "topk")
    if keep { return try ctx.add(Convert(.i64), [topk.output(1)]) }
    return try ctx.add(Squeeze(), [topk.output(1), ctx.i64([dim], "axes")])
}
