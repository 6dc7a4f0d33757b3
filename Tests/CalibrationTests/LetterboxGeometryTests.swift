import XCTest
@testable import Calibration

final class LetterboxGeometryTests: XCTestCase {
    func testWideImageIsPaddedTopAndBottomWithTheOddRowAtTheBottom() {
        // r = min(4/5, 4/7) = 4/7: 7x5 -> 4 x round(2.857) = 4x3; pad 1 row: top round(0.4) = 0, bottom 1.
        XCTAssertEqual(LetterboxGeometry(imageWidth: 7, imageHeight: 5, targetWidth: 4, targetHeight: 4),
                       LetterboxGeometry(width: 4, height: 3, left: 0, top: 0))
    }

    func testSizesRoundHalfToEvenAsPythonDoes() {
        // r = 0.5: 10x5 -> 5 x round(2.5) = 5x2 (half-up would give 3); pad 3: top round(1.4) = 1, bottom 2.
        XCTAssertEqual(LetterboxGeometry(imageWidth: 10, imageHeight: 5, targetWidth: 5, targetHeight: 5),
                       LetterboxGeometry(width: 5, height: 2, left: 0, top: 1))
    }

    func testTallImageIsCentredHorizontallyAndUpscaled() {
        // r = min(640/480, 640/270)... a 270x480 (WxH) portrait into 640x640: r = 4/3, 360x640, pad 280 = 140 + 140.
        XCTAssertEqual(LetterboxGeometry(imageWidth: 270, imageHeight: 480, targetWidth: 640, targetHeight: 640),
                       LetterboxGeometry(width: 360, height: 640, left: 140, top: 0))
    }

    func testAnExtremeAspectKeepsAtLeastOnePixel() {
        // round(1 * 640/10000) = 0 would be no image at all.
        XCTAssertEqual(LetterboxGeometry(imageWidth: 1, imageHeight: 10000, targetWidth: 640, targetHeight: 640),
                       LetterboxGeometry(width: 1, height: 640, left: 319, top: 0))
    }
}
