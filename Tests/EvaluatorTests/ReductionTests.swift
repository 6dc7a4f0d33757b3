import XCTest
import OVIR
@testable import Evaluator

final class ReductionTests: XCTestCase {
    func testReduceMeanOverSpatialAxesKeepingDims() throws {
        // [1,2,2,2]: channel means of 0...3 and 4...7
        let y = try evaluate(ReduceMean(keepDims: true), [iota([1, 2, 2, 2]), .i64([2, 3])])[0]
        XCTAssertEqual(y.dims, [1, 2, 1, 1])
        XCTAssertEqual(floats(y), [1.5, 5.5])
        let z = try evaluate(ReduceMean(keepDims: false), [iota([1, 2, 2, 2]), .i64([-1])])[0]
        XCTAssertEqual(z.dims, [1, 2, 2])
        XCTAssertEqual(floats(z), [0.5, 2.5, 4.5, 6.5])
    }

    func testOtherReductions() throws {
        let x = Tensor.f32([1, -2, 3, -4, 5, -6], dims: [2, 3])
        XCTAssertEqual(floats(try evaluate(ReduceSum(keepDims: false), [x, .i64([0])])[0]), [-3, 3, -3])
        XCTAssertEqual(floats(try evaluate(ReduceMax(keepDims: false), [x, .i64([1])])[0]), [3, 5])
        XCTAssertEqual(floats(try evaluate(ReduceMin(keepDims: false), [x, .i64([0, 1])])[0]), [-6])
        XCTAssertEqual(floats(try evaluate(ReduceProd(keepDims: false), [x, .i64([1])])[0]), [-6, 120])
        XCTAssertEqual(floats(try evaluate(ReduceL1(keepDims: false), [x, .i64([1])])[0]), [6, 15])
        assertClose(floats(try evaluate(ReduceL2(keepDims: false), [x, .i64([1])])[0]), [Float(14).squareRoot(), Float(77).squareRoot()])
    }
}
