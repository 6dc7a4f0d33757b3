import OVIR

/// The one model input that images feed, and the size they are resized to: an f32 input of shape
/// `[1, 3, H, W]` (batch and channels may be dynamic; a dynamic H or W takes the size given).
public struct ImageInputLayout: Sendable, Equatable {
    public var input: String
    public var height: Int
    public var width: Int

    public init(input: String, height: Int, width: Int) {
        self.input = input
        self.height = height
        self.width = width
    }

    /// Refuses models that images cannot feed, naming the input and what it takes.
    public init(inputs: [CalibrationInput], size: Int) throws {
        guard inputs.count == 1, let only = inputs.first else {
            throw CalibrationError(.mismatch, "images feed a model with one input; this one has \(inputs.count)"
                + (inputs.isEmpty ? "" : " (\(inputs.map(\.described).joined(separator: ", ")))")
                + ": give .npz files holding one array per input")
        }
        guard (1...65536).contains(size) else { throw CalibrationError(.badOptions, "image size \(size) is not 1 to 65536") }
        func fail(_ why: String) -> CalibrationError { CalibrationError(.mismatch, "input \(only.described) \(why)") }
        guard only.type.elementType == .f32 else {
            throw fail("is not f32: images feed f32 inputs; give .npy/.npz arrays of \(only.type.elementType)")
        }
        guard let dims = only.type.shape.dims, dims.count == 4 else {
            throw fail("is not an NCHW image batch (rank 4): give .npy/.npz arrays")
        }
        if let channels = dims[1].value, channels != 3 {
            throw fail("has \(channels) channel\(channels == 1 ? "" : "s"), not 3: images feed 3-channel (RGB/BGR) inputs")
        }
        if let batch = dims[0].value, batch != 1 {
            throw fail("takes a batch of \(batch); an image is a sample of batch 1: give .npz arrays")
        }
        func side(_ dim: Dim) throws -> Int {
            guard let value = dim.value else { return size }
            guard value > 0 else { throw fail("has an empty side") }
            return value
        }
        self.init(input: only.name, height: try side(dims[2]), width: try side(dims[3]))
    }
}
