import Foundation
import OVIR

// BatchNormInference: (x - mean) / sqrt(variance + epsilon) · gamma + beta, per channel (axis 1).
// LRN-1: x / (bias + alpha / size^len(axes) · Σ x² over the window)^beta, the window spanning
// [i - size/2, i + size/2] on each of the axes (clipped to the tensor), as the OpenVINO spec writes it.
// MVN-6: (x - mean) / sqrt(variance + eps) (INSIDE_SQRT) or / (sqrt(variance) + eps) (OUTSIDE_SQRT) over the
// axes input, or only x - mean without normalize_variance; the variance is the biased one.

let normalizationKernels: [String: Kernel] = [
    BatchNormInference.type: batchNorm,
    LRN.type: lrn,
    MVN.type: mvn,
]

private func mvn(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(MVN.self)
    let data = ctx.inputs[0]
    var x = try data.floats("data")
    let d = data.dims
    let axes = Set(try ctx.inputs[1].ints("axes").map { try ShapeInference.axis($0, rank: d.count) })
    // Each element's group: its index over the axes that are not normalized.
    let kept = d.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    let keptStrides = contiguousStrides(kept)
    let groupStrides = d.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
    var group = [Int](repeating: 0, count: x.count)
    forEachIndex(d, [groupStrides]) { i, off in group[i] = off[0] }
    let groups = kept.reduce(1, *)
    let count = Float(x.count / max(groups, 1))
    var mean = [Float](repeating: 0, count: groups)
    for i in x.indices { mean[group[i]] += x[i] }
    for g in 0..<groups { mean[g] /= count }
    for i in x.indices { x[i] -= mean[group[i]] }
    if op.normalizeVariance {
        var variance = [Float](repeating: 0, count: groups)
        for i in x.indices { variance[group[i]] += x[i] * x[i] }
        let eps = Float(op.eps)
        let scale = variance.map { v -> Float in
            let v = v / count
            return 1 / (op.epsMode == .insideSqrt ? sqrtf(v + eps) : sqrtf(v) + eps)
        }
        for i in x.indices { x[i] *= scale[group[i]] }
    }
    return [Tensor(.f32, dims: d, values: x)]
}

private func lrn(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(LRN.self)
    let data = ctx.inputs[0]
    let x = try data.floats("data")
    let d = data.dims
    let axes = Set(try ctx.inputs[1].ints("axes").map { try ShapeInference.axis($0, rank: d.count) })
    guard op.size > 0 else { throw KernelError("size must be positive, got \(op.size)") }
    let half = op.size / 2
    let scale = Float(op.alpha) / powf(Float(op.size), Float(axes.count))
    let (bias, beta) = (Float(op.bias), Float(op.beta))
    let squares = x.map { $0 * $0 }
    let strides = contiguousStrides(d)
    var out = [Float](repeating: 0, count: x.count)
    for (linear, index) in allIndices(d).enumerated() {
        // The window: a box around `index` on the LRN axes, a single point elsewhere.
        var lower = index, extent = Array(repeating: 1, count: d.count)
        for a in axes {
            lower[a] = max(0, index[a] - half)
            extent[a] = min(d[a], index[a] + half + 1) - lower[a]
        }
        let base = zip(lower, strides).reduce(0) { $0 + $1.0 * $1.1 }
        var sum: Float = 0
        forEachIndex(extent, [strides]) { _, off in sum += squares[base + off[0]] }
        out[linear] = x[linear] / powf(bias + scale * sum, beta)
    }
    return [Tensor(.f32, dims: d, values: out)]
}

private func batchNorm(_ ctx: KernelContext) throws -> [Tensor] {
    let epsilon = Float(try ctx.op(BatchNormInference.self).epsilon)
    let data = ctx.inputs[0]
    var x = try data.floats("data")
    let gamma = try ctx.inputs[1].floats("gamma"), beta = try ctx.inputs[2].floats("beta")
    let mean = try ctx.inputs[3].floats("mean"), variance = try ctx.inputs[4].floats("variance")
    let d = data.dims
    let channels = d[1], inner = d[2...].reduce(1, *)
    guard [gamma, beta, mean, variance].allSatisfy({ $0.count == channels }) else {
        throw KernelError("gamma, beta, mean and variance must have \(channels) values")
    }
    for n in 0..<d[0] {
        for c in 0..<channels {
            let scale = gamma[c] / sqrtf(variance[c] + epsilon)
            let base = (n * channels + c) * inner
            for i in 0..<inner { x[base + i] = (x[base + i] - mean[c]) * scale + beta[c] }
        }
    }
    return [Tensor(.f32, dims: d, values: x)]
}
