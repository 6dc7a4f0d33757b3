import Foundation
import OVIR

// Recurrent sequences: LSTMSequence-5, GRUSequence-5, RNNSequence-5, computed in f32 as OpenVINO's reference
// does. Each batch element runs its own sequence_lengths[b] steps (clamped to the sequence length): a reverse
// direction walks those steps backwards from step len-1, Y is zero past len, and Ho/Co hold the state after the
// last step taken (zero for a length of 0, as in OpenVINO's reference). Gate pre-activations are clipped to
// [-clip, clip] when clip is not 0.

let recurrentKernels: [String: Kernel] = [
    LSTMSequence.type: { ctx in try recurrentSequence(ctx, try ctx.op(LSTMSequence.self)) },
    GRUSequence.type: { ctx in try recurrentSequence(ctx, try ctx.op(GRUSequence.self)) },
    RNNSequence.type: { ctx in try recurrentSequence(ctx, try ctx.op(RNNSequence.self)) },
]

/// An activation function by its OpenVINO name.
private func activation(_ name: String) throws -> (Float) -> Float {
    switch name {
    case "sigmoid": return { 1 / (1 + expf(-$0)) }
    case "tanh": return { tanhf($0) }
    case "relu": return { max($0, 0) }
    default: throw KernelError("activation '\(name)' is not supported")
    }
}

/// `out[j] += Σₖ m[row0 + j, k] · v[k]` for `rows` rows of a row-major matrix with `cols` columns starting at
/// element `base`.
private func multiplyAdd(_ m: [Float], base: Int, rows: Int, cols: Int, _ v: ArraySlice<Float>, into out: inout [Float]) {
    let v0 = v.startIndex
    for j in 0..<rows {
        var sum: Float = 0
        let row = base + j * cols
        for k in 0..<cols { sum += m[row + k] * v[v0 + k] }
        out[j] += sum
    }
}

private func recurrentSequence<O: RecurrentSequenceOp>(_ ctx: KernelContext, _ op: O) throws -> [Tensor] {
    let s = O.sequenceLengthsIndex
    let xT = ctx.inputs[0]
    let dims = try ctx.outputDims()
    let (batch, directions, seq, hidden) = (dims[0][0], dims[0][1], dims[0][2], dims[0][3])
    let inputSize = xT.dims[2]
    let x = try xT.floats("X")
    let h0 = try ctx.inputs[1].floats("initial_hidden_state")
    let c0 = O.hasCellState ? try ctx.inputs[2].floats("initial_cell_state") : []
    let lengths = try ctx.inputs[s].ints("sequence_lengths")
    guard lengths.count == batch else { throw KernelError("sequence_lengths has \(lengths.count) values for a batch of \(batch)") }
    let w = try ctx.inputs[s + 1].floats("W"), r = try ctx.inputs[s + 2].floats("R"), b = try ctx.inputs[s + 3].floats("B")
    let fns = try op.activations.names.map(activation)
    let clip = Float(op.clip)
    func clipped(_ v: Float) -> Float { clip == 0 ? v : min(max(v, -clip), clip) }
    let gates = O.gateCount, biasRows = op.biasGateCount * hidden
    let linearBeforeReset = (op as? GRUSequence)?.linearBeforeReset ?? false

    var y = [Float](repeating: 0, count: batch * directions * seq * hidden)
    var ho = [Float](repeating: 0, count: batch * directions * hidden)
    var co = [Float](repeating: 0, count: O.hasCellState ? batch * directions * hidden : 0)
    for d in 0..<directions {
        let reverse = op.direction == .reverse || (op.direction == .bidirectional && d == 1)
        let wBase = d * gates * hidden * inputSize, rBase = d * gates * hidden * hidden, bBase = d * biasRows
        for n in 0..<batch {
            let length = min(max(lengths[n], 0), seq)
            let stateBase = (n * directions + d) * hidden
            var h = Array(h0[stateBase..<(stateBase + hidden)])
            var c = O.hasCellState ? Array(c0[stateBase..<(stateBase + hidden)]) : []
            for step in 0..<length {
                let t = reverse ? length - 1 - step : step
                let xt = x[((n * seq + t) * inputSize)..<((n * seq + t + 1) * inputSize)]
                // Xt·Wᵀ + B for every gate row (GRU with linear_before_reset: B's first 3·hidden only)
                var xw = Array(b[bBase..<(bBase + gates * hidden)])
                multiplyAdd(w, base: wBase, rows: gates * hidden, cols: inputSize, xt, into: &xw)
                var hr = [Float](repeating: 0, count: gates * hidden)
                switch O.gateCount {
                case 4:  // LSTM, gates f, i, c, o
                    multiplyAdd(r, base: rBase, rows: gates * hidden, cols: hidden, h[...], into: &hr)
                    for j in 0..<hidden {
                        let f = fns[0](clipped(xw[j] + hr[j]))
                        let i = fns[0](clipped(xw[hidden + j] + hr[hidden + j]))
                        let candidate = fns[1](clipped(xw[2 * hidden + j] + hr[2 * hidden + j]))
                        let o = fns[0](clipped(xw[3 * hidden + j] + hr[3 * hidden + j]))
                        c[j] = f * c[j] + i * candidate
                        h[j] = o * fns[2](c[j])
                    }
                case 3:  // GRU, gates z, r, h
                    multiplyAdd(r, base: rBase, rows: 2 * hidden, cols: hidden, h[...], into: &hr)
                    var z = [Float](repeating: 0, count: hidden), reset = z
                    for j in 0..<hidden {
                        z[j] = fns[0](clipped(xw[j] + hr[j]))
                        reset[j] = fns[0](clipped(xw[hidden + j] + hr[hidden + j]))
                    }
                    var candidate = [Float](repeating: 0, count: hidden)
                    if linearBeforeReset {
                        // g(Xt·Whᵀ + Wbh + r ⊙ (Ht-1·Rhᵀ + Rbh))
                        var hh = Array(b[(bBase + 3 * hidden)..<(bBase + 4 * hidden)])
                        multiplyAdd(r, base: rBase + 2 * hidden * hidden, rows: hidden, cols: hidden, h[...], into: &hh)
                        for j in 0..<hidden { candidate[j] = fns[1](clipped(xw[2 * hidden + j] + reset[j] * hh[j])) }
                    } else {
                        // g(Xt·Whᵀ + (r ⊙ Ht-1)·Rhᵀ + Bh)
                        let rh = (0..<hidden).map { reset[$0] * h[$0] }
                        var hh = [Float](repeating: 0, count: hidden)
                        multiplyAdd(r, base: rBase + 2 * hidden * hidden, rows: hidden, cols: hidden, rh[...], into: &hh)
                        for j in 0..<hidden { candidate[j] = fns[1](clipped(xw[2 * hidden + j] + hh[j])) }
                    }
                    for j in 0..<hidden { h[j] = (1 - z[j]) * candidate[j] + z[j] * h[j] }
                default:  // RNN
                    multiplyAdd(r, base: rBase, rows: hidden, cols: hidden, h[...], into: &hr)
                    for j in 0..<hidden { h[j] = fns[0](clipped(xw[j] + hr[j])) }
                }
                let yBase = ((n * directions + d) * seq + t) * hidden
                y.replaceSubrange(yBase..<(yBase + hidden), with: h)
            }
            if length > 0 {
                ho.replaceSubrange(stateBase..<(stateBase + hidden), with: h)
                if O.hasCellState { co.replaceSubrange(stateBase..<(stateBase + hidden), with: c) }
            }
        }
    }
    let outputs = [Tensor.f32(y, dims: dims[0]), .f32(ho, dims: dims[1])]
    return O.hasCellState ? outputs + [.f32(co, dims: dims[2])] : outputs
}
