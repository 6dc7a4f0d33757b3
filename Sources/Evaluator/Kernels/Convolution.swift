import COpenBLAS
import OVIR

// Convolution and GroupConvolution: im2col, then one `cblas_sgemm` per batch item and group.

let convolutionKernels: [String: Kernel] = [
    Convolution.type: { ctx in try convolution(ctx, try ctx.op(Convolution.self)) },
    GroupConvolution.type: { ctx in try convolution(ctx, try ctx.op(GroupConvolution.self)) },
]

private func convolution<O: ConvolutionOp>(_ ctx: KernelContext, _ op: O) throws -> [Tensor] {
    let (data, filters) = (ctx.inputs[0], ctx.inputs[1])
    let x = try data.floats("data"), w = try filters.floats("filters")
    let outDims = try ctx.outputDims0()
    let d = data.dims, f = filters.dims
    let spatialRank = d.count - 2
    // GroupConvolution filters [G, OC/G, IC/G, k...] are laid out as Convolution filters [OC, IC/G, k...].
    let groups = O.grouped ? f[0] : 1
    let kernel = Array(f.suffix(spatialRank))
    let (batch, channels) = (d[0], d[1])
    let outChannels = outDims[1]
    let groupIn = channels / groups, groupOut = outChannels / groups
    let geometry = try WindowGeometry(
        input: Array(d[2...]), output: Array(outDims[2...]), kernel: kernel, strides: op.strides,
        dilations: op.dilations, padsBegin: op.padsBegin, autoPad: op.autoPad)
    let (inCount, outCount, taps) = (geometry.inputCount, geometry.outputCount, geometry.kernelCount)
    let rows = channels * taps  // im2col rows: (channel, tap), columns: output positions

    // For each (output position, tap): the spatial input offset, or -1 in the padding. Shared by channels.
    let spatialStrides = contiguousStrides(geometry.input)
    let outPositions = allIndices(geometry.output), tapPositions = allIndices(kernel)
    var source = [Int](repeating: -1, count: taps * outCount)
    for (t, tap) in tapPositions.enumerated() {
        for (o, pos) in outPositions.enumerated() {
            source[t * outCount + o] = geometry.inputOffset(out: pos, tap: tap, inputStrides: spatialStrides) ?? -1
        }
    }

    var out = [Float](repeating: 0, count: outDims.reduce(1, *))
    var columns = [Float](repeating: 0, count: rows * outCount)
    for n in 0..<batch {
        let image = n * channels * inCount
        for c in 0..<channels {
            for t in 0..<taps {
                let row = (c * taps + t) * outCount
                for o in 0..<outCount {
                    let s = source[t * outCount + o]
                    columns[row + o] = s < 0 ? 0 : x[image + c * inCount + s]
                }
            }
        }
        for g in 0..<groups {
            // out[n, g·OCg ..< (g+1)·OCg, :] = W_g [OCg, ICg·taps] × columns_g [ICg·taps, outCount]
            sgemm(m: groupOut, n: outCount, k: groupIn * taps,
                  a: w, aOffset: g * groupOut * groupIn * taps, transposeA: false,
                  b: columns, bOffset: g * groupIn * taps * outCount, transposeB: false,
                  c: &out, cOffset: (n * outChannels + g * groupOut) * outCount)
        }
    }
    return [Tensor(.f32, dims: outDims, values: out)]
}

/// C[m×n] = op(A)[m×k] · op(B)[k×n], row-major, through OpenBLAS. `a`, `b` and `c` start at the offsets.
func sgemm(m: Int, n: Int, k: Int, a: [Float], aOffset: Int, transposeA: Bool,
           b: [Float], bOffset: Int, transposeB: Bool, c: inout [Float], cOffset: Int) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        for i in 0..<m { for j in 0..<n { c[cOffset + i * n + j] = 0 } }
        return
    }
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                cblas_sgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                            blasint(m), blasint(n), blasint(k), 1,
                            pa.baseAddress! + aOffset, blasint(transposeA ? m : k),
                            pb.baseAddress! + bOffset, blasint(transposeB ? k : n),
                            0, pc.baseAddress! + cOffset, blasint(n))
            }
        }
    }
}
