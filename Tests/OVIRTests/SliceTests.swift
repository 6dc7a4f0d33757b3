import XCTest
@testable import OVIR

final class SliceTests: XCTestCase {
    private func i64(_ v: [Int]) -> InferenceInput { InferenceInput(TensorType(.i64, .fixed([v.count])), constant: .i64(v)) }
    private let x = InferenceInput(TensorType(.f32, .fixed([5, 6, 7, 8])))

    // Expected shapes were taken from OpenVINO 2026.4.1's own shape inference.
    func testClampingNegativeStepsAndAxes() throws {
        let big = Int(Int64.max), small = Int(Int64.min)
        let shape = try Slice().inferTypes([x, i64([-100, 5, 1 << 62]), i64([100, -100, small]), i64([3, -2, -1]), i64([0, 2, 3])])[0].shape
        XCTAssertEqual(shape, .fixed([2, 6, 3, 8]))
        XCTAssertEqual(try Slice().inferTypes([x, i64([1]), i64([big]), i64([big])])[0].shape, .fixed([1, 6, 7, 8]))
    }

    func testRuntimeBoundsKeepOtherDims() throws {
        let start = InferenceInput(TensorType(.i64, .fixed([1])))
        let shape = try Slice().inferTypes([x, start, i64([4]), i64([1]), i64([-1])])[0].shape
        XCTAssertEqual(shape, .ranked([.fixed(5), .fixed(6), .fixed(7), .dynamic]))
    }

    func testZeroStepThrows() {
        XCTAssertThrowsError(try Slice().inferTypes([x, i64([0]), i64([4]), i64([0])]))
    }
}
