import XCTest
@testable import Calibration

final class RGBImageResizeTests: XCTestCase {
    /// A 2x1 image of one channel's values (the other two zero).
    private func row(_ values: [UInt8]) -> RGBImage {
        RGBImage(width: values.count, height: 1, pixels: values.flatMap { [$0, 0, 0] })
    }

    private func red(_ image: RGBImage) -> [UInt8] { stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] } }

    func testUpscalingSamplesHalfPixelCentresAndClampsAtTheEdges() {
        // Destination x samples source (x + 0.5) / 2 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        // 255 * 0.25 = 63.75 -> 64, 255 * 0.75 = 191.25 -> 191.
        XCTAssertEqual(red(row([0, 255]).resized(width: 4, height: 1)), [0, 64, 191, 255])
    }

    func testDownscalingTakesTwoTapsWithoutAntialiasing() {
        // Destination x samples source 2x + 0.5: the mean of pixels 0,1 and of 2,3; (30 + 41) / 2 = 35.5 -> 36.
        XCTAssertEqual(red(row([10, 20, 30, 41]).resized(width: 2, height: 1)), [15, 36])
        // 3 -> 1 samples source 1 exactly: the neighbours have no weight.
        XCTAssertEqual(red(row([0, 200, 0]).resized(width: 1, height: 1)), [200])
    }

    func testVerticalAxisAndChannelsAreInterpolatedAlike() {
        let column = RGBImage(width: 1, height: 2, pixels: [0, 100, 200, 255, 0, 100])
        let tall = column.resized(width: 1, height: 4)
        // Rows sample 0 (clamped), 0.25, 0.75, 1: channel R 0 -> 255 gives 0, 63.75, 191.25, 255.
        XCTAssertEqual(tall.pixels, [0, 100, 200, 64, 75, 175, 191, 25, 125, 255, 0, 100])
    }

    func testSameSizeIsTheImageItself() {
        let image = row([1, 2, 3])
        XCTAssertEqual(image.resized(width: 3, height: 1), image)
    }
}
