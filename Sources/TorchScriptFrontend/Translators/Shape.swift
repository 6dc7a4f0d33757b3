import OVIR

// Reshaping, slicing, joining and splitting, and element type changes.
extension TSTranslatorTable {
    static let shape: [TSTranslatorEntry] = [
        TSTranslatorEntry("aten::view", translateReshape),
        TSTranslatorEntry("aten::reshape", translateReshape),
        TSTranslatorEntry("aten::view_as") { ctx in
            [.tensor(try ctx.add(Reshape(specialZero: false), [ctx.tensor(0), ctx.add(ShapeOf(), [ctx.tensor(1)], "shape")]))]
        },
        TSTranslatorEntry("aten::reshape_as") { ctx in
            [.tensor(try ctx.add(Reshape(specialZero: false), [ctx.tensor(0), ctx.add(ShapeOf(), [ctx.tensor(1)], "shape")]))]
        },
        TSTranslatorEntry("aten::flatten", translateFlatten),
        TSTranslatorEntry("aten::unflatten", translateUnflatten),
        TSTranslatorEntry("aten::permute", translatePermute),
        TSTranslatorEntry("aten::transpose", translateTranspose),
        TSTranslatorEntry("aten::t", translateTranspose),
        TSTranslatorEntry("aten::unsqueeze") { ctx in [.tensor(try ctx.add(Unsqueeze(), [ctx.tensor(0), ctx.i64([ctx.int(1)], "axes")]))] },
        TSTranslatorEntry("aten::squeeze", translateSqueeze),
        TSTranslatorEntry("aten::expand", translateExpand),
        TSTranslatorEntry("aten::expand_as") { ctx in
            [.tensor(try ctx.add(Broadcast(mode: .bidirectional), [ctx.tensor(0), ctx.add(ShapeOf(), [ctx.tensor(1)], "shape")]))]
        },
        TSTranslatorEntry("aten::repeat") { ctx in [.tensor(try ctx.add(Tile(), [ctx.tensor(0), ctx.shapeTensor(1)]))] },
        TSTranslatorEntry("aten::slice", translateSlice),
        TSTranslatorEntry("aten::narrow", translateNarrow),
        TSTranslatorEntry("aten::select", translateSelect),
        TSTranslatorEntry("aten::index_select") { ctx in
            [.tensor(try ctx.add(Gather(), [ctx.tensor(0), ctx.tensor(2), ctx.constant(.scalar(i64: ctx.int(1)), "axis")]))]
        },
        TSTranslatorEntry("aten::embedding") { ctx in
            [.tensor(try ctx.add(Gather(), [ctx.tensor(0), ctx.tensor(1), ctx.constant(.scalar(i64: 0), "axis")]))]
        },
        TSTranslatorEntry("aten::gather") { ctx in
            [.tensor(try ctx.add(GatherElements(axis: ctx.int(1)), [ctx.tensor(0), ctx.tensor(2)]))]
        },
        TSTranslatorEntry("aten::flip") { ctx in
            let x = try ctx.tensor(0)
            return [.tensor(try ctx.add(Reverse(mode: .index), [x, ctx.i64(ctx.ints(1), "axes")]))]
        },
        TSTranslatorEntry("aten::cat", translateCat),
        TSTranslatorEntry("aten::concat", translateCat),
        TSTranslatorEntry("aten::stack", translateStack),
        TSTranslatorEntry("aten::chunk", translateChunk),
        TSTranslatorEntry("aten::split", translateSplit),
        TSTranslatorEntry("aten::split_with_sizes", translateSplit),
        TSTranslatorEntry("aten::unbind", translateUnbind),
        TSTranslatorEntry("aten::to", translateTo),
        TSTranslatorEntry("aten::type_as") { ctx in [.tensor(try ctx.convert(ctx.tensor(0), to: ctx.tensor(1).elementType))] },
        TSTranslatorEntry("aten::float") { ctx in [.tensor(try ctx.convert(ctx.tensor(0), to: .f32))] },
        TSTranslatorEntry("aten::long") { ctx in [.tensor(try ctx.convert(ctx.tensor(0), to: .i64))] },
        TSTranslatorEntry("aten::int") { ctx in [.tensor(try ctx.convert(ctx.tensor(0), to: .i32))] },
        TSTranslatorEntry("aten::half") { ctx in [.tensor(try ctx.convert(ctx.tensor(0), to: .f16))] },
        TSTranslatorEntry("aten::bool") { ctx in [.tensor(try ctx.convert(ctx.tensor(0), to: .boolean))] },
        TSTranslatorEntry("aten::pixel_shuffle") { ctx in
            [.tensor(try ctx.add(DepthToSpace(blockSize: ctx.int(1), mode: .depthFirst), [ctx.tensor(0)]))]
        },
        TSTranslatorEntry("aten::pixel_unshuffle") { ctx in
            [.tensor(try ctx.add(SpaceToDepth(blockSize: ctx.int(1), mode: .depthFirst), [ctx.tensor(0)]))]
        },
        TSTranslatorEntry("aten::constant_pad_nd") { ctx in [.tensor(try pad(ctx, mode: "constant", value: ctx.inputCount > 2 ? 2 : nil))] },
        TSTranslatorEntry("aten::pad") { ctx in
            [.tensor(try pad(ctx, mode: ctx.inputCount > 2 ? ctx.string(2) : "constant", value: ctx.inputCount > 3 ? 3 : nil))]
        },
        TSTranslatorEntry("aten::einsum") { ctx in [.tensor(try ctx.add(Einsum(equation: ctx.string(0)), ctx.tensors(1)))] },
        TSTranslatorEntry("aten::topk", translateTopK),
    ]
}

/// view / reshape(self, shape): PyTorch's -1 infers a dim, and 0 means 0.
private func translateReshape(_ ctx: TSNodeContext) throws -> [TSValue] {
    [.tensor(try ctx.add(Reshape(specialZero: false), [ctx.tensor(0), ctx.shapeTensor(1)]))]
}

/// The dims `range` of `x` as a 1-D i64 tensor (a Const when static).
private func dims(_ ctx: TSNodeContext, _ x: Output, _ range: Range<Int>, _ suffix: String) throws -> Output {
    if let d = x.shape.dims, case let values = d[range].compactMap(\.value), values.count == range.count {
        return try ctx.i64(values, suffix)
    }
    let shape = try ctx.add(ShapeOf(), [x], "\(suffix)ShapeOf")
    return try ctx.add(Slice(), [shape, ctx.i64([range.lowerBound], "\(suffix)Start"), ctx.i64([range.upperBound], "\(suffix)End"),
                                 ctx.i64([1], "\(suffix)Step")], suffix)
}

/// flatten(self, start_dim, end_dim): dims start...end merged into one.
private func translateFlatten(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    if rank == 0 { return [.tensor(try ctx.add(Reshape(specialZero: false), [x, ctx.i64([1], "shape")]))] }
    let start = try ctx.axis(ctx.inputCount > 1 ? ctx.int(1) : 0, rank: rank)
    let end = try ctx.axis(ctx.inputCount > 2 ? ctx.int(2) : -1, rank: rank)
    guard start <= end else { throw ctx.error("start_dim \(start) is after end_dim \(end)") }
    let parts = try [dims(ctx, x, 0..<start, "head"), ctx.i64([-1], "merged"), dims(ctx, x, (end + 1)..<rank, "tail")]
    let known = parts.compactMap { $0.constant?.intValues() }
    let shape = known.count == parts.count ? try ctx.i64(known.flatMap { $0 }, "shape") : try ctx.add(Concat(axis: 0), parts, "shape")
    return [.tensor(try ctx.add(Reshape(specialZero: false), [x, shape]))]
}

/// unflatten(self, dim, sizes): dim split into sizes.
private func translateUnflatten(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    let d = try ctx.axis(ctx.int(1), rank: rank)
    let sizes = try ctx.shapeTensor(2)
    let shape = try ctx.add(Concat(axis: 0), [dims(ctx, x, 0..<d, "head"), sizes, dims(ctx, x, (d + 1)..<rank, "tail")], "shape")
    return [.tensor(try ctx.add(Reshape(specialZero: false), [x, shape]))]
}

private func translatePermute(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    let order = try ctx.ints(1).map { try ctx.axis($0, rank: rank) }
    return [.tensor(try ctx.add(Transpose(), [x, ctx.i64(order, "order")]))]
}

/// transpose(self, dim0, dim1), and t(self) for rank ≤ 2.
private func translateTranspose(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    if rank < 2 { return [.tensor(x)] }
    let a = try ctx.inputCount > 1 ? ctx.axis(ctx.int(1), rank: rank) : 0
    let b = try ctx.inputCount > 2 ? ctx.axis(ctx.int(2), rank: rank) : 1
    var order = Array(0..<rank)
    order.swapAt(a, b)
    return [.tensor(try ctx.add(Transpose(), [x, ctx.i64(order, "order")]))]
}

/// squeeze(self[, dim]): PyTorch leaves a dim that is not 1 as it is.
private func translateSqueeze(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    guard ctx.inputCount > 1 else { return [.tensor(try ctx.add(Squeeze(), [x]))] }
    let rank = try ctx.rank(x)
    let axes = try ctx.ints(1).map { try ctx.axis($0, rank: rank) }
    let kept = axes.filter { x.shape.dims?[$0].value == 1 || x.shape.dims?[$0].isStatic == false }
    if kept.isEmpty { return [.tensor(x)] }
    return [.tensor(try ctx.add(Squeeze(), [x, ctx.i64(kept, "axes")]))]
}

/// expand(self, size, implicit): -1 keeps a dim; bidirectional broadcasting with 1 there does the same.
private func translateExpand(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    guard case .list(let items) = try ctx.value(1) else {
        return [.tensor(try ctx.add(Broadcast(mode: .bidirectional), [x, ctx.shapeTensor(1)]))]
    }
    let sizes = items.map { ctx.staticInt($0) == -1 ? TSValue.int(1) : $0 }
    return [.tensor(try ctx.add(Broadcast(mode: .bidirectional), [x, ctx.shapeTensor(of: sizes)]))]
}

/// A 1-element i64 tensor of an int value that may be known only at run time.
private func scalarList(_ ctx: TSNodeContext, _ v: TSValue, _ suffix: String) throws -> Output {
    if let n = ctx.staticInt(v) { return try ctx.i64([n], suffix) }
    let t = try ctx.convert(ctx.tensor(v, suffix), to: .i64, "\(suffix)Cast")
    return try ctx.add(Reshape(specialZero: false), [t, ctx.i64([1], "\(suffix)Shape")], suffix)
}

/// slice(self, dim, start?, end?, step): None and INT64_MAX are open ends.
private func translateSlice(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let dim = ctx.inputCount > 1 ? try ctx.int(1) : 0
    let start = try ctx.inputCount > 2 && !ctx.isNone(2) ? ctx.value(2) : .int(0)
    let end = try ctx.inputCount > 3 && !ctx.isNone(3) ? ctx.value(3) : .int(Int.max)
    let step = ctx.inputCount > 4 ? try ctx.int(4) : 1
    if ctx.staticInt(start) == 0, ctx.staticInt(end) == Int.max, step == 1 { return [.tensor(x)] }
    return [.tensor(try ctx.add(Slice(), [x, scalarList(ctx, start, "start"), scalarList(ctx, end, "end"), ctx.i64([step], "step"),
                                          ctx.i64([dim], "axes")]))]
}

/// narrow(self, dim, start, length) = slice(self, dim, start, start + length).
private func translateNarrow(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let start = try scalarList(ctx, ctx.value(2), "start")
    let end = try ctx.add(Add(), [start, scalarList(ctx, ctx.value(3), "length")], "end")
    return [.tensor(try ctx.add(Slice(), [x, start, end, ctx.i64([1], "step"), ctx.i64([ctx.int(1)], "axes")]))]
}

/// select(self, dim, index): one index along dim, which is dropped.
private func translateSelect(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let index = try ctx.convert(ctx.tensor(2), to: .i64, "index")
    return [.tensor(try ctx.add(Gather(), [x, index, ctx.constant(.scalar(i64: ctx.int(1)), "axis")]))]
}

private func translateCat(_ ctx: TSNodeContext) throws -> [TSValue] {
    let parts = try ctx.tensors(0)
    let type = ctx.annotatedElementType() ?? promotedType(parts.map { .tensor($0) })
    let inputs = try parts.enumerated().map { try ctx.convert($1, to: type, "cast\($0)") }
    if inputs.count == 1 { return [.tensor(inputs[0])] }
    return [.tensor(try ctx.add(Concat(axis: ctx.inputCount > 1 ? ctx.int(1) : 0), inputs))]
}

/// stack(tensors, dim): each unsqueezed at dim (counted on the output's rank), then concatenated.
private func translateStack(_ ctx: TSNodeContext) throws -> [TSValue] {
    let parts = try ctx.tensors(0)
    guard let first = parts.first else { throw ctx.error("stack of an empty list") }
    let rank = try ctx.rank(first) + 1
    let dim = try ctx.axis(ctx.inputCount > 1 ? ctx.int(1) : 0, rank: rank)
    let axes = try ctx.i64([dim], "axes")
    let inputs = try parts.enumerated().map { try ctx.add(Unsqueeze(), [$1, axes], "unsqueeze\($0)") }
    return [.tensor(try ctx.add(Concat(axis: dim), inputs))]
}

/// The static size of `x` along `dim` (chunk and split need it).
private func staticSize(_ ctx: TSNodeContext, _ x: Output, _ dim: Int) throws -> (axis: Int, size: Int) {
    let a = try ctx.axis(dim, rank: ctx.rank(x))
    guard let n = x.shape.dims?[a].value else { throw ctx.error("dim \(dim) of \(x.shape) must be static to split it") }
    return (a, n)
}

/// Splits `x` along `axis` into parts of `sizes` (VariadicSplit), as a list.
private func splitList(_ ctx: TSNodeContext, _ x: Output, axis: Int, sizes: [Int]) throws -> TSValue {
    if sizes.count == 1 { return .list([.tensor(x)]) }
    let node = try ctx.addNode(VariadicSplit(), [x, ctx.constant(.scalar(i64: axis), "axis"), ctx.i64(sizes, "sizes")])
    return .list((0..<sizes.count).map { .tensor(node.output($0)) })
}

/// chunk(self, chunks, dim): parts of ceil(n / chunks), the last smaller (and fewer parts when they run out).
private func translateChunk(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let chunks = try ctx.int(1)
    guard chunks > 0 else { throw ctx.error("chunks must be positive, got \(chunks)") }
    let (axis, n) = try staticSize(ctx, x, ctx.inputCount > 2 ? ctx.int(2) : 0)
    let part = max((n + chunks - 1) / chunks, 1)
    var sizes: [Int] = []
    var left = n
    while left > 0 { sizes.append(min(part, left)); left -= part }
    if sizes.isEmpty { sizes = [0] }
    return [try splitList(ctx, x, axis: axis, sizes: sizes)]
}

/// split(self, split_size, dim) and split_with_sizes(self, sizes, dim).
private func translateSplit(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let (axis, n) = try staticSize(ctx, x, ctx.inputCount > 2 ? ctx.int(2) : 0)
    var sizes: [Int]
    if case .list = try ctx.value(1) {
        sizes = try ctx.ints(1)
        guard sizes.reduce(0, +) == n else { throw ctx.error("split sizes \(sizes) do not add up to \(n)") }
    } else {
        let size = try ctx.int(1)
        guard size > 0 else { throw ctx.error("split_size must be positive, got \(size)") }
        sizes = []
        var left = n
        while left > 0 { sizes.append(min(size, left)); left -= size }
        if sizes.isEmpty { sizes = [0] }
    }
    return [try splitList(ctx, x, axis: axis, sizes: sizes)]
}

/// unbind(self, dim): every slice along dim, the dim dropped.
private func translateUnbind(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let (axis, n) = try staticSize(ctx, x, ctx.inputCount > 1 ? ctx.int(1) : 0)
    guard case .list(let parts) = try splitList(ctx, x, axis: axis, sizes: Array(repeating: 1, count: n)) else { return [] }
    let axes = try ctx.i64([axis], "axes")
    return [.list(try parts.enumerated().map { k, p in
        guard case .tensor(let t) = p else { return p }
        return .tensor(try ctx.add(Squeeze(), [t, axes], "item\(k)"))
    })]
}

/// aten::to in its overloads: the target element type is the output's annotation, else the dtype argument
/// (an int code), else another tensor's type; devices, layouts and copies change nothing here.
private func translateTo(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    if let t = ctx.annotatedElementType() { return [.tensor(try ctx.convert(x, to: t))] }
    for i in 1..<ctx.inputCount {
        switch try ctx.value(i) {
        case .tensor(let other) where i == 1: return [.tensor(try ctx.convert(x, to: other.elementType))]
        case .int(let code):
            guard let t = TSScalarType.elementType(code: code) else { throw ctx.error("dtype \(code) is not supported") }
            return [.tensor(try ctx.convert(x, to: t))]
        case .opaque, .none, .string: continue
        default: return [.tensor(x)]
        }
    }
    return [.tensor(x)]
}

/// constant_pad_nd(self, pad, value) / pad(self, pad, mode, value?): pad lists the last dim first, (begin, end) pairs.
private func pad(_ ctx: TSNodeContext, mode: String, value: Int?) throws -> Output {
    let x = try ctx.tensor(0)
    let rank = try ctx.rank(x)
    let p = try ctx.ints(1)
    guard p.count % 2 == 0, p.count / 2 <= rank else { throw ctx.error("pad \(p) does not fit rank \(rank)") }
    var begin = Array(repeating: 0, count: rank), end = begin
    for k in 0..<(p.count / 2) {
        begin[rank - 1 - k] = p[2 * k]
        end[rank - 1 - k] = p[2 * k + 1]
    }
    let padMode: Pad.Mode
    switch mode {
    case "constant": padMode = .constant
    case "reflect": padMode = .reflect
    case "replicate": padMode = .edge
    case "circular": throw ctx.error("circular padding is not supported")
    default: throw ctx.error("padding mode '\(mode)' is not supported")
    }
    var inputs = [x, try ctx.i64(begin, "padsBegin"), try ctx.i64(end, "padsEnd")]
    if padMode == .constant, let value, let v = try ctx.optionalDouble(value) {
        inputs.append(try ctx.scalarConstant(v, x.elementType, "value"))
    }
    return try ctx.add(Pad(mode: padMode), inputs)
}

/// topk(self, k, dim, largest, sorted) → (values, indices i64).
private func translateTopK(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let dim = ctx.inputCount > 2 ? try ctx.int(2) : -1
    let largest = ctx.inputCount > 3 ? try ctx.bool(3) : true
    let k = try ctx.convert(ctx.tensor(1), to: .i64, "k")
    let node = try ctx.addNode(TopK(axis: dim, mode: largest ? .max : .min, sort: .value, indexElementType: .i64), [x, k])
    return [.tensor(node.output(0)), .tensor(node.output(1))]
}
