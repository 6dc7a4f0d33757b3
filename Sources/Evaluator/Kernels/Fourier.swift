import Foundation
import OVIR

// The Fourier ops as OpenVINO's reference computes them, in Double: complex values are a trailing dim of 2 (real,
// imaginary). Each transformed axis is first cropped or zero-padded to its output length (signal_size), then
// transformed: y[k] = Σ x[j]·e^(∓2πi·jk/n), the inverse with the + sign and divided by n; a power-of-two n by
// radix-2 FFT, any other n by the O(n²) sum.
// Transforms along different axes commute, so a multi-axis transform runs one axis at a time.
// RDFT is DFT of the real input keeping the first n/2 + 1 values along its last axis; IRDFT inverts the other
// axes, rebuilds the last one's full spectrum from conjugate symmetry (value j at n - j conjugated; bins the input
// lacks are 0), inverts it and keeps the real part. STFT-15 is RDFT of windowed frames.

let fourierKernels: [String: Kernel] = [
    DFT.type: { try complexTransform($0, inverse: false) },
    IDFT.type: { try complexTransform($0, inverse: true) },
    RDFT.type: rdft,
    IRDFT.type: irdft,
    STFT.type: stft,
]

/// Complex values, split into real and imaginary parts, laid out row-major over `dims`.
struct ComplexValues {
    var re: [Double]
    var im: [Double]
    var dims: [Int]

    /// Interleaved `[..., 2]` values as complex values over the dims before the last.
    init(interleaved values: [Double], dims: [Int]) {
        let n = values.count / 2
        re = (0..<n).map { values[2 * $0] }
        im = (0..<n).map { values[2 * $0 + 1] }
        self.dims = Array(dims.dropLast())
    }

    init(re: [Double], im: [Double], dims: [Int]) {
        (self.re, self.im, self.dims) = (re, im, dims)
    }

    /// The values interleaved again, as `[..., 2]`.
    var interleaved: [Double] {
        var out = [Double](repeating: 0, count: 2 * re.count)
        for i in re.indices {
            out[2 * i] = re[i]
            out[2 * i + 1] = im[i]
        }
        return out
    }

    /// The 1-D transform along `axis` after cropping or zero-padding it to `length`; only the first `keep`
    /// outputs (default all) are computed and kept. The inverse divides by `length`. A length that is not a power of
    /// two is summed directly (O(n²) per column), so a transform that would take more than `directSumLimit`
    /// multiply-adds is refused rather than hanging a conversion that folds it.
    static let directSumLimit = 1 << 31

    func transformed(axis: Int, length n: Int, keep: Int? = nil, inverse: Bool) throws -> ComplexValues {
        let m = dims[axis], kept = keep ?? n
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *)
        var outDims = dims
        outDims[axis] = kept
        let total = outer * kept * inner
        var re = [Double](repeating: 0, count: total), im = [Double](repeating: 0, count: total)
        // The transform of an empty signal is zero.
        guard total > 0, n > 0 else { return ComplexValues(re: re, im: im, dims: outDims) }
        // e^(-2πi·t/n) for t = jk mod n; the inverse conjugates it.
        let sign: Double = inverse ? 1 : -1
        let cosines = (0..<n).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        let sines = (0..<n).map { sign * sin(2 * Double.pi * Double($0) / Double(n)) }
        let used = min(m, n), scale = inverse ? 1 / Double(n) : 1
        let radix2 = n & (n - 1) == 0
        if !radix2 {
            let (work, overflow) = (outer * inner).multipliedReportingOverflow(by: kept.multipliedReportingOverflow(by: used).partialValue)
            guard !overflow, work <= Self.directSumLimit else {
                throw KernelError("a transform of length \(n) (not a power of two) over \(outer * inner) columns is too large to sum directly")
            }
        }
        var columnRe = [Double](repeating: 0, count: radix2 ? n : used), columnIm = columnRe
        for o in 0..<outer {
            for i in 0..<inner {
                for j in 0..<used {
                    columnRe[j] = self.re[(o * m + j) * inner + i]
                    columnIm[j] = self.im[(o * m + j) * inner + i]
                }
                if radix2 {
                    for j in used..<n { (columnRe[j], columnIm[j]) = (0, 0) }
                    fftRadix2(&columnRe, &columnIm, cosines: cosines, sines: sines)
                    for k in 0..<kept {
                        re[(o * kept + k) * inner + i] = columnRe[k] * scale
                        im[(o * kept + k) * inner + i] = columnIm[k] * scale
                    }
                    continue
                }
                for k in 0..<kept {
                    var sumRe = 0.0, sumIm = 0.0
                    for j in 0..<used {
                        let t = (j * k) % n
                        let (c, s) = (cosines[t], sines[t])
                        sumRe += columnRe[j] * c - columnIm[j] * s
                        sumIm += columnRe[j] * s + columnIm[j] * c
                    }
                    re[(o * kept + k) * inner + i] = sumRe * scale
                    im[(o * kept + k) * inner + i] = sumIm * scale
                }
            }
        }
        return ComplexValues(re: re, im: im, dims: outDims)
    }
}

/// The unscaled DFT of `re` + i·`im` (a power-of-two count n) in place: iterative radix-2 decimation in time.
/// `cosines[t]`, `sines[t]` are the real and imaginary parts of the twiddle e^(∓2πi·t/n).
private func fftRadix2(_ re: inout [Double], _ im: inout [Double], cosines: [Double], sines: [Double]) {
    let n = re.count
    var j = 0
    for i in 1..<max(n, 1) {
        var bit = n >> 1
        while j & bit != 0 {
            j ^= bit
            bit >>= 1
        }
        j |= bit
        if i < j {
            re.swapAt(i, j)
            im.swapAt(i, j)
        }
    }
    var length = 2
    while length <= n {
        let half = length / 2, step = n / length
        for start in stride(from: 0, to: n, by: length) {
            for k in 0..<half {
                let (c, s) = (cosines[k * step], sines[k * step])
                let a = start + k, b = a + half
                let tRe = re[b] * c - im[b] * s, tIm = re[b] * s + im[b] * c
                (re[b], im[b]) = (re[a] - tRe, im[a] - tIm)
                (re[a], im[a]) = (re[a] + tRe, im[a] + tIm)
            }
        }
        length *= 2
    }
}

/// The axes input normalized against `rank` (the complex rank for complex data).
private func fourierAxes(_ ctx: KernelContext, rank: Int) throws -> [Int] {
    try ctx.inputs[1].ints("axes").map { try ShapeInference.axis($0, rank: rank) }
}

/// DFT-7 and IDFT-7: the output lengths are the inferred output dims (signal_size where given).
private func complexTransform(_ ctx: KernelContext, inverse: Bool) throws -> [Tensor] {
    let outDims = try ctx.outputDims0()
    let data = ctx.inputs[0]
    var values = ComplexValues(interleaved: try data.doubles("data"), dims: data.dims)
    for axis in try fourierAxes(ctx, rank: data.dims.count - 1) {
        values = try values.transformed(axis: axis, length: outDims[axis], inverse: inverse)
    }
    return [Tensor.floatResult(values.interleaved, dims: outDims, of: data.elementType)]
}

/// RDFT-9: the last axis's full length is its signal_size (or input length); the output keeps n/2 + 1 of it.
private func rdft(_ ctx: KernelContext) throws -> [Tensor] {
    let outDims = try ctx.outputDims0()
    let data = ctx.inputs[0]
    let axes = try fourierAxes(ctx, rank: data.dims.count)
    let real = try data.doubles("data")
    var values = ComplexValues(re: real, im: [Double](repeating: 0, count: real.count), dims: data.dims)
    let last = axes[axes.count - 1]
    var lastLength = data.dims[last]
    if ctx.inputs.count == 3, let n = try ctx.inputs[2].ints("signal_size").last, n != -1 { lastLength = n }
    for axis in axes.dropLast() {
        values = try values.transformed(axis: axis, length: outDims[axis], inverse: false)
    }
    values = try values.transformed(axis: last, length: lastLength, keep: lastLength / 2 + 1, inverse: false)
    return [Tensor.floatResult(values.interleaved, dims: outDims, of: data.elementType)]
}

/// IRDFT-9: inverse transforms of the other axes, then the last axis's spectrum of n = output length completed
/// by conjugate symmetry (bins 0...n/2 from the input, zero past its end; bin n - j the conjugate of bin j) and
/// inverted; the output is the real part.
private func irdft(_ ctx: KernelContext) throws -> [Tensor] {
    let outDims = try ctx.outputDims0()
    let data = ctx.inputs[0]
    let axes = try fourierAxes(ctx, rank: data.dims.count - 1)
    var values = ComplexValues(interleaved: try data.doubles("data"), dims: data.dims)
    let last = axes[axes.count - 1]
    for axis in axes.dropLast() {
        values = try values.transformed(axis: axis, length: outDims[axis], inverse: true)
    }
    let n = outDims[last], m = values.dims[last]
    let outer = values.dims[..<last].reduce(1, *), inner = values.dims[(last + 1)...].reduce(1, *)
    var fullDims = values.dims
    fullDims[last] = n
    var full = ComplexValues(re: [Double](repeating: 0, count: outer * n * inner),
                             im: [Double](repeating: 0, count: outer * n * inner), dims: fullDims)
    for o in 0..<outer {
        for i in 0..<inner {
            for j in 0..<min(n / 2 + 1, m) {
                let source = (o * m + j) * inner + i
                full.re[(o * n + j) * inner + i] = values.re[source]
                full.im[(o * n + j) * inner + i] = values.im[source]
                if j > 0, n - j > n / 2 {
                    full.re[(o * n + n - j) * inner + i] = values.re[source]
                    full.im[(o * n + n - j) * inner + i] = -values.im[source]
                }
            }
        }
    }
    let result = try full.transformed(axis: last, length: n, inverse: true)
    return [Tensor.floatResult(result.re, dims: outDims, of: data.elementType)]
}

/// STFT-15: frame f of batch b is signal[b, f·step ..< f·step + frame_size] times the window centered in the frame
/// (offset (frame_size - window_length) / 2), transformed as RDFT; frames-major unless transpose_frames.
private func stft(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(STFT.self)
    let outDims = try ctx.outputDims0()
    let signal = ctx.inputs[0], window = try ctx.inputs[1].doubles("window")
    guard let frameSize = try ctx.inputs[2].ints("frame_size").first, let frameStep = try ctx.inputs[3].ints("frame_step").first else {
        throw KernelError("frame_size and frame_step must each hold one value")
    }
    let samples = try signal.doubles("signal")
    let length = signal.dims[signal.dims.count - 1], batch = signal.dims.dropLast().reduce(1, *)
    let bins = frameSize / 2 + 1
    let frames = op.transposeFrames ? outDims[outDims.count - 2] : outDims[outDims.count - 3]
    var padded = [Double](repeating: 0, count: frameSize)
    let offset = (frameSize - window.count) / 2
    for (k, w) in window.enumerated() { padded[offset + k] = w }
    var out = [Double](repeating: 0, count: batch * frames * bins * 2)
    for b in 0..<batch {
        for f in 0..<frames {
            let start = b * length + f * frameStep
            let frame = (0..<frameSize).map { samples[start + $0] * padded[$0] }
            let spectrum = try ComplexValues(re: frame, im: [Double](repeating: 0, count: frameSize), dims: [frameSize])
                .transformed(axis: 0, length: frameSize, keep: bins, inverse: false)
            for k in 0..<bins {
                let at = op.transposeFrames ? (b * bins + k) * frames + f : (b * frames + f) * bins + k
                out[2 * at] = spectrum.re[k]
                out[2 * at + 1] = spectrum.im[k]
            }
        }
    }
    return [Tensor.floatResult(out, dims: outDims, of: signal.elementType)]
}
