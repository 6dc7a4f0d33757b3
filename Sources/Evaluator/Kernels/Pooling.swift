import OVIR

// MaxPool (values and indices; f32, or i8/u8 as ONNX allows) and AvgPool over the spatial axes of
// [N, C, spatial...].

let poolingKernels: [String: Kernel] = [
    MaxPool.type: { ctx in
        if let op = ctx.node.op as? MaxPool { return try maxPool(ctx, op) }
        return try maxPool(ctx, try ctx.op(MaxPool14.self))
    },
    AvgPool.type: { ctx in
        if let op = ctx.node.op as? AvgPool { return try avgPool(ctx, op) }
        return try avgPool(ctx, try ctx.op(AvgPool14.self))
    },
]

/// The window of every output position as spatial input offsets (nil taps, in the padding, are left out),
/// plus how many taps fall inside the padded extent [-pads_begin, input + pads_end).
private func windows(_ g: WindowGeometry) -> [(taps: [Int], paddedCount: Int)] {
    let strides = contiguousStrides(g.input)
    let taps = allIndices(g.kernel)
    return allIndices(g.output).map { o in
        var inside: [Int] = []
        var padded = 0
        for k in taps {
            if let off = g.inputOffset(out: o, tap: k, inputStrides: strides) { inside.append(off) }
            var inPadded = true
            for i in 0..<g.input.count {
                let x = o[i] * g.strides[i] - g.padsBegin[i] + k[i] * g.dilations[i]
                if x < -g.padsBegin[i] || x >= g.input[i] + g.padsEnd[i] { inPadded = false }
            }
            if inPadded { padded += 1 }
        }
        return (inside, padded)
    }
}

private func maxPool<O: MaxPoolOp>(_ ctx: KernelContext, _ op: O) throws -> [Tensor] {
    let data = ctx.inputs[0]
    // 8-bit integers (ONNX MaxPool allows them) are exact in f32 and go back to their type at the end.
    let x: [Float]
    switch data.elementType {
    case .i8: x = data.elements(Int8.self).map(Float.init)
    case .u8: x = data.elements(UInt8.self).map(Float.init)
    default: x = try data.floats("data")
    }
    let outDims = try ctx.outputDims0()
    let d = data.dims
    let g = try WindowGeometry(input: Array(d[2...]), output: Array(outDims[2...]), kernel: op.kernel,
                               strides: op.strides, dilations: op.dilations, padsBegin: op.padsBegin,
                               padsEnd: op.padsEnd, autoPad: op.autoPad)
    let axis = try ShapeInference.axis(op.axis, rank: d.count)
    // Indices count over the tensor flattened from `axis` on.
    let indexSpan = d[axis...].reduce(1, *)
    let wins = windows(g)
    let planes = d[0] * d[1]
    var values = [Float](repeating: 0, count: planes * g.outputCount)
    var indices = [Int](repeating: 0, count: values.count)
    for p in 0..<planes {
        let base = p * g.inputCount
        for (o, w) in wins.enumerated() {
            var best = -Float.infinity, bestAt = -1
            for t in w.taps where bestAt < 0 || x[base + t] > best {
                best = x[base + t]
                bestAt = base + t
            }
            values[p * g.outputCount + o] = best
            indices[p * g.outputCount + o] = bestAt < 0 ? 0 : bestAt % indexSpan
        }
    }
    let indexTensor = op.indexElementType == .i32
        ? Tensor(.i32, dims: outDims, values: indices.map { Int32(truncatingIfNeeded: $0) })
        : Tensor(.i64, dims: outDims, values: indices.map(Int64.init))
    let valueTensor: Tensor
    switch data.elementType {
    case .i8: valueTensor = Tensor(.i8, dims: outDims, values: values.map { Int8(max(-128, min(127, $0))) })
    case .u8: valueTensor = Tensor(.u8, dims: outDims, values: values.map { UInt8(max(0, min(255, $0))) })
    default: valueTensor = Tensor(.f32, dims: outDims, values: values)
    }
    return [valueTensor, indexTensor]
}

private func avgPool<O: AvgPoolOp>(_ ctx: KernelContext, _ op: O) throws -> [Tensor] {
    let data = ctx.inputs[0]
    let x = try data.floats("data")
    let outDims = try ctx.outputDims0()
    let d = data.dims
    let g = try WindowGeometry(input: Array(d[2...]), output: Array(outDims[2...]), kernel: op.kernel,
                               strides: op.strides, dilations: [], padsBegin: op.padsBegin,
                               padsEnd: op.padsEnd, autoPad: op.autoPad)
    let wins = windows(g)
    let planes = d[0] * d[1]
    var values = [Float](repeating: 0, count: planes * g.outputCount)
    for p in 0..<planes {
        let base = p * g.inputCount
        for (o, w) in wins.enumerated() {
            // exclude-pad divides by the taps inside the input; otherwise by those inside the padded extent.
            let divisor = op.excludePad ? w.taps.count : w.paddedCount
            let sum = w.taps.reduce(Float(0)) { $0 + x[base + $1] }
            values[p * g.outputCount + o] = divisor == 0 ? 0 : sum / Float(divisor)
        }
    }
    return [Tensor(.f32, dims: outDims, values: values)]
}
