import XCTest
@testable import OVIR

final class StridedSliceTests: XCTestCase {
    private func i64(_ v: [Int]) -> InferenceInput { InferenceInput(TensorType(.i64, .fixed([v.count])), constant: .i64(v)) }
    private let x = InferenceInput(TensorType(.f32, .fixed([5, 6, 7, 8])))

    // Expected shapes were taken from OpenVINO 2026.4.1's own shape inference.
    func testNewAxisAndEndMaskWithNegativeStride() throws {
        var op = StridedSlice()
        op.endMask = [0, 0, 1]
        op.newAxisMask = [0, 1, 0]
        XCTAssertEqual(try op.inferTypes([x, i64([1, 0, -1]), i64([4, 0, 0]), i64([2, 1, -2])])[0].shape, .fixed([2, 1, 3, 7, 8]))
    }

    func testShrinkAndEllipsis() throws {
        var op = StridedSlice()
        op.shrinkAxisMask = [1, 0, 0]
        op.ellipsisMask = [0, 0, 1]
        XCTAssertEqual(try op.inferTypes([x, i64([0, 2, 0]), i64([0, 5, 0]), i64([1, 1, 1])])[0].shape, .fixed([3, 7, 8]))
        var leading = StridedSlice()
        leading.ellipsisMask = [1, 0]
        XCTAssertEqual(try leading.inferTypes([x, i64([0, 1]), i64([0, -1]), i64([1, 1])])[0].shape, .fixed([5, 6, 7, 6]))
    }
}
