import OVIR
import XCTest
@testable import Calibration

final class ImageInputLayoutTests: XCTestCase {
    private func input(_ dims: [Dim], _ type: ElementType = .f32, name: String = "images") -> CalibrationInput {
        CalibrationInput(name: name, type: TensorType(type, .ranked(dims)))
    }

    func testStaticSidesAreUsedAndDynamicOnesTakeTheSize() throws {
        XCTAssertEqual(try ImageInputLayout(inputs: [input([.fixed(1), .fixed(3), .fixed(480), .fixed(320)])], size: 640),
                       ImageInputLayout(input: "images", height: 480, width: 320))
        XCTAssertEqual(try ImageInputLayout(inputs: [input([.dynamic, .dynamic, .dynamic, .fixed(320)])], size: 256),
                       ImageInputLayout(input: "images", height: 256, width: 320))
    }

    func testModelsImagesCannotFeedAreRefusedNamingTheInput() {
        XCTAssertCalibrationError(try ImageInputLayout(inputs: [input([.fixed(1), .fixed(1), .fixed(28), .fixed(28)])], size: 640),
                                  .mismatch, "input 'images' (f32 [1,1,28,28]) has 1 channel, not 3")
        XCTAssertCalibrationError(try ImageInputLayout(inputs: [input([.fixed(4), .fixed(3), .fixed(8), .fixed(8)])], size: 640),
                                  .mismatch, "takes a batch of 4")
        XCTAssertCalibrationError(try ImageInputLayout(inputs: [input([.fixed(1), .fixed(3), .fixed(8), .fixed(8)], .f16)], size: 640),
                                  .mismatch, "is not f32")
        XCTAssertCalibrationError(try ImageInputLayout(inputs: [input([.fixed(3), .fixed(8), .fixed(8)])], size: 640),
                                  .mismatch, "is not an NCHW image batch (rank 4)")
        let two = [input([.fixed(1), .fixed(3), .fixed(8), .fixed(8)]), input([.fixed(2)], .i64, name: "sizes")]
        XCTAssertCalibrationError(try ImageInputLayout(inputs: two, size: 640), .mismatch,
                                  "images feed a model with one input; this one has 2 ('images' (f32 [1,3,8,8]), 'sizes' (i64 [2]))")
        XCTAssertCalibrationError(try ImageInputLayout(inputs: [input([.dynamic, .dynamic, .dynamic, .dynamic])], size: 0),
                                  .badOptions, "image size 0 is not 1 to 65536")
    }
}
