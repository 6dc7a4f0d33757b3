import Foundation
import OVIR

// Ops that pick elements by index or range: Gather, Slice and StridedSlice. Like the data movement kernels
// they work on bytes, so every byte-addressable element type is supported; output dims come from the ops'
// own type inference on the concrete inputs.

let indexingKernels: [String: Kernel] = [
    Gather.type: gatherKernel,
    Slice.type: slice,
    StridedSlice.type: stridedSlice,
]

/// Gather (opset8): for each batch prefix and outer position, the inner block at each index along `axis`.
/// Negative indices count from the end; an index still out of range gives zeros, as OpenVINO's reference does.
private func gatherKernel(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Gather.self)
    let (data, indicesTensor) = (ctx.inputs[0], ctx.inputs[1])
    let size = try data.elementSize("data")
    let indices = try indicesTensor.ints("indices")
    guard let axisValue = try ctx.inputs[2].ints("axis").first else { throw KernelError("axis input is empty") }
    let dims = try ctx.outputDims0()
    let rank = data.dims.count
    let axis = try ShapeInference.axis(axisValue, rank: rank)
    let batch = op.batchDims < 0 ? op.batchDims + indicesTensor.dims.count : op.batchDims
    guard batch >= 0, batch <= axis else {
        throw KernelError("axis \(axisValue) and batch_dims \(op.batchDims) do not fit data rank \(rank)")
    }
    let n = data.dims[axis]
    let batchCount = data.dims[..<batch].reduce(1, *)
    let outer = data.dims[batch..<axis].reduce(1, *)
    let inner = data.dims[(axis + 1)...].reduce(1, *) * size
    let perBatch = indicesTensor.dims[batch...].reduce(1, *)
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    guard out.count == batchCount * outer * perBatch * inner else {
        throw KernelError("output dims \(dims) do not fit data \(data.dims) and indices \(indicesTensor.dims)")
    }
    data.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            for b in 0..<batchCount {
                for o in 0..<outer {
                    let row = b * outer + o
                    for j in 0..<perBatch where inner > 0 {
                        var idx = indices[b * perBatch + j]
                        if idx < 0 { idx += n }
                        guard idx >= 0, idx < n else { continue }
                        memcpy(dst.baseAddress! + (row * perBatch + j) * inner, src.baseAddress! + (row * n + idx) * inner, inner)
                    }
                }
            }
        }
    }
    return [Tensor(data.elementType, dims: dims, bytes: out)]
}

/// One axis of a slice: the first element taken, the step between taken elements and how many are taken.
private struct AxisRange {
    var start = 0, step = 1, count: Int
}

/// The range `start:stop:step` takes of an axis of size `n`, clamped as numpy (and OpenVINO) do.
private func axisRange(_ n: Int, start: Int, stop: Int, step: Int) throws -> AxisRange {
    let count = try ShapeInference.sliceLength(n, start: start, stop: stop, step: step)
    let first: Int
    if start < 0 {
        first = start < -n ? (step > 0 ? 0 : -1) : start + n
    } else {
        first = step > 0 ? min(start, n) : min(start, n - 1)
    }
    return AxisRange(start: first, step: step, count: count)
}

/// Copies the elements the ranges select (one per data axis) into a contiguous tensor of `dims`, whose
/// element count must match (dims may add or drop 1s, as StridedSlice's new and shrunk axes do).
private func take(_ data: Tensor, _ ranges: [AxisRange], dims: [Int]) throws -> Tensor {
    let size = try data.elementSize("data")
    let counts = ranges.map(\.count)
    guard counts.reduce(1, *) == dims.reduce(1, *) else {
        throw KernelError("the slice takes \(counts) elements, the inferred output is \(dims)")
    }
    let own = contiguousStrides(data.dims)
    let strides = zip(own, ranges).map { $0 * $1.step }
    let base = zip(own, ranges).reduce(0) { $0 + ($1.1.count > 0 ? $1.0 * $1.1.start : 0) }
    var out = [UInt8](repeating: 0, count: counts.reduce(1, *) * size)
    data.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            forEachIndex(counts, [strides]) { i, off in
                memcpy(dst.baseAddress! + i * size, src.baseAddress! + (base + off[0]) * size, size)
            }
        }
    }
    return Tensor(data.elementType, dims: dims, bytes: out)
}

/// Slice (opset8): start/stop/step on the listed axes (the leading axes without an axes input).
private func slice(_ ctx: KernelContext) throws -> [Tensor] {
    let data = ctx.inputs[0]
    let rank = data.dims.count
    let start = try ctx.inputs[1].ints("start"), stop = try ctx.inputs[2].ints("stop"), step = try ctx.inputs[3].ints("step")
    let axes = ctx.inputs.count > 4 ? try ctx.inputs[4].ints("axes").map { try ShapeInference.axis($0, rank: rank) } : Array(0..<start.count)
    guard stop.count == start.count, step.count == start.count, axes.count == start.count else {
        throw KernelError("start, stop, step and axes have different lengths")
    }
    guard axes.allSatisfy({ (0..<rank).contains($0) }), Set(axes).count == axes.count else {
        throw KernelError("axes \(axes) are not distinct axes of rank \(rank)")
    }
    var ranges = data.dims.map { AxisRange(count: $0) }
    for (k, a) in axes.enumerated() {
        ranges[a] = try axisRange(data.dims[a], start: start[k], stop: stop[k], step: step[k])
    }
    return [try take(data, ranges, dims: try ctx.outputDims0())]
}

/// StridedSlice (opset1): begin/end/stride per spec; a begin or end mask bit takes the axis from its start or
/// to its end; new axes add 1s, shrunk axes take the single element at `begin`, an ellipsis keeps the axes it spans.
private func stridedSlice(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(StridedSlice.self)
    let data = ctx.inputs[0]
    let rank = data.dims.count
    let begin = try ctx.inputs[1].ints("begin"), end = try ctx.inputs[2].ints("end")
    let strides = ctx.inputs.count > 3 ? try ctx.inputs[3].ints("stride") : Array(repeating: 1, count: begin.count)
    let specs = begin.count
    guard end.count == specs, strides.count == specs else { throw KernelError("begin, end and stride have different lengths") }
    func set(_ mask: [Int], _ i: Int) -> Bool { i < mask.count && mask[i] != 0 }
    let ellipses = (0..<specs).filter { set(op.ellipsisMask, $0) }
    guard ellipses.count <= 1 else { throw KernelError("ellipsis_mask sets more than one spec") }
    let ellipsis = ellipses.first
    let consumed = (0..<specs).filter { $0 != ellipsis && !set(op.newAxisMask, $0) }.count
    guard consumed <= rank else { throw KernelError("\(consumed) slice specs for rank \(rank)") }
    var ranges = data.dims.map { AxisRange(count: $0) }
    var j = 0
    for i in 0..<specs {
        if i == ellipsis {
            j += rank - consumed
        } else if set(op.newAxisMask, i) {
            continue
        } else {
            let n = data.dims[j]
            if set(op.shrinkAxisMask, i) {
                let b = begin[i] < 0 ? begin[i] + n : begin[i]
                guard (0..<n).contains(b) else { throw KernelError("shrunk axis \(j) takes index \(begin[i]) of size \(n)") }
                ranges[j] = AxisRange(start: b, step: 1, count: 1)
            } else {
                let s = strides[i]
                guard s != 0 else { throw KernelError("stride must not be 0") }
                let b = set(op.beginMask, i) ? (s > 0 ? 0 : Int.max) : begin[i]
                let e = set(op.endMask, i) ? (s > 0 ? Int.max : Int.min) : end[i]
                ranges[j] = try axisRange(n, start: b, stop: e, step: s)
            }
            j += 1
        }
    }
    return [try take(data, ranges, dims: try ctx.outputDims0())]
}
