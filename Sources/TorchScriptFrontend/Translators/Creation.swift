import OVIR

// Tensors made inside the graph: ranges, filled tensors, grids.
extension TSTranslatorTable {
    static let creation: [TSTranslatorEntry] = [
        TSTranslatorEntry("aten::arange", translateArange),
        // size, dtype?, layout?, device?, pin_memory?
        TSTranslatorEntry("aten::zeros") { ctx in [.tensor(try filled(ctx, 0, shape: ctx.shapeTensor(0), dtypeIndex: 1, like: nil))] },
        TSTranslatorEntry("aten::ones") { ctx in [.tensor(try filled(ctx, 1, shape: ctx.shapeTensor(0), dtypeIndex: 1, like: nil))] },
        // size, fill_value, dtype?, ...
        TSTranslatorEntry("aten::full") { ctx in [.tensor(try filled(ctx, ctx.value(1), shape: ctx.shapeTensor(0), dtypeIndex: 2, like: nil))] },
        // self, dtype?, layout?, device?, pin_memory?, memory_format?
        TSTranslatorEntry("aten::zeros_like") { ctx in [.tensor(try filledLike(ctx, .int(0), dtypeIndex: 1))] },
        TSTranslatorEntry("aten::ones_like") { ctx in [.tensor(try filledLike(ctx, .int(1), dtypeIndex: 1))] },
        TSTranslatorEntry("aten::full_like") { ctx in [.tensor(try filledLike(ctx, ctx.value(1), dtypeIndex: 2))] },
        // self, size, dtype?, ...; new_full: self, size, fill_value, dtype?, ...
        TSTranslatorEntry("aten::new_zeros") { ctx in
            [.tensor(try filled(ctx, 0, shape: ctx.shapeTensor(1), dtypeIndex: 2, like: ctx.tensor(0)))]
        },
        TSTranslatorEntry("aten::new_ones") { ctx in
            [.tensor(try filled(ctx, 1, shape: ctx.shapeTensor(1), dtypeIndex: 2, like: ctx.tensor(0)))]
        },
        TSTranslatorEntry("aten::new_full") { ctx in
            [.tensor(try filled(ctx, ctx.value(2), shape: ctx.shapeTensor(1), dtypeIndex: 3, like: ctx.tensor(0)))]
        },
        TSTranslatorEntry("aten::scalar_tensor") { ctx in
            [.tensor(try filled(ctx, ctx.value(0), shape: ctx.i64([], "shape"), dtypeIndex: 1, like: nil))]
        },
        TSTranslatorEntry("aten::meshgrid", translateMeshgrid),
    ]
}

/// The element type an op creates: the annotation, else the dtype argument, else `like`'s type, else `fallback`.
private func createdType(_ ctx: TSNodeContext, dtypeIndex: Int, like: Output?, fallback: ElementType) throws -> ElementType {
    if let t = ctx.annotatedElementType() { return t }
    if dtypeIndex < ctx.inputCount, let code = try ctx.optionalInt(dtypeIndex) {
        guard let t = TSScalarType.elementType(code: code) else { throw ctx.error("dtype \(code) is not supported") }
        return t
    }
    return like?.elementType ?? fallback
}

/// A tensor of `shape` filled with `value` (a number or a 0-D tensor).
private func filled(_ ctx: TSNodeContext, _ value: TSValue, shape: Output, dtypeIndex: Int, like: Output?) throws -> Output {
    let fallback: ElementType
    switch value {
    case .float: fallback = .f32
    case .bool: fallback = .boolean
    case .tensor(let t): fallback = t.elementType
    default: fallback = like == nil && dtypeIndex != 1 ? .i64 : .f32  // zeros/ones default to float, full(int) to long
    }
    let type = try createdType(ctx, dtypeIndex: dtypeIndex, like: like, fallback: fallback)
    let scalar = try operand(ctx, value, type, "value")
    return try ctx.add(Broadcast(mode: .numpy), [scalar, shape])
}

private func filled(_ ctx: TSNodeContext, _ value: Int, shape: Output, dtypeIndex: Int, like: Output?) throws -> Output {
    try filled(ctx, .int(value), shape: shape, dtypeIndex: dtypeIndex, like: like)
}

/// zeros_like / ones_like / full_like: the shape of input 0.
private func filledLike(_ ctx: TSNodeContext, _ value: TSValue, dtypeIndex: Int) throws -> Output {
    let x = try ctx.tensor(0)
    let shape: Output = if let dims = x.shape.staticDims { try ctx.i64(dims, "shape") } else { try ctx.add(ShapeOf(), [x], "shape") }
    let type = try createdType(ctx, dtypeIndex: dtypeIndex, like: x, fallback: x.elementType)
    return try ctx.add(Broadcast(mode: .numpy), [operand(ctx, value, type, "value"), shape])
}

/// arange: (end, dtype?, layout?, device?, pin?), (start, end, dtype?, ...), (start, end, step, dtype?, ...).
private func translateArange(_ ctx: TSNodeContext) throws -> [TSValue] {
    let numbers: [TSValue], dtypeIndex: Int
    switch ctx.inputCount {
    case 5: (numbers, dtypeIndex) = ([.int(0), try ctx.value(0), .int(1)], 1)
    case 6: (numbers, dtypeIndex) = ([try ctx.value(0), try ctx.value(1), .int(1)], 2)
    case 7: (numbers, dtypeIndex) = ([try ctx.value(0), try ctx.value(1), try ctx.value(2)], 3)
    case 1, 2, 3:  // scripted forms without the tensor options
        let given = try (0..<ctx.inputCount).map { try ctx.value($0) }
        numbers = given.count == 1 ? [.int(0), given[0], .int(1)] : given.count == 2 ? given + [.int(1)] : given
        dtypeIndex = ctx.inputCount
    default: throw ctx.error("arange with \(ctx.inputCount) arguments is not a known overload")
    }
    let anyFloat = numbers.contains { v in
        if case .float = v { return true }
        if case .tensor(let t) = v { return t.elementType.isFloatingPoint }
        return false
    }
    let type = try createdType(ctx, dtypeIndex: dtypeIndex, like: nil, fallback: anyFloat ? .f32 : .i64)
    // Computed in the numbers' own precision, then converted: arange(0, 5.0) counts in float.
    let work: ElementType = anyFloat ? .f32 : .i64
    let inputs = try numbers.enumerated().map { k, v -> Output in
        let t = try operand(ctx, v, work, ["start", "end", "step"][k])
        return t.shape.rank == 0 ? t : try ctx.add(Squeeze(), [t], ["start", "end", "step"][k] + "Scalar")
    }
    let range = try ctx.add(RangeOp(outputType: work), inputs, type == work ? nil : "range")
    return [.tensor(try ctx.convert(range, to: type, "cast"))]
}

/// meshgrid(tensors, indexing = "ij" | "xy"): each 1-D input broadcast over the grid of all their sizes
/// ("xy" swaps the first two grid axes).
private func translateMeshgrid(_ ctx: TSNodeContext) throws -> [TSValue] {
    let inputs = try ctx.tensors(0)
    let indexing = ctx.inputCount > 1 ? try ctx.string(1) : "ij"
    guard indexing == "ij" || indexing == "xy" else { throw ctx.error("indexing '\(indexing)' is not 'ij' or 'xy'") }
    let k = inputs.count
    var axisOf = Array(0..<k)
    if indexing == "xy", k >= 2 { axisOf.swapAt(0, 1) }
    // The grid's shape: input axisOf⁻¹[j]'s length at grid axis j.
    var lengths = Array(repeating: inputs[0], count: k)
    for (i, t) in inputs.enumerated() {
        lengths[axisOf[i]] = try ctx.add(Reshape(specialZero: false), [t, ctx.i64([-1], "flat")], "flat\(i)")
    }
    let shapes = try lengths.enumerated().map { try ctx.add(ShapeOf(), [$1], "length\($0)") }
    let grid = try ctx.add(Concat(axis: 0), shapes, "gridShape")
    return [.list(try inputs.enumerated().map { i, t in
        var target = Array(repeating: 1, count: k)
        target[axisOf[i]] = -1
        let column = try ctx.add(Reshape(specialZero: false), [t, ctx.i64(target, "shape\(i)")], "column\(i)")
        return .tensor(try ctx.add(Broadcast(mode: .numpy), [column, grid], "grid\(i)"))
    })]
}
