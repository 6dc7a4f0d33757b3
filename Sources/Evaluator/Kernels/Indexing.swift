import Foundation
import OVIR

// Ops that pick elements by index or range: the Gathers, Slice, StridedSlice, Reverse, ReverseSequence,
// OneHot and NonZero. Like the data movement kernels
// they work on bytes, so every byte-addressable element type is supported; output dims come from the ops'
// own type inference on the concrete inputs.

let indexingKernels: [String: Kernel] = [
    Gather.type: gatherKernel,
    Slice.type: slice,
    StridedSlice.type: stridedSlice,
    GatherElements.type: gatherElements,
    GatherND.type: gatherND,
    Reverse.type: reverse,
    ReverseSequence.type: reverseSequence,
    OneHot.type: oneHot,
    NonZero.type: nonZero,
]

/// `index` counted from the end when negative, checked against the axis size `n`.
func normalizedIndex(_ index: Int, _ n: Int) throws -> Int {
    let i = index < 0 ? index + n : index
    guard (0..<n).contains(i) else { throw KernelError("index \(index) is out of range for an axis of size \(n)") }
    return i
}

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

/// GatherElements (opset6): out[p] = data[p with its `axis` coordinate replaced by indices[p]].
private func gatherElements(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(GatherElements.self)
    let (data, indicesTensor) = (ctx.inputs[0], ctx.inputs[1])
    let size = try data.elementSize("data")
    let indices = try indicesTensor.ints("indices")
    let dims = indicesTensor.dims
    guard dims.count == data.dims.count else { throw KernelError("indices \(dims) and data \(data.dims) differ in rank") }
    let axis = try ShapeInference.axis(op.axis, rank: dims.count)
    let n = data.dims[axis]
    let dataStrides = contiguousStrides(data.dims), axisStride = contiguousStrides(dims)[axis]
    var out = [UInt8](repeating: 0, count: indices.count * size)
    try data.withUnsafeBytes { src in
        try out.withUnsafeMutableBytes { dst in
            // off: the data offset of p itself; its axis coordinate is swapped for the index.
            try forEachIndex(dims, [dataStrides]) { i, off in
                let coordinate = (i / axisStride) % dims[axis]
                let from = off[0] + (try normalizedIndex(indices[i], n) - coordinate) * dataStrides[axis]
                memcpy(dst.baseAddress! + i * size, src.baseAddress! + from * size, size)
            }
        }
    }
    return [Tensor(data.elementType, dims: dims, bytes: out)]
}

/// GatherND (opset8): after `batch_dims` shared leading axes, each row of the indices' last axis addresses a
/// slice of the data (its first k axes); the output keeps the indices' leading dims.
private func gatherND(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(GatherND.self)
    let (data, indicesTensor) = (ctx.inputs[0], ctx.inputs[1])
    let size = try data.elementSize("data")
    let indices = try indicesTensor.ints("indices")
    let dims = try ctx.outputDims0()
    let batch = op.batchDims
    guard let k = indicesTensor.dims.last else { throw KernelError("indices must have rank 1 or more") }
    let batchCount = data.dims[..<batch].reduce(1, *)
    let perBatch = indicesTensor.dims[batch..<(indicesTensor.dims.count - 1)].reduce(1, *)
    let batchBytes = data.dims[batch...].reduce(1, *) * size
    let sliceBytes = data.dims[(batch + k)...].reduce(1, *) * size
    let strides = contiguousStrides(data.dims)
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    guard out.count == batchCount * perBatch * sliceBytes else {
        throw KernelError("output dims \(dims) do not fit data \(data.dims) and indices \(indicesTensor.dims)")
    }
    try data.withUnsafeBytes { src in
        try out.withUnsafeMutableBytes { dst in
            for b in 0..<batchCount {
                for m in 0..<perBatch where sliceBytes > 0 {
                    let row = b * perBatch + m
                    var from = b * batchBytes
                    for j in 0..<k {
                        from += try normalizedIndex(indices[row * k + j], data.dims[batch + j]) * strides[batch + j] * size
                    }
                    memcpy(dst.baseAddress! + row * sliceBytes, src.baseAddress! + from, sliceBytes)
                }
            }
        }
    }
    return [Tensor(data.elementType, dims: dims, bytes: out)]
}

/// Reverse (opset1): the listed axes (index mode) or those whose mask element is true (mask mode) read
/// backwards, as a slice with step -1.
private func reverse(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Reverse.self)
    let data = ctx.inputs[0]
    let rank = data.dims.count
    let axes: [Int]
    switch op.mode {
    case .index:
        axes = try ctx.inputs[1].ints("axes").map { try ShapeInference.axis($0, rank: rank) }
    case .mask:
        let mask = try ctx.inputs[1].ints("axes mask")
        guard mask.count == rank else { throw KernelError("axes mask \(mask) does not have one element per axis of rank \(rank)") }
        axes = (0..<rank).filter { mask[$0] != 0 }
    }
    var ranges = data.dims.map { AxisRange(count: $0) }
    for a in Set(axes) where data.dims[a] > 0 {
        ranges[a] = AxisRange(start: data.dims[a] - 1, step: -1, count: data.dims[a])
    }
    return [try take(data, ranges, dims: data.dims)]
}

/// ReverseSequence (opset1): for batch entry b, the first seq_lengths[b] elements along seq_axis reversed,
/// the rest kept.
private func reverseSequence(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(ReverseSequence.self)
    let data = ctx.inputs[0]
    let size = try data.elementSize("data")
    let rank = data.dims.count
    let batchAxis = try ShapeInference.axis(op.batchAxis, rank: rank), seqAxis = try ShapeInference.axis(op.seqAxis, rank: rank)
    let lengths = try ctx.inputs[1].ints("seq_lengths")
    let (batches, steps) = (data.dims[batchAxis], data.dims[seqAxis])
    guard lengths.count == batches else { throw KernelError("seq_lengths has \(lengths.count) elements for batch size \(batches)") }
    guard lengths.allSatisfy({ (0...steps).contains($0) }) else { throw KernelError("seq_lengths \(lengths) exceed the sequence length \(steps)") }
    let strides = contiguousStrides(data.dims)
    var out = [UInt8](repeating: 0, count: data.elementCount * size)
    data.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            for i in 0..<data.elementCount {
                let b = (i / strides[batchAxis]) % batches, t = (i / strides[seqAxis]) % steps
                let from = t < lengths[b] ? i + (lengths[b] - 1 - 2 * t) * strides[seqAxis] : i
                memcpy(dst.baseAddress! + i * size, src.baseAddress! + from * size, size)
            }
        }
    }
    return [Tensor(data.elementType, dims: data.dims, bytes: out)]
}

/// OneHot (opset1): a new axis of size depth holding on_value at each index and off_value elsewhere; an
/// index outside [0, depth) gives off_value only.
private func oneHot(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(OneHot.self)
    let indicesTensor = ctx.inputs[0]
    let indices = try indicesTensor.ints("indices")
    guard let depth = try ctx.inputs[1].ints("depth").first else { throw KernelError("depth input is empty") }
    let (on, off) = (ctx.inputs[2], ctx.inputs[3])
    guard on.elementType == off.elementType, on.elementCount == 1, off.elementCount == 1 else {
        throw KernelError("on_value and off_value must be single elements of one type, got \(on.elementType) \(on.dims) and \(off.elementType) \(off.dims)")
    }
    let size = try on.elementSize("on_value")
    let dims = try ctx.outputDims0()
    let axis = try ShapeInference.axis(op.axis, rank: indicesTensor.dims.count + 1)
    let inner = indicesTensor.dims[axis...].reduce(1, *)
    let total = dims.reduce(1, *)
    var out = [UInt8](repeating: 0, count: total * size)
    on.withUnsafeBytes { onBytes in
        off.withUnsafeBytes { offBytes in
            out.withUnsafeMutableBytes { dst in
                // Output element (o, d, i) of the [outer, depth, inner] view is on where indices[o, i] == d.
                for position in 0..<total {
                    let i = position % inner, d = (position / inner) % depth, o = position / (inner * depth)
                    let value = indices[o * inner + i] == d ? onBytes : offBytes
                    memcpy(dst.baseAddress! + position * size, value.baseAddress!, size)
                }
            }
        }
    }
    return [Tensor(on.elementType, dims: dims, bytes: out)]
}

/// NonZero (opset3): the coordinates of the non-zero elements in row-major order, as `[rank, count]`.
/// Float elements compare numerically (so -0 is zero and NaN is not); others are non-zero when any byte is.
private func nonZero(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(NonZero.self)
    let x = ctx.inputs[0]
    let size = try x.elementSize()
    let positions: [Int]
    if x.elementType.isFloatingPoint {
        guard let values = x.doubleValues() else { throw x.unsupported("input", "f64, f32, f16, bf16 and integer types") }
        positions = values.indices.filter { values[$0] != 0 }
    } else {
        positions = x.withUnsafeBytes { raw in
            (0..<x.elementCount).filter { i in (0..<size).contains { raw[i * size + $0] != 0 } }
        }
    }
    // A scalar is treated as a one-element vector, as OpenVINO does.
    let dims = x.dims.isEmpty ? [1] : x.dims
    let strides = contiguousStrides(dims)
    var coordinates = [Int](repeating: 0, count: dims.count * positions.count)
    for (j, p) in positions.enumerated() {
        for a in 0..<dims.count { coordinates[a * positions.count + j] = (p / strides[a]) % dims[a] }
    }
    let outDims = [dims.count, positions.count]
    switch op.outputType {
    case .i64: return [.i64(coordinates, dims: outDims)]
    case .i32: return [.i32(coordinates, dims: outDims)]
    case let t: throw KernelError("output_type \(t) is not i64 or i32")
    }
}
