import OVIR

// DFT (17: axis attribute; 20: axis input) and STFT (17) as OpenVINO's Fourier ops. ONNX puts complex values in a
// trailing dim of 2 and real ones in a trailing dim of 1, and counts the axis among all dims; OpenVINO's DFT, IDFT
// and IRDFT count axes among the complex dims, RDFT among the real input's. A DFT axis a of a rank-r input is the
// same dim for all of them once it is non-negative (a mod r, as ONNX allows [-r, -2] and [0, r - 2]).
//   inverse=0 onesided=1: RDFT of the real input (trailing 1 squeezed);
//   inverse=0 onesided=0: of a real input, RDFT completed by conjugate symmetry (bin n - k = conj(bin k)); of a
//                         complex one, DFT;
//   inverse=1 onesided=0: IDFT (a real input padded with zero imaginary parts);
//   inverse=1 onesided=1: IRDFT of the complex half spectrum, then the trailing 1 put back (numpy's irfft).
// dft_length is signal_size. Measured on OpenVINO's CPU plugin: its DFT of a real signal misses the Nyquist bin's
// zero imaginary part by 2e-4 on test_dft (its RDFT by 1e-13), hence RDFT for real inputs; it refuses an RDFT
// signal_size above the input's length and computes garbage for an IRDFT one needing more bins than the input
// holds, so for a constant dft_length on a known axis those are zero-padded explicitly first (the same values by
// the ops' definition), on an axis of unknown length resized at run time as below; it cannot compile RDFT or IRDFT with run-time axes, so a run-time axis (opset 20's axis
// input) is swapped with axis r - 2 by a Transpose before and after, and the ops see the constant r - 2. Nor with
// a run-time signal_size: for a dft_length computed at run time the real input is padded or cropped to it (a Pad
// of run-time, possibly negative, pads) before RDFT, and IRFFT becomes the half spectrum resized to n / 2 + 1
// bins, completed by conjugate symmetry, IDFT, real part.
extension TranslatorTable {
    static let signal: [TranslatorEntry] = [
        TranslatorEntry("DFT", since: 17, translateDFT),
        TranslatorEntry("STFT", since: 17, translateSTFT),
    ]
}

private func translateDFT(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let rank = try ctx.rank(of: x, atLeast: 2)
    // nil: not known before run time; the onesided transforms then take the input ONNX allows them (real for
    // RFFT, complex for IRFFT) and the others pad it to complex at run time.
    let trailing = x.shape.dims?[rank - 1].value
    if let trailing, trailing != 1, trailing != 2 {
        throw ctx.error("input \(x.shape) must end in a dim of 1 (real) or 2 (complex)")
    }
    let inverse = ctx.int("inverse", 0) != 0, onesided = ctx.int("onesided", 0) != 0
    if onesided, inverse, trailing == 1 {
        throw ctx.error("inverse=1 with onesided=1 (IRFFT) takes a complex half spectrum ([..., 2]), got a real input \(x.shape)")
    }
    if onesided, !inverse, trailing == 2 {
        throw ctx.error("onesided=1 (RFFT) takes a real input ([..., 1]), got a complex one \(x.shape)")
    }

    // dft_length as signal_size; nil when not given.
    var length: Int?
    var signalSize: Output?
    if let l = try ctx.optionalInput(1) {
        if let v = l.constant?.intValues() {
            guard v.count == 1, v[0] > 0 else { throw ctx.error("dft_length must be one positive integer, got \(v)") }
            length = v[0]
            signalSize = try ctx.i64(v, "signalSize")
        } else {
            signalSize = try ctx.add(Reshape(specialZero: false), [l, ctx.i64([1], "signalSize/shape")], "signalSize")
        }
    }

    let axisInput = ctx.opset >= 20 ? try ctx.optionalInput(2) : nil
    if let axisInput, axisInput.constant == nil {
        // A run-time axis: swap it with r - 2 on the way in and out (a swap is its own inverse).
        guard axisInput.shape.rank.map({ $0 <= 1 }) ?? true else { throw ctx.error("axis must be a scalar, got \(axisInput.shape)") }
        var a = axisInput.elementType == .i64 ? axisInput : try ctx.add(Convert(.i64), [axisInput], "axis/i64")
        if a.shape.rank != 0 { a = try ctx.add(Reshape(specialZero: false), [a, ctx.i64([], "axis/shape")], "axis/scalar") }
        a = try ctx.add(FloorMod(), [a, ctx.scalarI64(rank, "axis/rank")], "axis/mod")
        let index = try ctx.i64(Array(0..<rank), "swap/index"), fixed = try ctx.scalarI64(rank - 2, "swap/fixed")
        let other = try ctx.add(Select(), [ctx.add(Equal(), [index, fixed], "swap/isFixed"), a, index], "swap/other")
        let perm = try ctx.add(Select(), [ctx.add(Equal(), [index, a], "swap/isAxis"), fixed, other], "swap/perm")
        let swapped = try ctx.add(Transpose(), [x, perm], "swap/in")
        let y = try dft(ctx, swapped, rank: rank, axis: rank - 2, length: length, signalSize: signalSize,
                        inverse: inverse, onesided: onesided, trailing: trailing, suffix: "swapped")
        return [try ctx.add(Transpose(), [y, perm])]
    }
    let given: Int
    if let axisInput {
        guard let v = axisInput.constant?.intValues(), v.count == 1 else { throw ctx.error("axis must hold one integer") }
        given = v[0]
    } else {
        given = ctx.int("axis", ctx.opset >= 20 ? -2 : 1)
    }
    guard (given >= -rank && given <= -2) || (given >= 0 && given <= rank - 2) else {
        throw ctx.error("axis \(given) is out of range for rank \(rank) (the last dim holds the real and imaginary parts)")
    }
    return [try dft(ctx, x, rank: rank, axis: (given + rank) % rank, length: length, signalSize: signalSize,
                    inverse: inverse, onesided: onesided, trailing: trailing, suffix: nil)]
}

/// The ONNX DFT of `x` (rank `rank`, trailing dim `trailing` when known) along the non-negative `axis`; the last node is
/// named `suffix` (nil: the ONNX node's name).
private func dft(_ ctx: NodeContext, _ x: Output, rank: Int, axis: Int, length: Int?, signalSize: Output?,
                 inverse: Bool, onesided: Bool, trailing: Int?, suffix: String?) throws -> Output {
    let axes = try ctx.i64([axis], "axes")
    let signal = signalSize.map { [$0] } ?? []
    let axisDim = x.shape.dims?[axis].value

    /// `v` zero-padded at the end of `axis` to `count` when that is longer than the input's static dim.
    func padded(_ v: Output, to count: Int, _ name: String) throws -> Output? {
        guard let n = axisDim, n < count, let r = v.shape.rank else { return nil }
        var end = Array(repeating: 0, count: r)
        end[axis] = count - n
        return try ctx.add(Pad(mode: .constant), [v, ctx.i64(Array(repeating: 0, count: r), "\(name)/begin"),
                                                  ctx.i64(end, "\(name)/end")], name)
    }
    /// dft_length as one i64 when the onesided transforms must resize to it at run time: it is computed, or the
    /// axis's length is (nil when not given, or when both are constant).
    let runtimeLength: Output? = try length != nil && axisDim != nil ? nil : signalSize.map { n in
        n.elementType == .i64 ? n : try ctx.add(Convert(.i64), [n], "signalSize/i64")
    }
    /// `v` zero-padded or cropped at the end of `axis` to the run-time `count` (one i64).
    func resized(_ v: Output, to count: Output, _ name: String) throws -> Output {
        guard let r = v.shape.rank else { throw ctx.error("input rank must be known") }
        let current = try ctx.add(Gather(), [ctx.add(ShapeOf(), [v], "\(name)/shapeOf"), ctx.i64([axis], "\(name)/index"),
                                             ctx.scalarI64(0, "\(name)/gatherAxis")], "\(name)/length")
        let change = try ctx.add(Subtract(), [count, current], "\(name)/change")
        let end = try ctx.add(Concat(axis: 0), [ctx.i64(Array(repeating: 0, count: axis), "\(name)/before"), change,
                                                ctx.i64(Array(repeating: 0, count: r - axis - 1), "\(name)/after")], "\(name)/end")
        return try ctx.add(Pad(mode: .constant), [v, ctx.i64(Array(repeating: 0, count: r), "\(name)/begin"), end], name)
    }
    /// The half spectrum of the real input, as RDFT computes it.
    func halfSpectrum(_ name: String?) throws -> Output {
        let real = try ctx.add(Squeeze(), [x, ctx.i64([rank - 1], "real/axis")], "real")
        if let n = length, let p = try padded(real, to: n, "padded") { return try ctx.add(RDFT(), [p, axes], name) }
        if let n = runtimeLength { return try ctx.add(RDFT(), [resized(real, to: n, "resized"), axes], name) }
        return try ctx.add(RDFT(), [real, axes] + signal, name)
    }

    switch (inverse, onesided) {
    case (false, true):
        return try halfSpectrum(suffix)
    case (true, true):
        if let n = runtimeLength {
            // n / 2 + 1 bins completed by conjugate symmetry, IDFT, real part (IRDFT needs the odd or even n).
            let bins = try ctx.add(Add(), [ctx.add(Divide(), [n, ctx.i64([2], "bins/two")], "bins/half"), ctx.i64([1], "bins/one")], "bins")
            let full = try withConjugateMirror(ctx, resized(x, to: bins, "resized"), axis: axis, length: n, like: x, suffix: "full")
            let y = try ctx.add(IDFT(), [full, axes], "idft")
            return try ctx.add(Slice(), [y, ctx.i64([0], "real/start"), ctx.i64([1], "real/stop"), ctx.i64([1], "real/step"),
                                         ctx.i64([rank - 1], "real/axes")], suffix)
        }
        var spectrum = x
        if let n = length, let p = try padded(x, to: n / 2 + 1, "padded") { spectrum = p }
        let y = try ctx.add(IRDFT(), [spectrum, axes] + signal, "irdft")
        return try ctx.add(Unsqueeze(), [y, ctx.i64([rank - 1], "unsqueeze/axis")], suffix)
    case (false, false) where trailing == 1:
        let n: Output
        if let count = length ?? (signalSize == nil ? axisDim : nil) {
            n = try ctx.i64([count], "mirror/length")
        } else {
            // n at run time: dft_length, else the axis's length.
            n = try runtimeLength ?? ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "mirror/shapeOf"), ctx.i64([axis], "mirror/index"),
                                                     ctx.scalarI64(0, "mirror/gatherAxis")], "mirror/length")
        }
        return try withConjugateMirror(ctx, halfSpectrum("half"), axis: axis, length: n, like: x, suffix: suffix)
    default:
        // Zero imaginary parts for a real input: 2 - (last dim) zeros at the end of the last dim.
        var complex = x
        if trailing != 2 {
            let end: Output
            if trailing == 1 {
                end = try ctx.i64(Array(repeating: 0, count: rank - 1) + [1], "complex/end")
            } else {
                let last = try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "complex/shapeOf"), ctx.i64([rank - 1], "complex/index"),
                                                  ctx.scalarI64(0, "complex/gatherAxis")], "complex/last")
                let missing = try ctx.add(Subtract(), [ctx.i64([2], "complex/two"), last], "complex/missing")
                end = try ctx.add(Concat(axis: 0), [ctx.i64(Array(repeating: 0, count: rank - 1), "complex/kept"), missing], "complex/end")
            }
            complex = try ctx.add(Pad(mode: .constant), [x, ctx.i64(Array(repeating: 0, count: rank), "complex/begin"), end], "complex")
        }
        return try ctx.add(inverse ? IDFT() as any Op : DFT(), [complex, axes] + signal, suffix)
    }
}

/// A real signal's half spectrum `half` (bins 0...n/2 along `axis`) completed to all n bins: bins n/2+1 ..< n are
/// the conjugates of bins n - n/2 - 1 down to 1. `length` holds n (one integer, constant or computed).
private func withConjugateMirror(_ ctx: NodeContext, _ half: Output, axis: Int, length: Output, like x: Output,
                                 suffix: String?) throws -> Output {
    let start: Output
    if let n = length.constant?.intValues()?.first {
        start = try ctx.i64([n - n / 2 - 1], "mirror/start")
    } else {
        let n = length.elementType == .i64 ? length : try ctx.add(Convert(.i64), [length], "mirror/lengthI64")
        let halfN = try ctx.add(Divide(), [n, ctx.i64([2], "mirror/two")], "mirror/halfLength")
        start = try ctx.add(Subtract(), [try ctx.add(Subtract(), [n, halfN], "mirror/upper"), ctx.i64([1], "mirror/one")], "mirror/start")
    }
    let axes = try ctx.i64([axis], "mirror/axis")
    let mirror = try ctx.add(Slice(), [half, start, ctx.i64([0], "mirror/stop"), ctx.i64([-1], "mirror/step"), axes], "mirror")
    let conjugate = try ctx.add(Multiply(), [mirror, ctx.floatConstant([1, -1], dims: [2], like: x, "conjugate/signs")], "conjugate")
    return try ctx.add(Concat(axis: axis), [half, conjugate], suffix)
}

/// ONNX STFT as STFT-15 on the real signal `[batch, length]`: frames-major output `[batch, frames, bins, 2]`, with
/// onesided=0 all frame_length bins by conjugate symmetry. frame_length defaults to the window's length, then to the
/// signal's; a missing window is all ones.
private func translateSTFT(_ ctx: NodeContext) throws -> [Output] {
    let signal = try ctx.input(0), step = try ctx.input(1)
    let window = try ctx.optionalInput(2), frameLength = try ctx.optionalInput(3)
    guard let dims = signal.shape.dims, dims.count == 3 else {
        throw ctx.error("signal must be 3-D [batch, length, 1 or 2], got \(signal.shape)")
    }
    // A last dim known only at run time is taken as real: onesided output (the default, and all STFT-15 gives)
    // is defined for real signals only.
    guard dims[2].value ?? 1 == 1 else {
        throw ctx.error("signal \(signal.shape) is not real ([batch, length, 1]): OpenVINO's STFT-15 transforms real signals only")
    }
    let real = try ctx.add(Squeeze(), [signal, ctx.i64([2], "real/axis")], "real")

    /// An ONNX scalar input (rank 0, or one value of rank 1) as a scalar.
    func scalar(_ v: Output, _ suffix: String) throws -> Output {
        if v.shape.rank == 0 { return v }
        return try ctx.add(Reshape(specialZero: false), [v, ctx.i64([], "\(suffix)/shape")], suffix)
    }
    /// Dim `axis` of `v`: a Const when static, else read from its shape at run time.
    func dim(_ v: Output, _ axis: Int, _ suffix: String) throws -> Output {
        if let n = v.shape.dims?[axis].value { return try ctx.scalarI64(n, suffix) }
        let shape = try ctx.add(ShapeOf(), [v], "\(suffix)/shapeOf")
        return try ctx.add(Gather(), [shape, ctx.scalarI64(axis, "\(suffix)/index"), ctx.scalarI64(0, "\(suffix)/axis")], suffix)
    }

    let frameSize: Output
    if let frameLength {
        frameSize = try scalar(frameLength, "frameSize")
        if let w = window?.shape.dims?.first?.value, let n = frameLength.constant?.intValues()?.first, w != n {
            throw ctx.error("window has \(w) values but frame_length is \(n); ONNX requires them equal")
        }
    } else if let window {
        frameSize = try dim(window, 0, "frameSize")
    } else {
        frameSize = try dim(signal, 1, "frameSize")
    }
    if let n = frameSize.constant?.intValues()?.first, n <= 0 { throw ctx.error("frame_length \(n) must be positive") }
    let weights: Output
    if let window {
        weights = window
    } else {
        // Ones of frame_length, broadcast rather than written out (folding makes them a Const when they are small).
        let shape = try ctx.add(Reshape(specialZero: false), [frameSize, ctx.i64([1], "window/shape")], "window/length")
        weights = try ctx.add(Broadcast(), [ctx.scalar(1, like: signal, "window/one"), shape], "window")
    }
    let inputs = [real, weights, frameSize, try scalar(step, "frameStep")]
    guard ctx.int("onesided", 1) == 0 else { return [try ctx.add(STFT(transposeFrames: false), inputs)] }
    // onesided=0: the bins past frame_length / 2 by conjugate symmetry.
    let half = try ctx.add(STFT(transposeFrames: false), inputs, "half")
    let n = try frameSize.constant?.intValues().map { try ctx.i64($0, "frameLength") }
        ?? ctx.add(Reshape(specialZero: false), [frameSize, ctx.i64([1], "frameLength/shape")], "frameLength")
    return [try withConjugateMirror(ctx, half, axis: 2, length: n, like: signal, suffix: nil)]
}
