import Foundation
import OVIR

// FakeQuantize, as the OpenVINO spec defines it and the CPU plugin computes it (rounding halves to even).
let quantizationKernels: [String: Kernel] = [
    FakeQuantize.type: fakeQuantize,
]

/// x ≤ min(il, ih) → ol; x > max(il, ih) → oh; else round((x - il) / (ih - il) · (levels - 1)) / (levels - 1) · (oh - ol) + ol.
private func fakeQuantize(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(FakeQuantize.self)
    guard op.autoBroadcast != .pdpd else { throw KernelError("auto_broadcast pdpd is not evaluated yet") }
    let x = ctx.inputs[0]
    let dims = x.dims
    let steps = Double(op.levels - 1)
    // One range for every element (NNCF's per-tensor activations) of an f32 input: a plain loop over the values,
    // with the same arithmetic as the general path below.
    if x.elementType == .f32, ctx.inputs[1...].allSatisfy({ $0.elementCount == 1 }), dims.count >= ctx.inputs.map(\.dims.count).max()! {
        let (il, ih, ol, oh) = try (ctx.inputs[1].doubles()[0], ctx.inputs[2].doubles()[0], ctx.inputs[3].doubles()[0],
                                    ctx.inputs[4].doubles()[0])
        let (low, high) = (Swift.min(il, ih), Swift.max(il, ih))
        let out = x.withUnsafeBytes { raw in
            let v = raw.bindMemory(to: Float.self)
            return [Float](unsafeUninitializedCapacity: v.count) { buffer, count in
                for i in 0..<v.count {
                    let d = Double(v[i])
                    buffer[i] = Float(d <= low ? ol : d > high ? oh : ((d - il) / (ih - il) * steps).rounded(.toNearestOrEven) / steps * (oh - ol) + ol)
                }
                count = v.count
            }
        }
        return [Tensor.f32(out, dims: dims)]
    }
    let values = try ctx.inputs.map { try $0.doubles() }
    let strides = try ctx.inputs.map { try broadcastStrides($0.dims, to: dims) }
    var out = [Double](repeating: 0, count: dims.reduce(1, *))
    forEachIndex(dims, strides) { i, off in
        let v = values[0][off[0]]
        let (il, ih, ol, oh) = (values[1][off[1]], values[2][off[2]], values[3][off[3]], values[4][off[4]])
        if v <= Swift.min(il, ih) {
            out[i] = ol
        } else if v > Swift.max(il, ih) {
            out[i] = oh
        } else {
            out[i] = ((v - il) / (ih - il) * steps).rounded(.toNearestOrEven) / steps * (oh - ol) + ol
        }
    }
    return [Tensor.floatResult(out, dims: dims, of: x.elementType)]
}
