import Foundation
import OVIR

// ScaledDotProductAttention-13, written out as plain loops in Double (no GEMM, no shared softmax): per batch
// item and query row, the scores against every key, the bias (causal, boolean or additive mask), a softmax
// shifted by the row's maximum, and the weighted sum of the values. A row whose scores are all -inf gives NaN,
// as softmax over it does.

let attentionKernels: [String: Kernel] = [
    ScaledDotProductAttention.type: scaledDotProductAttention,
]

private func scaledDotProductAttention(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(ScaledDotProductAttention.self)
    let (tq, tk, tv) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2])
    let q = try tq.doubles("query"), k = try tk.doubles("key"), v = try tv.doubles("value")
    let out = try ctx.outputDims0()
    let batch = Array(out.dropLast(2))
    let (l, e) = (tq.dims[tq.dims.count - 2], tq.dims[tq.dims.count - 1])
    let (s, ev) = (tk.dims[tk.dims.count - 2], tv.dims[tv.dims.count - 1])
    let scale: Double
    if ctx.inputs.count > 4 {
        guard let first = try ctx.inputs[4].doubles("scale").first else { throw KernelError("scale is empty") }
        scale = first
    } else {
        scale = 1 / Double(e).squareRoot()
    }
    // The mask as a bias read through broadcast strides over [batch..., L, S]; a scalar mask is "no mask".
    var bias: ((Int) -> Double)? = nil
    var maskStrides = Array(repeating: 0, count: batch.count + 2)
    if ctx.inputs.count > 3, !op.causal, !ctx.inputs[3].dims.isEmpty {
        let mask = ctx.inputs[3]
        maskStrides = try broadcastStrides(mask.dims, to: batch + [l, s])
        if mask.elementType == .boolean {
            let keep = mask.elements(UInt8.self)
            bias = { keep[$0] != 0 ? 0 : -Double.infinity }
        } else {
            let add = try mask.doubles("attention_mask")
            bias = { add[$0] }
        }
    }
    let strides = try [tq.dims, tk.dims, tv.dims].map { try broadcastStrides(Array($0.dropLast(2)), to: batch) }
    let maskBatch = Array(maskStrides.dropLast(2))
    let (maskRow, maskColumn) = (maskStrides[maskStrides.count - 2], maskStrides[maskStrides.count - 1])
    var result = [Double](repeating: 0, count: out.reduce(1, *))
    var scores = [Double](repeating: 0, count: s)
    forEachIndex(batch, strides + [maskBatch]) { item, offsets in
        let (qBase, kBase, vBase, mBase) = (offsets[0] * l * e, offsets[1] * s * e, offsets[2] * s * ev, offsets[3])
        for i in 0..<l {
            var top = -Double.infinity
            for j in 0..<s {
                var dot = 0.0
                for c in 0..<e { dot += q[qBase + i * e + c] * k[kBase + j * e + c] }
                var score = dot * scale
                if op.causal, j > i { score = -.infinity }
                if let bias { score += bias(mBase + i * maskRow + j * maskColumn) }
                scores[j] = score
                top = max(top, score)
            }
            var sum = 0.0
            for j in 0..<s { scores[j] = exp(scores[j] - top); sum += scores[j] }
            let row = (item * l + i) * ev
            for j in 0..<s {
                let w = scores[j] / sum
                for c in 0..<ev { result[row + c] += w * v[vBase + j * ev + c] }
            }
        }
    }
    return [Tensor.floatResult(result, dims: out, of: tq.elementType)]
}
