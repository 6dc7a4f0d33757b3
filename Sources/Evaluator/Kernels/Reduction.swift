import Foundation
import OVIR

// Float reductions over the axes of input 1 (keep_dims as the op says; the output shape comes from type
// inference, and a kept or dropped axis does not change the element order).

let reductionKernels: [String: Kernel] = [
    ReduceSum.type: reduction(ReduceSum.self, initial: 0, { $0 + $1 }),
    ReduceMean.type: reduction(ReduceMean.self, initial: 0, { $0 + $1 }, finish: { sum, count in sum / Float(count) }),
    ReduceMax.type: reduction(ReduceMax.self, initial: -.infinity, { max($0, $1) }),
    ReduceMin.type: reduction(ReduceMin.self, initial: .infinity, { min($0, $1) }),
    ReduceProd.type: reduction(ReduceProd.self, initial: 1, { $0 * $1 }),
    ReduceL1.type: reduction(ReduceL1.self, initial: 0, { $0 + abs($1) }),
    ReduceL2.type: reduction(ReduceL2.self, initial: 0, { $0 + $1 * $1 }, finish: { s, _ in sqrtf(s) }),
]

private func reduction<O: ReductionOp>(_: O.Type, initial: Float, _ combine: @escaping (Float, Float) -> Float,
                                       finish: @escaping (Float, Int) -> Float = { v, _ in v }) -> Kernel {
    { ctx in
        _ = try ctx.op(O.self)
        let data = ctx.inputs[0]
        let x = try data.floats("data")
        let d = data.dims
        let axes = Set(try ctx.inputs[1].ints("axes").map { try ShapeInference.axis($0, rank: d.count) })
        let outDims = try ctx.outputDims0()
        // Each input element adds into the output element with the reduced axes at 0.
        let kept = d.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let keptStrides = contiguousStrides(kept)
        let strides = d.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
        var acc = [Float](repeating: initial, count: kept.reduce(1, *))
        forEachIndex(d, [strides]) { i, off in acc[off[0]] = combine(acc[off[0]], x[i]) }
        let count = axes.reduce(1) { $0 * d[$1] }
        return [Tensor(.f32, dims: outDims, values: acc.map { finish($0, count) })]
    }
}
