import OVIR

/// How an image becomes a model input: resized to the input's height and width (letterboxed or stretched),
/// then each channel `(pixel - mean) / scale` with pixels 0…255, as an NCHW f32 tensor of batch 1. The default is
/// the Ultralytics way: letterbox with padding 114, RGB, mean 0, scale 255 (×1/255). Mean and scale follow
/// OpenVINO's `mean_values`/`scale_values`: in pixel units, one value for all channels or one per channel, in
/// the order of the tensor's channels (B, G, R when `bgr`).
public struct Preprocessing: Sendable, Equatable {
    public enum Resize: String, Sendable, CaseIterable {
        /// Keep the aspect ratio, pad the rest (`LetterboxGeometry`).
        case letterbox
        /// Scale each axis to fit exactly.
        case stretch
    }

    public var resize: Resize
    public var mean: [Float]
    public var scale: [Float]
    /// Channels in B, G, R order instead of R, G, B.
    public var bgr: Bool
    /// The letterbox padding's value on every channel, before mean and scale.
    public var padValue: UInt8

    /// Refuses a mean or scale that is not 1 or 3 finite values, or a scale of 0.
    public init(resize: Resize = .letterbox, mean: [Float] = [0], scale: [Float] = [255], bgr: Bool = false, padValue: UInt8 = 114) throws {
        for (name, values) in [("mean", mean), ("scale", scale)] {
            guard values.count == 1 || values.count == 3 else {
                throw CalibrationError(.badOptions, "\(name) takes 1 value or 3 (one per channel), not \(values.count)")
            }
            guard values.allSatisfy(\.isFinite) else { throw CalibrationError(.badOptions, "\(name) must be finite numbers") }
        }
        guard !scale.contains(0) else { throw CalibrationError(.badOptions, "scale must not be 0") }
        self.resize = resize
        self.mean = mean
        self.scale = scale
        self.bgr = bgr
        self.padValue = padValue
    }

    /// Ultralytics' preprocessing: letterbox, pad 114, RGB, ×1/255.
    public static let ultralytics = try! Preprocessing()

    /// The image resized and padded to `width`×`height`, still 8-bit RGB.
    public func resized(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        switch resize {
        case .stretch:
            return image.resized(width: width, height: height)
        case .letterbox:
            let box = LetterboxGeometry(imageWidth: image.width, imageHeight: image.height, targetWidth: width, targetHeight: height)
            let scaled = image.resized(width: box.width, height: box.height)
            var canvas = RGBImage(width: width, height: height, filledWith: padValue)
            for y in 0..<box.height {
                let from = y * box.width * 3, to = ((box.top + y) * width + box.left) * 3
                canvas.pixels.replaceSubrange(to..<(to + box.width * 3), with: scaled.pixels[from..<(from + box.width * 3)])
            }
            return canvas
        }
    }

    /// The `[1, 3, height, width]` f32 tensor of `image`.
    public func tensor(from image: RGBImage, width: Int, height: Int) -> Tensor {
        let pixels = resized(image, width: width, height: height).pixels
        let plane = width * height
        var values = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            let source = bgr ? 2 - c : c
            let m = mean.count == 3 ? mean[c] : mean[0], s = scale.count == 3 ? scale[c] : scale[0]
            for i in 0..<plane { values[c * plane + i] = (Float(pixels[i * 3 + source]) - m) / s }
        }
        return .f32(values, dims: [1, 3, height, width])
    }
}
