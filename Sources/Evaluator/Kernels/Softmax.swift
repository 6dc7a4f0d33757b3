import Foundation
import OVIR

// SoftMax and LogSoftmax along one axis, shifted by the maximum so large inputs stay finite.

let softmaxKernels: [String: Kernel] = [
    Softmax.type: { ctx in try softmax(ctx, axis: try ctx.op(Softmax.self).axis, log: false) },
    LogSoftmax.type: { ctx in try softmax(ctx, axis: try ctx.op(LogSoftmax.self).axis, log: true) },
]

private func softmax(_ ctx: KernelContext, axis: Int, log: Bool) throws -> [Tensor] {
    let data = ctx.inputs[0]
    var x = try data.floats("data")
    let d = data.dims
    let a = try ShapeInference.axis(axis, rank: d.count)
    let outer = d[..<a].reduce(1, *), length = d[a], inner = d[(a + 1)...].reduce(1, *)
    for o in 0..<outer {
        for i in 0..<inner {
            let base = o * length * inner + i
            var m = -Float.infinity
            for k in 0..<length { m = max(m, x[base + k * inner]) }
            var sum: Float = 0
            for k in 0..<length { sum += expf(x[base + k * inner] - m) }
            for k in 0..<length {
                let shifted = x[base + k * inner] - m
                x[base + k * inner] = log ? shifted - logf(sum) : expf(shifted) / sum
            }
        }
    }
    return [Tensor(.f32, dims: d, values: x)]
}
