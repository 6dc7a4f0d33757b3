import CImageShims

/// JPEG (libjpeg-turbo) and PNG (libpng) to 8-bit RGB, told apart by their signatures, not by file names.
/// Grayscale is replicated, palettes expanded, 16-bit samples cut to 8 bits and alpha dropped (as OpenCV's
/// `imread` does, which Ultralytics reads images with); a JPEG's EXIF orientation is applied, as `imread` applies it;
/// CMYK JPEGs are refused. An image of more than `maxPixels` pixels is refused from its header, before its pixels are
/// allocated.
public struct ImageDecoder: ImageDecoding {
    /// 100 megapixels: 300 MB of RGB, far past any calibration photo.
    public static let defaultMaxPixels = 100_000_000

    public var maxPixels: Int

    public init(maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        self.maxPixels = maxPixels
    }

    enum Format: String {
        case jpeg = "JPEG", png = "PNG"

        init?(signature bytes: [UInt8]) {
            if bytes.starts(with: [0xFF, 0xD8, 0xFF]) {
                self = .jpeg
            } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
                self = .png
            } else {
                return nil
            }
        }
    }

    public func decode(_ bytes: [UInt8], path: String) throws -> RGBImage {
        guard let format = Format(signature: bytes) else {
            throw CalibrationError(.unreadable, "\(path): not a JPEG or PNG file" + (bytes.isEmpty ? " (empty)" : ""))
        }
        var image = ovc_image()
        let status = bytes.withUnsafeBufferPointer { buffer in
            switch format {
            case .jpeg: return ovc_decode_jpeg(buffer.baseAddress, buffer.count, UInt64(max(0, maxPixels)), &image)
            case .png: return ovc_decode_png(buffer.baseAddress, buffer.count, UInt64(max(0, maxPixels)), &image)
            }
        }
        defer { ovc_image_free(&image) }
        let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let width = Int(image.width), height = Int(image.height)
        switch Int(status) {
        case Int(OVC_IMAGE_OK):
            let pixels = [UInt8](UnsafeBufferPointer(start: image.pixels, count: width * height * 3))
            let decoded = RGBImage(width: width, height: height, pixels: pixels)
            return format == .jpeg ? decoded.oriented(ExifOrientation(jpeg: bytes)) : decoded
        case Int(OVC_IMAGE_TOO_LARGE):
            if width == 0 || height == 0 {
                throw CalibrationError(.unreadable, "\(path): \(format.rawValue) of \(width)x\(height) pixels")
            }
            throw CalibrationError(.unreadable, "\(path): \(format.rawValue) of \(width)x\(height) pixels, more than the limit of "
                + Self.describe(pixels: maxPixels))
        case Int(OVC_IMAGE_UNSUPPORTED):
            throw CalibrationError(.unreadable, "\(path): \(message)")
        default:
            throw CalibrationError(.unreadable, "\(path): damaged \(format.rawValue): \(message)")
        }
    }

    /// `100 megapixels`, `5000 pixels`.
    static func describe(pixels: Int) -> String {
        pixels >= 1_000_000 && pixels % 1_000_000 == 0 ? "\(pixels / 1_000_000) megapixels" : "\(pixels) pixels"
    }
}
