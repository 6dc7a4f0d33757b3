/// The EXIF orientation of a JPEG (tag 0x0112 of the first IFD of its APP1 `Exif` segment): how the stored pixels
/// must be turned to be seen upright. OpenCV's `imread` applies it, so Ultralytics sees phone photos upright.
public enum ExifOrientation: Int, Sendable {
    case up = 1, mirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

    /// The orientation a JPEG's bytes record; `.up` when they record none (or a damaged one).
    public init(jpeg bytes: [UInt8]) {
        self = Self.read(bytes).flatMap(ExifOrientation.init(rawValue:)) ?? .up
    }

    private static func read(_ b: [UInt8]) -> Int? {
        // Segments from after SOI until the first scan; each FF xx with a 2-byte big-endian length.
        var at = 2
        while at + 4 <= b.count, b[at] == 0xFF {
            let marker = b[at + 1], length = Int(b[at + 2]) << 8 | Int(b[at + 3])
            if marker == 0xDA || marker == 0xD9 || length < 2 { return nil }
            let body = at + 4, end = at + 2 + length
            guard end <= b.count else { return nil }
            if marker == 0xE1, end - body >= 14, Array(b[body..<(body + 6)]) == Array("Exif\0\0".utf8) {
                return orientation(tiff: Array(b[(body + 6)..<end]))
            }
            at = end
        }
        return nil
    }

    /// Tag 0x0112 in IFD0 of a TIFF structure.
    private static func orientation(tiff t: [UInt8]) -> Int? {
        guard t.count >= 8 else { return nil }
        let little: Bool
        switch (t[0], t[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ i: Int) -> Int { little ? Int(t[i]) | Int(t[i + 1]) << 8 : Int(t[i]) << 8 | Int(t[i + 1]) }
        func u32(_ i: Int) -> Int { little ? u16(i) | u16(i + 2) << 16 : u16(i) << 16 | u16(i + 2) }
        let ifd = u32(4)
        guard ifd >= 8, ifd <= t.count - 2 else { return nil }
        let count = u16(ifd)
        for k in 0..<count {
            let entry = ifd + 2 + 12 * k
            guard entry <= t.count - 12 else { return nil }
            if u16(entry) == 0x0112, u16(entry + 2) == 3 { return u16(entry + 8) }  // SHORT, value in the entry
        }
        return nil
    }
}

extension RGBImage {
    /// The image turned as `orientation` says, to be seen upright.
    public func oriented(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .up { return self }
        let swaps = [.leftMirrored, .right, .rightMirrored, .left].contains(orientation)
        let outWidth = swaps ? height : width, outHeight = swaps ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                // The stored pixel (sx, sy) shown at (x, y).
                let (sx, sy): (Int, Int)
                switch orientation {
                case .up: (sx, sy) = (x, y)
                case .mirrored: (sx, sy) = (width - 1 - x, y)
                case .down: (sx, sy) = (width - 1 - x, height - 1 - y)
                case .downMirrored: (sx, sy) = (x, height - 1 - y)
                case .leftMirrored: (sx, sy) = (y, x)
                case .right: (sx, sy) = (y, height - 1 - x)
                case .rightMirrored: (sx, sy) = (width - 1 - y, height - 1 - x)
                case .left: (sx, sy) = (width - 1 - y, x)
                }
                let o = (y * outWidth + x) * 3, s = (sy * width + sx) * 3
                out[o] = pixels[s]
                out[o + 1] = pixels[s + 1]
                out[o + 2] = pixels[s + 2]
            }
        }
        return RGBImage(width: outWidth, height: outHeight, pixels: out)
    }
}
