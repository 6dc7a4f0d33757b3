/// Short-time Fourier transform of a real `signal` `[length]` or `[batch, length]`: frames of `frame_size`
/// samples every `frame_step`, each multiplied by `window` (`[window_length]`, centered in the frame and
/// zero-padded when shorter) and transformed as RDFT does. Output `[batch?, frames, frame_size / 2 + 1, 2]`, or
/// `[batch?, frame_size / 2 + 1, frames, 2]` with `transpose_frames`; frames = (length - frame_size) / frame_step + 1.
public struct STFT: Op {
    public static let type = "STFT"
    public static let version = "opset15"
    public var transposeFrames = false
    public static var fields: [AttributeField<Self>] { [.init("transpose_frames", \.transposeFrames)] }
    public init() {}
    public init(transposeFrames: Bool) { self.transposeFrames = transposeFrames }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 4...4)
        let signal = inputs[0].type, window = inputs[1].type
        if signal.elementType != .dynamic, !signal.elementType.isFloatingPoint {
            throw ShapeInference.Failure("signal must be floating point, got \(signal.elementType)")
        }
        if let r = signal.shape.rank, r != 1, r != 2 {
            throw ShapeInference.Failure("signal must be 1-D [length] or 2-D [batch, length], got \(signal.shape)")
        }
        if let r = window.shape.rank, r != 1 { throw ShapeInference.Failure("window must be 1-D, got \(window.shape)") }
        for (what, input) in [("frame_size", inputs[2]), ("frame_step", inputs[3])] {
            if input.elementType != .dynamic, !input.elementType.isInteger {
                throw ShapeInference.Failure("\(what) must be integer, got \(input.elementType)")
            }
            if let r = input.shape.rank, r != 0 { throw ShapeInference.Failure("\(what) must be a scalar, got \(input.shape)") }
        }
        guard let dims = signal.shape.dims else { return [TensorType(signal.elementType, .dynamicRank)] }
        let batch = Array(dims.dropLast()), length = dims[dims.count - 1]
        guard let frameSize = inputs[2].intValues?.first, let frameStep = inputs[3].intValues?.first else {
            return [TensorType(signal.elementType, .ranked(batch + [.dynamic, .dynamic, .fixed(2)]))]
        }
        guard frameSize > 0 else { throw ShapeInference.Failure("frame_size \(frameSize) must be positive") }
        guard frameStep > 0 else { throw ShapeInference.Failure("frame_step \(frameStep) must be positive") }
        if let n = length.value, frameSize > n {
            throw ShapeInference.Failure("frame_size \(frameSize) is longer than the signal (\(n) samples)")
        }
        if let w = window.shape.dims?[0].value, w < 1 || w > frameSize {
            throw ShapeInference.Failure("window length \(w) must be in 1...\(frameSize) (frame_size)")
        }
        let frames: Dim = length.value.map { .fixed(($0 - frameSize) / frameStep + 1) } ?? .dynamic
        let bins = Dim.fixed(frameSize / 2 + 1)
        return [TensorType(signal.elementType, .ranked(batch + (transposeFrames ? [bins, frames] : [frames, bins]) + [.fixed(2)]))]
    }
}
