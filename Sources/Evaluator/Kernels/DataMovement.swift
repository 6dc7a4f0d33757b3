import Foundation
import OVIR

// Ops that only move elements: they work on bytes, so every byte-addressable element type is supported.
// Output shapes come from the ops' own type inference on the concrete inputs.

let dataMovementKernels: [String: Kernel] = [
    Reshape.type: sameBytes,
    Squeeze.type: sameBytes,
    Unsqueeze.type: sameBytes,
    Concat.type: concat,
    Split.type: { ctx in try split(ctx, axisInput: 1) },
    VariadicSplit.type: { ctx in try split(ctx, axisInput: 1) },
    Transpose.type: transpose,
    Broadcast.type: broadcast,
    ShapeOf.type: shapeOf,
    Tile.type: tile,
    Pad.type: pad,
    RangeOp.type: range,
    DepthToSpace.type: depthToSpace,
    SpaceToDepth.type: spaceToDepth,
    ShuffleChannels.type: shuffleChannels,
    Eye.type: eye,
]

/// The input's dims as a 1-D i64 or i32 tensor.
private func shapeOf(_ ctx: KernelContext) throws -> [Tensor] {
    let dims = ctx.inputs[0].dims
    switch try ctx.op(ShapeOf.self).outputType {
    case .i64: return [.i64(dims)]
    case .i32: return [.i32(dims)]
    case let t: throw KernelError("ShapeOf output type \(t) is not i64 or i32")
    }
}

/// The same elements under the inferred dims (Reshape, Squeeze, Unsqueeze).
private func sameBytes(_ ctx: KernelContext) throws -> [Tensor] {
    let x = ctx.inputs[0]
    let dims = try ctx.outputDims0()
    guard dims.reduce(1, *) == x.elementCount else { throw KernelError("cannot view \(x.dims) as \(dims)") }
    return [Tensor(x.elementType, dims: dims, storage: x.storage)]
}

private func concat(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Concat.self)
    let first = ctx.inputs[0]
    let size = try first.elementSize()
    let dims = try ctx.outputDims0()
    let a = try ShapeInference.axis(op.axis, rank: dims.count)
    let outer = dims[..<a].reduce(1, *), inner = dims[(a + 1)...].reduce(1, *) * size
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    let rowBytes = dims[a] * inner
    var start = 0
    for t in ctx.inputs {
        guard t.elementType == first.elementType else { throw KernelError("inputs mix \(first.elementType) and \(t.elementType)") }
        let chunk = t.dims[a] * inner
        t.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for o in 0..<outer where chunk > 0 {
                    memcpy(dst.baseAddress! + o * rowBytes + start, src.baseAddress! + o * chunk, chunk)
                }
            }
        }
        start += chunk
    }
    return [Tensor(first.elementType, dims: dims, bytes: out)]
}

/// Split and VariadicSplit: consecutive parts along the axis, sized as type inference says.
private func split(_ ctx: KernelContext, axisInput: Int) throws -> [Tensor] {
    let x = ctx.inputs[0]
    let size = try x.elementSize()
    guard let axisValue = try ctx.inputs[axisInput].ints("axis").first else { throw KernelError("axis input is empty") }
    let a = try ShapeInference.axis(axisValue, rank: x.dims.count)
    let parts = try ctx.outputDims()
    let outer = x.dims[..<a].reduce(1, *), inner = x.dims[(a + 1)...].reduce(1, *) * size
    let rowBytes = x.dims[a] * inner
    var start = 0
    return x.withUnsafeBytes { src in
        parts.map { dims in
            let chunk = dims[a] * inner
            var out = [UInt8](repeating: 0, count: outer * chunk)
            out.withUnsafeMutableBytes { dst in
                for o in 0..<outer where chunk > 0 {
                    memcpy(dst.baseAddress! + o * chunk, src.baseAddress! + o * rowBytes + start, chunk)
                }
            }
            start += chunk
            return Tensor(x.elementType, dims: dims, bytes: out)
        }
    }
}

private func transpose(_ ctx: KernelContext) throws -> [Tensor] {
    let x = ctx.inputs[0]
    var perm = try ctx.inputs[1].ints("perm")
    if perm.isEmpty { perm = Array((0..<x.dims.count).reversed()) }
    guard perm.count == x.dims.count, Set(perm) == Set(0..<x.dims.count) else {
        throw KernelError("perm \(perm) is not a permutation of the \(x.dims.count) axes")
    }
    let strides = contiguousStrides(x.dims)
    return [gather(x, size: try x.elementSize(), dims: perm.map { x.dims[$0] }, strides: perm.map { strides[$0] })]
}

/// numpy and bidirectional align dims to the right; explicit maps data axis i to output axis axes_mapping[i].
private func broadcast(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Broadcast.self)
    let x = ctx.inputs[0]
    let dims = try ctx.outputDims0()
    let strides: [Int]
    switch op.mode {
    case .numpy, .bidirectional:
        strides = try broadcastStrides(x.dims, to: dims)
    case .explicit:
        let mapping = try ctx.inputs[2].ints("axes_mapping")
        guard mapping.count == x.dims.count else { throw KernelError("axes_mapping \(mapping) does not fit data \(x.dims)") }
        let own = contiguousStrides(x.dims)
        var s = Array(repeating: 0, count: dims.count)
        for (i, axis) in mapping.enumerated() {
            guard (0..<dims.count).contains(axis), x.dims[i] == dims[axis] || x.dims[i] == 1 else {
                throw KernelError("axes_mapping \(mapping) does not fit data \(x.dims) and target \(dims)")
            }
            s[axis] = x.dims[i] == 1 ? 0 : own[i]
        }
        strides = s
    }
    return [gather(x, size: try x.elementSize(), dims: dims, strides: strides)]
}

/// Tile: output axis k of size r·d reads data index (o mod d). Viewed as [r0, d0, r1, d1, ...] with stride 0
/// on each repeat axis, the row-major order of that view is the output's, so one strided gather does it.
private func tile(_ ctx: KernelContext) throws -> [Tensor] {
    let x = ctx.inputs[0]
    let repeats = try ctx.inputs[1].ints("repeats")
    let rank = max(x.dims.count, repeats.count)
    let d = Array(repeating: 1, count: rank - x.dims.count) + x.dims
    let r = Array(repeating: 1, count: rank - repeats.count) + repeats
    guard r.allSatisfy({ $0 >= 0 }) else { throw KernelError("repeats \(repeats) has a negative value") }
    let own = contiguousStrides(d)
    let dims = try ctx.outputDims0()
    let view = (0..<rank).flatMap { [r[$0], d[$0]] }
    let strides = (0..<rank).flatMap { [0, own[$0]] }
    let tiled = gather(x, size: try x.elementSize(), dims: view, strides: strides)
    guard dims.reduce(1, *) == tiled.elementCount else { throw KernelError("tiled \(view) does not fit output \(dims)") }
    return [Tensor(x.elementType, dims: dims, storage: tiled.storage)]
}

/// Pad (opset12): constant mode fills the border with the pad value; edge, reflect and symmetric read it from
/// the data (see `padSource`).
private func pad(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Pad.self)
    let x = ctx.inputs[0]
    let rank = x.dims.count
    let begin = try ctx.inputs[1].ints("pads_begin"), end = try ctx.inputs[2].ints("pads_end")
    guard begin.count == rank, end.count == rank else { throw KernelError("pads \(begin), \(end) do not match rank \(rank)") }
    let dims = try ctx.outputDims0()
    if op.padMode == .constant { return [try padConstant(ctx, begin: begin, end: end, dims: dims)] }
    return [try padFromData(x, mode: op.padMode, begin: begin, dims: dims)]
}

/// Constant mode: the output is filled with the pad value (0 without the fourth input), then the part of
/// the data that survives (negative pads crop) is copied in at its offset.
private func padConstant(_ ctx: KernelContext, begin: [Int], end: [Int], dims: [Int]) throws -> Tensor {
    let x = ctx.inputs[0]
    let size = try x.elementSize()
    let rank = x.dims.count
    let total = dims.reduce(1, *)
    var out: [UInt8]
    if ctx.inputs.count > 3 {
        let value = ctx.inputs[3]
        guard value.elementType == x.elementType, value.elementCount == 1 else {
            throw KernelError("pad_value must be one \(x.elementType) element, got \(value.elementType) \(value.dims)")
        }
        // One allocation, filled by doubling copies of the first element.
        out = [UInt8](repeating: 0, count: total * size)
        if total > 0 {
            value.withUnsafeBytes { v in
                out.withUnsafeMutableBytes { dst in
                    memcpy(dst.baseAddress!, v.baseAddress!, size)
                    var filled = size
                    while filled < dst.count {
                        let n = min(filled, dst.count - filled)
                        memcpy(dst.baseAddress! + filled, dst.baseAddress!, n)
                        filled += n
                    }
                }
            }
        }
    } else {
        out = [UInt8](repeating: 0, count: total * size)
    }
    // The copied region: along each axis, data from max(0, -begin) and output from max(0, begin).
    let region = (0..<rank).map { max(0, min(x.dims[$0] + min(0, begin[$0]) + min(0, end[$0]), dims[$0])) }
    let srcStrides = contiguousStrides(x.dims), dstStrides = contiguousStrides(dims)
    let srcBase = (0..<rank).reduce(0) { $0 + max(0, -begin[$1]) * srcStrides[$1] }
    let dstBase = (0..<rank).reduce(0) { $0 + max(0, begin[$1]) * dstStrides[$1] }
    x.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            forEachIndex(region, [srcStrides, dstStrides]) { _, off in
                memcpy(dst.baseAddress! + (dstBase + off[1]) * size, src.baseAddress! + (srcBase + off[0]) * size, size)
            }
        }
    }
    return Tensor(x.elementType, dims: dims, bytes: out)
}

/// The data index that output index `o` of an axis of size `n` reads, `begin` being the axis' pads_begin.
/// Past one reflection the pattern repeats, as numpy's pad does (OpenVINO only allows pads up to n - 1 for
/// reflect and n for symmetric, where both agree).
private func padSource(_ o: Int, begin: Int, n: Int, mode: Pad.Mode) -> Int {
    let c = o - begin
    if (0..<n).contains(c) { return c }
    switch mode {
    case .reflect:
        // ... 2 1 | 0 1 2 3 | 2 1 0 1 ...: period 2(n - 1), the edge element not repeated.
        guard n > 1 else { return 0 }
        let period = 2 * (n - 1)
        let m = ((c % period) + period) % period
        return m < n ? m : period - m
    case .symmetric:
        // ... 1 0 | 0 1 2 3 | 3 2 ...: period 2n, the edge element repeated.
        let period = 2 * n
        let m = ((c % period) + period) % period
        return m < n ? m : period - 1 - m
    case .edge, .constant:
        return min(max(c, 0), n - 1)
    }
}

/// Edge, reflect and symmetric modes: every output element is a copy of the data element `padSource` picks
/// on each axis.
private func padFromData(_ x: Tensor, mode: Pad.Mode, begin: [Int], dims: [Int]) throws -> Tensor {
    let size = try x.elementSize()
    let rank = x.dims.count
    let total = dims.reduce(1, *)
    guard total == 0 || x.elementCount > 0 else { throw KernelError("cannot pad an empty axis in \(mode.rawValue) mode") }
    let strides = contiguousStrides(x.dims)
    // Per axis, the byte offset in the data of each output index.
    let offsets = (0..<rank).map { a in
        (0..<dims[a]).map { padSource($0, begin: begin[a], n: x.dims[a], mode: mode) * strides[a] * size }
    }
    var out = [UInt8](repeating: 0, count: total * size)
    guard total > 0 else { return Tensor(x.elementType, dims: dims, bytes: out) }
    var index = Array(repeating: 0, count: rank)
    x.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            for i in 0..<total {
                let from = (0..<rank).reduce(0) { $0 + offsets[$1][index[$1]] }
                memcpy(dst.baseAddress! + i * size, src.baseAddress! + from, size)
                advance(&index, within: dims)
            }
        }
    }
    return Tensor(x.elementType, dims: dims, bytes: out)
}

/// DepthToSpace (opset1): the input read as `[N, b…, C, D…]` (blocks_first) or `[N, C, b…, D…]` (depth_first)
/// is transposed to `[N, C, D1, b, D2, b, …]`, whose row-major order is the output's.
private func depthToSpace(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(DepthToSpace.self)
    let x = ctx.inputs[0]
    let dims = try ctx.outputDims0()
    let k = x.dims.count - 2, b = op.blockSize, c = dims[1]
    let blocks = Array(repeating: b, count: k), spatial = Array(x.dims[2...])
    let blocksFirst = op.mode == .blocksFirst
    let view = blocksFirst ? [x.dims[0]] + blocks + [c] + spatial : [x.dims[0], c] + blocks + spatial
    let s = contiguousStrides(view)
    let (blockAxis, channelAxis, spatialAxis) = blocksFirst ? (1, 1 + k, 2 + k) : (2, 1, 2 + k)
    var moved = [x.dims[0], c], strides = [s[0], s[channelAxis]]
    for i in 0..<k {
        moved += [spatial[i], b]
        strides += [s[spatialAxis + i], s[blockAxis + i]]
    }
    let y = gather(x, size: try x.elementSize(), dims: moved, strides: strides)
    return [Tensor(x.elementType, dims: dims, storage: y.storage)]
}

/// ShuffleChannels (opset1): the input read as `[outer, group, C/group, inner]` is transposed to
/// `[outer, C/group, group, inner]`, whose row-major order is the output's.
private func shuffleChannels(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(ShuffleChannels.self)
    let x = ctx.inputs[0]
    let axis = try ShapeInference.axis(op.axis, rank: x.dims.count)
    let outer = x.dims[..<axis].reduce(1, *), inner = x.dims[(axis + 1)...].reduce(1, *)
    let view = [outer, op.group, x.dims[axis] / op.group, inner]
    let s = contiguousStrides(view)
    let y = gather(x, size: try x.elementSize(), dims: [outer, view[2], op.group, inner], strides: [s[0], s[2], s[1], s[3]])
    return [Tensor(x.elementType, dims: x.dims, storage: y.storage)]
}

/// SpaceToDepth (opset1): the input read as `[N, C, D1, b, D2, b, …]` is transposed to `[N, b…, C, D…]`
/// (blocks_first) or `[N, C, b…, D…]` (depth_first), whose row-major order is the output's.
private func spaceToDepth(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(SpaceToDepth.self)
    let x = ctx.inputs[0]
    let dims = try ctx.outputDims0()
    let k = x.dims.count - 2, b = op.blockSize
    let (n, c) = (x.dims[0], x.dims[1])
    let spatial = Array(dims[2...])
    let view: [Int] = [n, c] + spatial.flatMap { [$0, b] }
    let s = contiguousStrides(view)
    let blockStrides = (0..<k).map { s[3 + 2 * $0] }, spatialStrides = (0..<k).map { s[2 + 2 * $0] }
    let blocks = Array(repeating: b, count: k)
    let moved: [Int], strides: [Int]
    if op.mode == .blocksFirst {
        moved = [n] + blocks + [c] + spatial
        strides = [s[0]] + blockStrides + [s[1]] + spatialStrides
    } else {
        moved = [n, c] + blocks + spatial
        strides = [s[0], s[1]] + blockStrides + spatialStrides
    }
    let y = gather(x, size: try x.elementSize(), dims: moved, strides: strides)
    return [Tensor(x.elementType, dims: dims, storage: y.storage)]
}

/// Eye (opset9): `[batch…, rows, cols]` zeros with ones where column − row equals the diagonal input.
/// The one is made by the Convert kernel's conversion, so every type it converts to is supported.
private func eye(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Eye.self)
    let dims = try ctx.outputDims0()
    guard let diagonal = try ctx.inputs[2].ints("diagonal_index").first else { throw KernelError("diagonal_index input is empty") }
    let one = try convertElements(.i64([1], dims: []), to: op.outputType)
    let size = try one.elementSize("output")
    let (rows, cols) = (dims[dims.count - 2], dims[dims.count - 1])
    let matrices = dims.dropLast(2).reduce(1, *)
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    one.withUnsafeBytes { v in
        out.withUnsafeMutableBytes { dst in
            for m in 0..<matrices {
                for r in 0..<rows where (0..<cols).contains(r + diagonal) {
                    memcpy(dst.baseAddress! + ((m * rows + r) * cols + r + diagonal) * size, v.baseAddress!, size)
                }
            }
        }
    }
    return [Tensor(op.outputType, dims: dims, bytes: out)]
}

/// Range (opset4): start + i·step for i below the inferred length; for an integer output type the inputs are
/// first truncated toward zero, as OpenVINO casts them.
private func range(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(RangeOp.self)
    let scalars = try ctx.inputs.enumerated().map { k, t -> Double in
        guard let v = t.doubleValues(), v.count == 1 else { throw KernelError("input \(k) must hold one number") }
        return v[0]
    }
    guard let n = try ctx.outputDims0().first else { throw KernelError("Range output is not 1-D") }
    switch op.outputType {
    case .f32, .f16, .bf16, .f64:
        // Computed in f32 like every float kernel; the evaluator packs it in the declared type.
        let (start, step) = (Float(scalars[0]), Float(scalars[2]))
        return [Tensor(.f32, dims: [n], values: (0..<n).map { start + Float($0) * step })]
    case .i64, .i32:
        let (start, step) = (Int64(scalars[0].rounded(.towardZero)), Int64(scalars[2].rounded(.towardZero)))
        let values = (0..<n).map { start &+ Int64($0) &* step }
        return [op.outputType == .i64 ? Tensor(.i64, dims: [n], values: values)
            : Tensor(.i32, dims: [n], values: values.map { Int32(truncatingIfNeeded: $0) })]
    case let t:
        throw KernelError("Range output_type \(t) is not evaluated; supported: f32, f16, bf16, f64, i64, i32")
    }
}
