import OVIR
import XCTest
@testable import Calibration

final class PreprocessingTests: XCTestCase {
    private func rgb7x5() throws -> RGBImage { try ImageDecoder().decode(fileAt: CalibrationTestData.path("rgb_7x5.png")) }

    /// The fixture script's tensors (numpy: Ultralytics' LetterBox with a cv2.INTER_LINEAR resize, /255): the
    /// resize may round one 8-bit level differently, no more.
    func testUltralyticsLetterboxMatchesTheReference() throws {
        let image = try rgb7x5()
        for (name, height, width) in [("letterbox_7x5_to_4x4", 4, 4), ("letterbox_7x5_to_16x16", 16, 16), ("letterbox_7x5_to_8x12", 8, 12)] {
            let tensor = Preprocessing.ultralytics.tensor(from: image, width: width, height: height)
            let expected = try CalibrationTestData.array(name + ".npy")
            XCTAssertEqual(tensor.elementType, .f32)
            XCTAssertLessThanOrEqual(maxDifference(tensor, expected), 1.0001 / 255, name)
        }
    }

    func testStretchMatchesTheReference() throws {
        let stretch = try Preprocessing(resize: .stretch)
        let tensor = stretch.tensor(from: try rgb7x5(), width: 9, height: 6)
        XCTAssertLessThanOrEqual(maxDifference(tensor, try CalibrationTestData.array("stretch_7x5_to_6x9.npy")), 1.0001 / 255)
    }

    func testBGRWithMeanAndScaleMatchesTheReference() throws {
        let imagenet = try Preprocessing(mean: [103.53, 116.28, 123.675], scale: [57.375, 57.12, 58.395], bgr: true)
        let tensor = imagenet.tensor(from: try rgb7x5(), width: 4, height: 4)
        let expected = try CalibrationTestData.array("letterbox_7x5_to_4x4_bgr_imagenet.npy")
        XCTAssertLessThanOrEqual(maxDifference(tensor, expected), 1.0001 / 57.12)
    }

    func testPaddingRowsHold114AndTheImageRowsItsPixels() throws {
        // A 4x2 image into 4x4: no resize, one row of padding above and below.
        let image = RGBImage(width: 4, height: 2, pixels: (0..<24).map { UInt8($0 * 10) })
        let tensor = Preprocessing.ultralytics.tensor(from: image, width: 4, height: 4)
        XCTAssertEqual(tensor.dims, [1, 3, 4, 4])
        let values = try XCTUnwrap(tensor.doubleValues()).map { Float($0) }
        let pad = Float(114) / 255
        // Channel 0 (R): row 0 padding, rows 1-2 pixels 0, 30, 60, ... (every third byte), row 3 padding.
        XCTAssertEqual(Array(values[0..<16]), [pad, pad, pad, pad] + [0, 30, 60, 90, 120, 150, 180, 210].map { Float($0) / 255 } + [pad, pad, pad, pad])
        // Channel 2 (B) starts at byte 2: 20, 50, ...
        XCTAssertEqual(values[32 + 4], Float(20) / 255)
    }

    func testMeanAndScaleMustBeOneOrThreeFiniteNonZeroValues() {
        XCTAssertCalibrationError(try Preprocessing(mean: [1, 2]), .badOptions, "mean takes 1 value or 3 (one per channel), not 2")
        XCTAssertCalibrationError(try Preprocessing(scale: [1, 0, 1]), .badOptions, "scale must not be 0")
        XCTAssertCalibrationError(try Preprocessing(scale: [.nan]), .badOptions, "scale must be finite numbers")
    }
}
