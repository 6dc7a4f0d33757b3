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

/// The windows of every output position, flattened: output o's taps are the spatial input offsets
/// `taps[starts[o] ..< starts[o + 1]]` (taps in the padding are left out); `paddedCounts[o]` counts the taps
/// inside the padded extent [-pads_begin, input + pads_end).
private struct PoolWindows {
    var taps: [Int] = []
    var starts: [Int] = [0]
    var paddedCounts: [Int] = []

    init(_ g: WindowGeometry) {
        let strides = contiguousStrides(g.input)
        let kernelTaps = allIndices(g.kernel)
        for o in allIndices(g.output) {
            var padded = 0
            for k in kernelTaps {
                if let off = g.inputOffset(out: o, tap: k, inputStrides: strides) { taps.append(off) }
                var inPadded = true
                for i in 0..<g.input.count {
                    let x = o[i] * g.strides[i] - g.padsBegin[i] + k[i] * g.dilations[i]
                    if x < -g.padsBegin[i] || x >= g.input[i] + g.padsEnd[i] { inPadded = false }
                }
                if inPadded { padded += 1 }
            }
            starts.append(taps.count)
            paddedCounts.append(padded)
        }
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
    let w = PoolWindows(g)
    let planes = d[0] * d[1]
    var values = [Float](repeating: 0, count: planes * g.outputCount)
    var indices = [Int](repeating: 0, count: values.count)
    x.withUnsafeBufferPointer { px in
        for p in 0..<planes {
            let base = p * g.inputCount
            for o in 0..<g.outputCount {
                // The first maximum wins ties.
                var best = -Float.infinity, bestAt = -1
                for t in w.taps[w.starts[o]..<w.starts[o + 1]] where bestAt < 0 || px[base + t] > best {
                    best = px[base + t]
                    bestAt = base + t
                }
                values[p * g.outputCount + o] = best
                indices[p * g.outputCount + o] = bestAt < 0 ? 0 : bestAt % indexSpan
            }
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
    let w = PoolWindows(g)
    let planes = d[0] * d[1]
    var values = [Float](repeating: 0, count: planes * g.outputCount)
    x.withUnsafeBufferPointer { px in
        for p in 0..<planes {
            let base = p * g.inputCount
            for o in 0..<g.outputCount {
                // exclude-pad divides by the taps inside the input; otherwise by those inside the padded extent.
                let divisor = op.excludePad ? w.starts[o + 1] - w.starts[o] : w.paddedCounts[o]
                var sum: Float = 0
                for t in w.taps[w.starts[o]..<w.starts[o + 1]] { sum += px[base + t] }
                values[p * g.outputCount + o] = divisor == 0 ? 0 : sum / Float(divisor)
            }
        }
    }
    return [Tensor(.f32, dims: outDims, values: values)]
}
