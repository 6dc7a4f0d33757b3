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
    let a = op.axis < 0 ? op.axis + dims.count : op.axis
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
    let a = axisValue < 0 ? axisValue + x.dims.count : axisValue
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
