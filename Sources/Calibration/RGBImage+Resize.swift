extension RGBImage {
    /// Bilinear resize as OpenCV's `cv2.resize(..., interpolation=cv2.INTER_LINEAR)` samples: pixel centres
    /// mapped half-pixel to half-pixel (`src = (dst + 0.5) * src_size / dst_size - 0.5`), the two nearest
    /// source pixels on each axis weighted, positions before the first or past the last pixel clamped to it, no
    /// antialiasing when shrinking; each result rounded to the nearest 8-bit value. OpenCV computes with 11-bit
    /// fixed-point weights: this sampling in float64 (the fixture script's numpy) differs from opencv-python 5.1's
    /// `cv2.resize` on random images by one level in about one value in eight, never by more.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        precondition(newWidth > 0 && newHeight > 0)
        if newWidth == width && newHeight == height { return self }
        let xs = Self.taps(from: width, to: newWidth), ys = Self.taps(from: height, to: newHeight)
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * 3)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (y, ty) in ys.enumerated() {
                    let row0 = ty.first * width * 3, row1 = ty.second * width * 3
                    for (x, tx) in xs.enumerated() {
                        let a = tx.first * 3, b = tx.second * 3, o = (y * newWidth + x) * 3
                        for c in 0..<3 {
                            let top = Float(src[row0 + a + c]) * (1 - tx.weight) + Float(src[row0 + b + c]) * tx.weight
                            let bottom = Float(src[row1 + a + c]) * (1 - tx.weight) + Float(src[row1 + b + c]) * tx.weight
                            let value = top * (1 - ty.weight) + bottom * ty.weight
                            dst[o + c] = UInt8(min(255, max(0, (value + 0.5).rounded(.down))))
                        }
                    }
                }
            }
        }
        return RGBImage(width: newWidth, height: newHeight, pixels: out)
    }

    /// For each destination index along one axis: the two source indices and the weight of the second.
    struct Tap {
        var first: Int
        var second: Int
        var weight: Float
    }

    static func taps(from source: Int, to destination: Int) -> [Tap] {
        let scale = Double(source) / Double(destination)
        return (0..<destination).map { d in
            let position = (Double(d) + 0.5) * scale - 0.5
            var first = Int(position.rounded(.down))
            var weight = Float(position - Double(first))
            if first < 0 { first = 0; weight = 0 }
            if first >= source - 1 { first = source - 1; weight = 0 }
            return Tap(first: first, second: min(first + 1, source - 1), weight: weight)
        }
    }
}
