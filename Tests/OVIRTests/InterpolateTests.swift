import XCTest
@testable import OVIR

final class InterpolateTests: XCTestCase {
    private let data = InferenceInput(TensorType(.f32, .fixed([1, 3, 5, 7])))

    func testScalesTruncateWithEpsilon() throws {
        var op = Interpolate()
        op.shapeCalculationMode = .scales
        let scales = InferenceInput(TensorType(.f32, .fixed([4])), constant: .f32([1, 1, 0.6, 2.5]))
        XCTAssertEqual(try op.inferTypes([data, scales])[0].shape, .fixed([1, 3, 3, 17]))
    }

    func testSizesOnAxes() throws {
        let sizes = InferenceInput(TensorType(.i64, .fixed([2])), constant: .i64([10, 2]))
        let axes = InferenceInput(TensorType(.i64, .fixed([2])), constant: .i64([3, 2]))
        XCTAssertEqual(try Interpolate().inferTypes([data, sizes, axes])[0].shape, .fixed([1, 3, 2, 10]))
    }

    func testRuntimeSizesMakeResizedAxesDynamic() throws {
        let sizes = InferenceInput(TensorType(.i64, .fixed([2])))
        let axes = InferenceInput(TensorType(.i64, .fixed([2])), constant: .i64([2, 3]))
        XCTAssertEqual(try Interpolate().inferTypes([data, sizes, axes])[0].shape,
                       .ranked([.fixed(1), .fixed(3), .dynamic, .dynamic]))
    }

    func testAxisOutOfRangeThrows() {
        let sizes = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([4]))
        let axes = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([4]))
        XCTAssertThrowsError(try Interpolate().inferTypes([data, sizes, axes]))
    }
}
