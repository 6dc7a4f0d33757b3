import Foundation
import OVIR
import XCTest
@testable import Calibration

final class ImageDecoderTests: XCTestCase {
    private func expectedImage(_ name: String) throws -> RGBImage {
        let base = name.replacingOccurrences(of: ".png", with: "").replacingOccurrences(of: ".jpg", with: "")
        let expected = try CalibrationTestData.array(base + ".pixels.npy")
        XCTAssertEqual(expected.elementType, .u8)
        return RGBImage(width: expected.dims[1], height: expected.dims[0], pixels: expected.bytes)
    }

    /// Every kind of PNG, decoded as OpenCV's imread(IMREAD_COLOR) converts it (the expected pixels are the arrays
    /// the script wrote the files from, converted by numpy).
    func testPNGsOfEveryColourTypeDecodeToTheirRGBPixels() throws {
        for name in ["rgb_7x5.png", "gray_4x2.png", "palette_4x4.png", "rgba_3x3.png", "gray_alpha_3x2.png",
                     "gray16_3x2.png", "rgb16_2x3.png", "interlaced_10x9.png", "gray1_10x3.png"] {
            let image = try ImageDecoder().decode(fileAt: CalibrationTestData.path(name))
            XCTAssertEqual(image, try expectedImage(name), name)
        }
    }

    /// Baseline 4:2:0, progressive 4:4:4 and grayscale JPEGs decode to what Pillow decodes them to; those with an
    /// EXIF orientation (3, 5, 6) are turned upright as Pillow's ImageOps.exif_transpose turns them.
    func testJPEGsDecodeToWhatPillowDecodes() throws {
        for name in ["photo_16x12.jpg", "progressive_16x12.jpg", "gray_16x12.jpg", "exif3_16x12.jpg", "exif5_16x12.jpg", "exif6_16x12.jpg"] {
            let image = try ImageDecoder().decode(fileAt: CalibrationTestData.path(name))
            XCTAssertEqual(image, try expectedImage(name), name)
        }
    }

    func testFormatComesFromTheSignatureNotTheName() throws {
        let folder = try CalibrationTestData.temporaryFolder()
        let misnamed = folder + "/really_a_png.jpg"
        try Data(CalibrationTestData.bytes("rgb_7x5.png")).write(to: URL(fileURLWithPath: misnamed))
        XCTAssertEqual(try ImageDecoder().decode(fileAt: misnamed), try expectedImage("rgb_7x5.png"))
    }

    func testCMYKJPEGIsRefused() {
        let path = CalibrationTestData.path("cmyk_16x12.jpg")
        XCTAssertCalibrationError(try ImageDecoder().decode(fileAt: path), .unreadable, "\(path): a CMYK JPEG (convert it to RGB)")
    }

    func testTruncatedJPEGIsAnErrorNamingTheFile() throws {
        let bytes = try CalibrationTestData.bytes("photo_16x12.jpg")
        XCTAssertCalibrationError(try ImageDecoder().decode(Array(bytes.prefix(bytes.count / 2)), path: "cut.jpg"), .unreadable,
                                  "cut.jpg: damaged JPEG: Premature end of JPEG file")
        // Cut inside the header: libjpeg's error_exit (which would exit the process) returns an error instead.
        XCTAssertCalibrationError(try ImageDecoder().decode(Array(bytes.prefix(30)), path: "head.jpg"), .unreadable,
                                  "head.jpg: damaged JPEG: ")
    }

    func testDamagedJPEGMarkerIsAnError() throws {
        var bytes = try CalibrationTestData.bytes("photo_16x12.jpg")
        let sof = try XCTUnwrap(Self.markerOffset(0xC0, in: bytes))
        bytes[sof + 4] = 12  // sample precision 12 where 8 is the only one this libjpeg builds for
        XCTAssertCalibrationError(try ImageDecoder().decode(bytes, path: "p.jpg"), .unreadable, "p.jpg: damaged JPEG: Unsupported JPEG data precision 12")
    }

    func testTruncatedOrCorruptPNGIsAnErrorNamingTheFile() throws {
        let bytes = try CalibrationTestData.bytes("rgb_7x5.png")
        XCTAssertCalibrationError(try ImageDecoder().decode(Array(bytes.prefix(bytes.count - 30)), path: "cut.png"), .unreadable,
                                  "cut.png: damaged PNG: truncated file")
        let idat = try XCTUnwrap(Self.find(Array("IDAT".utf8), in: bytes))
        let length = bytes[(idat - 4)..<idat].reduce(0) { $0 << 8 | Int($1) }
        var data = bytes
        data[idat + 8] ^= 0xFF  // a byte of the compressed data: zlib finds it first (the CRC is checked after)
        XCTAssertCalibrationError(try ImageDecoder().decode(data, path: "data.png"), .unreadable, "data.png: damaged PNG: IDAT: ")
        var crc = bytes
        crc[idat + 4 + length] ^= 0xFF  // the chunk's CRC itself
        XCTAssertCalibrationError(try ImageDecoder().decode(crc, path: "crc.png"), .unreadable, "crc.png: damaged PNG: IDAT: CRC error")
    }

    func testNotAnImageIsRefused() {
        XCTAssertCalibrationError(try ImageDecoder().decode(Array("hello".utf8), path: "a.png"), .unreadable, "a.png: not a JPEG or PNG file")
        XCTAssertCalibrationError(try ImageDecoder().decode([], path: "e.jpg"), .unreadable, "e.jpg: not a JPEG or PNG file (empty)")
        XCTAssertCalibrationError(try ImageDecoder().decode(fileAt: "/nonexistent/x.jpg"), .unreadable, "/nonexistent/x.jpg: does not exist")
    }

    func testImagesOverThePixelLimitAreRefusedFromTheirHeader() throws {
        // 7x5 = 35 pixels against a limit of 34.
        XCTAssertCalibrationError(try ImageDecoder(maxPixels: 34).decode(CalibrationTestData.bytes("rgb_7x5.png"), path: "r.png"),
                                  .unreadable, "r.png: PNG of 7x5 pixels, more than the limit of 34 pixels")
        XCTAssertNoThrow(try ImageDecoder(maxPixels: 35).decode(CalibrationTestData.bytes("rgb_7x5.png"), path: "r.png"))
        // A JPEG header claiming 60000x50000 (3 gigapixels: 9 GB of RGB) with 16x12 pixels of data behind it.
        var jpeg = try CalibrationTestData.bytes("photo_16x12.jpg")
        let sof = try XCTUnwrap(Self.markerOffset(0xC0, in: jpeg))
        jpeg.replaceSubrange((sof + 5)..<(sof + 9), with: [0xC3, 0x50, 0xEA, 0x60])  // height 50000, width 60000
        XCTAssertCalibrationError(try ImageDecoder().decode(jpeg, path: "huge.jpg"), .unreadable,
                                  "huge.jpg: JPEG of 60000x50000 pixels, more than the limit of 100 megapixels")
        // A PNG header claiming 20000x20000, its CRC made right.
        var png = try CalibrationTestData.bytes("rgb_7x5.png")
        png.replaceSubrange(16..<24, with: [0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20])
        let crc = Self.crc32(Array(png[12..<29]))
        png.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        XCTAssertCalibrationError(try ImageDecoder().decode(png, path: "huge.png"), .unreadable,
                                  "huge.png: PNG of 20000x20000 pixels, more than the limit of 100 megapixels")
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    /// The offset of the first `FF code` marker.
    static func markerOffset(_ code: UInt8, in bytes: [UInt8]) -> Int? { find([0xFF, code], in: bytes) }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
