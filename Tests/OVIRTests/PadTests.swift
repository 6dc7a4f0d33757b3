import XCTest
@testable import OVIR

final class PadTests: XCTestCase {
    private func infer(_ input: [Int], begin: [Int], end: [Int]) throws -> Shape {
        try Pad().inferTypes([InferenceInput(TensorType(.f32, .fixed(input))),
                              InferenceInput(TensorType(.i64, .fixed([begin.count])), constant: .i64(begin)),
                              InferenceInput(TensorType(.i64, .fixed([end.count])), constant: .i64(end)),
                              InferenceInput(TensorType(.f32, .fixed([])))])[0].shape
    }

    func testPadsAddAndNegativePadsCrop() throws {
        XCTAssertEqual(try infer([2, 3], begin: [1, 0], end: [1, -2]), .fixed([4, 1]))
        XCTAssertThrowsError(try infer([2, 3], begin: [0, -2], end: [0, -2]), "cropping below 0")
    }

    /// Found by the ir fuzz target (testdata/fuzz/ir/pad_sizes_overflow_dim.ir): a pad of Int.max overflowed the
    /// padded size and trapped; now it is refused.
    func testPadsThatOverflowTheSizeAreRefused() {
        XCTAssertThrowsError(try infer([2, 3], begin: [0, 1], end: [0, .max])) { error in
            XCTAssertTrue("\(error)".contains("overflow"), "\(error)")
        }
    }
}
