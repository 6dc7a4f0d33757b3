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
    let values = try ctx.inputs.map { try $0.doubles() }
    let strides = try ctx.inputs.map { try broadcastStrides($0.dims, to: dims) }
    let steps = Double(op.levels - 1)
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
