import XCTest
@testable import Calibration

final class ExifOrientationTests: XCTestCase {
    /// Stored 2 wide, 1 high: pixel A (red 1) then B (red 2).
    private let ab = RGBImage(width: 2, height: 1, pixels: [1, 0, 0, 2, 0, 0])

    private func reds(_ image: RGBImage) -> [[UInt8]] {
        (0..<image.height).map { y in (0..<image.width).map { image.pixels[(y * image.width + $0) * 3] } }
    }

    func testEachOrientationTurnsTheStoredPixelsUpright() {
        XCTAssertEqual(reds(ab.oriented(.up)), [[1, 2]])
        XCTAssertEqual(reds(ab.oriented(.mirrored)), [[2, 1]])
        XCTAssertEqual(reds(ab.oriented(.down)), [[2, 1]])
        XCTAssertEqual(reds(ab.oriented(.downMirrored)), [[1, 2]])
        // 6 (turn right, 90° clockwise): the stored left pixel goes on top.
        XCTAssertEqual(reds(ab.oriented(.right)), [[1], [2]])
        // 8 (turn left, 90° counter-clockwise): the stored right pixel goes on top.
        XCTAssertEqual(reds(ab.oriented(.left)), [[2], [1]])
        XCTAssertEqual(reds(ab.oriented(.leftMirrored)), [[1], [2]])  // 5: transpose
        XCTAssertEqual(reds(ab.oriented(.rightMirrored)), [[2], [1]])  // 7: transverse
    }

    /// A JPEG prefix: SOI, then APP1 `Exif\0\0` with a TIFF header and one IFD0 entry (tag 0x0112, SHORT, count 1).
    private func jpeg(orientation: UInt8, bigEndian: Bool) -> [UInt8] {
        let tiff: [UInt8] = bigEndian
            ? [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]
            : [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0]
        let body = Array("Exif\0\0".utf8) + tiff
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body + [0xFF, 0xDA, 0, 2]
    }

    func testOrientationIsReadFromEitherByteOrder() {
        XCTAssertEqual(ExifOrientation(jpeg: jpeg(orientation: 6, bigEndian: false)), .right)
        XCTAssertEqual(ExifOrientation(jpeg: jpeg(orientation: 8, bigEndian: true)), .left)
    }

    func testMissingOrDamagedExifMeansUp() {
        XCTAssertEqual(ExifOrientation(jpeg: [0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), .up)
        XCTAssertEqual(ExifOrientation(jpeg: jpeg(orientation: 9, bigEndian: false)), .up)  // no such orientation
        XCTAssertEqual(ExifOrientation(jpeg: Array(jpeg(orientation: 6, bigEndian: false).prefix(20))), .up)  // cut short
    }
}
