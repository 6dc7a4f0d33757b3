/// Discrete Fourier transform of complex `data` `[..., 2]` (real and imaginary parts in the last dim) over the
/// complex axes `axes` (negative counts from the last complex axis); `signal_size` (optional, one per axis, -1 =
/// keep) crops or zero-pads each axis first and is its output length.
public struct DFT: Op {
    public static let type = "DFT"
    public static let version = "opset7"
    public init() {}
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try FourierShape.complexToComplex(inputs)
    }
}

/// The inverse of `DFT` (conjugate twiddles, divided by each axis's output length), same inputs and shapes.
public struct IDFT: Op {
    public static let type = "IDFT"
    public static let version = "opset7"
    public init() {}
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try FourierShape.complexToComplex(inputs)
    }
}

/// Discrete Fourier transform of real `data` over `axes` (negative counts from the data's rank): output
/// `[..., 2]`, the last transformed axis keeping its first `n / 2 + 1` values (the rest are their conjugates).
public struct RDFT: Op {
    public static let type = "RDFT"
    public static let version = "opset9"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let (data, axes, signal) = try FourierShape.validate(inputs, complexInput: false)
        guard var dims = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        guard let axes else {
            return [TensorType(data.elementType, .ranked(Array(repeating: .dynamic, count: dims.count) + [.fixed(2)]))]
        }
        try FourierShape.applySignalSize(signal, axes: axes, to: &dims)
        let last = axes[axes.count - 1]
        dims[last] = dims[last].value.map { .fixed($0 / 2 + 1) } ?? .dynamic
        return [TensorType(data.elementType, .ranked(dims + [.fixed(2)]))]
    }
}

/// The inverse of `RDFT`: complex `data` `[..., 2]` holding the first `n / 2 + 1` values along the last of
/// `axes`, real output of length `signal_size` there (default `2 * (m - 1)` for `m` values), conjugate symmetry
/// supplying the rest.
public struct IRDFT: Op {
    public static let type = "IRDFT"
    public static let version = "opset9"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let (data, axes, signal) = try FourierShape.validate(inputs, complexInput: true)
        guard var dims = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        dims.removeLast()
        guard let axes else { return [TensorType(data.elementType, .ranked(dims.map { _ in .dynamic }))] }
        let last = axes[axes.count - 1]
        let halfSpectrum = dims[last]
        try FourierShape.applySignalSize(signal, axes: axes, to: &dims)
        if signal == nil || signal?.values?.last == -1 {
            dims[last] = try halfSpectrum.value.map { m in
                guard m >= 1 else { throw ShapeInference.Failure("axis \(last) holds no values to invert") }
                return .fixed(2 * (m - 1))
            } ?? .dynamic
        }
        return [TensorType(data.elementType, .ranked(dims))]
    }
}

/// Input checks and output shapes shared by the Fourier ops (OpenVINO's `fft_common_validation`).
enum FourierShape {
    /// The `signal_size` input: its values when known, nil when only computed at run time.
    struct SignalSize { var values: [Int]? }

    /// Checks data, axes and signal_size; returns the axes normalized (nil when not known before run time).
    /// Complex data `[..., 2]` counts axes among its complex dims (rank - 1), real data among all of its dims.
    static func validate(_ inputs: [InferenceInput], complexInput: Bool) throws -> (TensorType, [Int]?, SignalSize?) {
        try ShapeInference.expectInputs(inputs, 2...3)
        let data = inputs[0].type, axesInput = inputs[1]
        if data.elementType != .dynamic, !data.elementType.isFloatingPoint {
            throw ShapeInference.Failure("data must be floating point, got \(data.elementType)")
        }
        for (what, input) in [("axes", axesInput)] + (inputs.count == 3 ? [("signal_size", inputs[2])] : []) {
            if input.elementType != .dynamic, !input.elementType.isInteger {
                throw ShapeInference.Failure("\(what) must be integer, got \(input.elementType)")
            }
            if let r = input.shape.rank, r != 1 { throw ShapeInference.Failure("\(what) must be 1-D, got \(input.shape)") }
        }
        let axesCount = axesInput.shape.dims?[0].value
        if inputs.count == 3, let n = axesCount, let m = inputs[2].shape.dims?[0].value, n != m {
            throw ShapeInference.Failure("axes has \(n) values, signal_size \(m)")
        }
        var axes: [Int]?
        if let rank = data.shape.rank {
            if complexInput {
                guard rank >= 2 else { throw ShapeInference.Failure("complex data must have rank 2 or more, got \(data.shape)") }
                if !data.shape.dims![rank - 1].isCompatible(with: .fixed(2)) {
                    throw ShapeInference.Failure("complex data's last dim must be 2 (real, imaginary), got \(data.shape)")
                }
            } else if rank < 1 {
                throw ShapeInference.Failure("data must have rank 1 or more")
            }
            let axisRank = complexInput ? rank - 1 : rank
            if let n = axesCount, n > axisRank {
                throw ShapeInference.Failure("\(n) axes for data \(data.shape) of \(axisRank) \(complexInput ? "complex " : "")dims")
            }
            if let values = axesInput.intValues {
                guard !values.isEmpty else { throw ShapeInference.Failure("axes is empty") }
                let normalized = try values.map { a in
                    let v = a < 0 ? a + axisRank : a
                    guard v >= 0, v < axisRank else {
                        throw ShapeInference.Failure("axis \(a) is out of range for \(axisRank) \(complexInput ? "complex " : "")dims of \(data.shape)")
                    }
                    return v
                }
                guard Set(normalized).count == normalized.count else { throw ShapeInference.Failure("axes \(values) repeat an axis") }
                axes = normalized
            }
        }
        var signal: SignalSize?
        if inputs.count == 3 {
            let values = inputs[2].intValues
            if let values {
                if let bad = values.first(where: { $0 < -1 || $0 == 0 }) {
                    throw ShapeInference.Failure("signal_size \(bad) is neither positive nor -1 (keep the axis's length)")
                }
                if let axes, values.count != axes.count {
                    throw ShapeInference.Failure("axes has \(axes.count) values, signal_size \(values.count)")
                }
            }
            signal = SignalSize(values: values)
        }
        return (data, axes, signal)
    }

    /// Output dims of the transformed axes: `signal_size` where it is not -1, unknown where it is not known.
    static func applySignalSize(_ signal: SignalSize?, axes: [Int], to dims: inout [Dim]) throws {
        guard let signal else { return }
        guard let values = signal.values else {
            for a in axes { dims[a] = .dynamic }
            return
        }
        for (a, n) in zip(axes, values) where n != -1 { dims[a] = .fixed(n) }
    }

    /// DFT and IDFT: the input's shape with `signal_size` on the axes; every complex dim unknown while the
    /// axes are. The last dim stays the input's, as OpenVINO infers it (a dynamic one stays dynamic).
    static func complexToComplex(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let (data, axes, signal) = try validate(inputs, complexInput: true)
        guard var dims = data.shape.dims else { return [data] }
        guard let axes else {
            return [TensorType(data.elementType, .ranked(Array(repeating: .dynamic, count: dims.count - 1) + [dims[dims.count - 1]]))]
        }
        try applySignalSize(signal, axes: axes, to: &dims)
        return [TensorType(data.elementType, .ranked(dims))]
    }
}
