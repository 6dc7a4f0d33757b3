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

    func testIntegerReductionsWrapAndTruncate() throws {
        // u8: 200 + 100 = 300 - 256; i8: 16 · 16 = 256 wraps to 0
        let u8 = try evaluate(ReduceSum(keepDims: false), [Tensor(.u8, dims: [2], bytes: [200, 100]), .i64([0])])[0]
        XCTAssertEqual(u8.elementType, .u8)
        XCTAssertEqual(u8.intValues(), [44])
        XCTAssertEqual(try evaluate(ReduceProd(keepDims: false), [Tensor(.i8, dims: [2], values: [Int8(16), 16]), .i64([0])])[0].intValues(), [0])
        // means truncate toward zero: 3/2 -> 1, -3/2 -> -1
        let mean = try evaluate(ReduceMean(keepDims: false), [.i64([1, 2, -1, -2], dims: [2, 2]), .i64([1])])[0]
        XCTAssertEqual(mean.intValues(), [1, -1])
        // √(3² + 4²) = 5; √(1 + 1) truncates to 1
        XCTAssertEqual(try evaluate(ReduceL2(keepDims: false), [.i32([3, 4, 1, 1], dims: [2, 2]), .i64([1])])[0].intValues(), [5, 1])
        XCTAssertEqual(try evaluate(ReduceL1(keepDims: false), [.i32([-3, 4]), .i64([0])])[0].intValues(), [7])
        // u64 maximum keeps 2⁶³ above 1
        let big = Tensor(.u64, dims: [2], values: [UInt64(1) << 63, 1])
        XCTAssertEqual(try evaluate(ReduceMax(keepDims: false), [big, .i64([0])])[0].elements(UInt64.self), [1 << 63])
        XCTAssertEqual(try evaluate(ReduceMin(keepDims: true), [big, .i64([0])])[0].elements(UInt64.self), [1])
    }

    func testEmptyReductionsGiveTheIdentity() throws {
        // [2,0] over axis 1: sums 0, products 1, maxima the lowest value, minima the highest
        let empty = Tensor.f32([], dims: [2, 0])
        XCTAssertEqual(floats(try evaluate(ReduceSum(keepDims: false), [empty, .i64([1])])[0]), [0, 0])
        XCTAssertEqual(floats(try evaluate(ReduceProd(keepDims: false), [empty, .i64([1])])[0]), [1, 1])
        XCTAssertEqual(floats(try evaluate(ReduceMax(keepDims: false), [empty, .i64([1])])[0]), [-.infinity, -.infinity])
        let u8 = Tensor(.u8, dims: [2, 0], bytes: [])
        XCTAssertEqual(try evaluate(ReduceMax(keepDims: false), [u8, .i64([1])])[0].intValues(), [0, 0])
        XCTAssertEqual(try evaluate(ReduceMin(keepDims: false), [u8, .i64([1])])[0].intValues(), [255, 255])
        XCTAssertEqual(try evaluate(ReduceMax(keepDims: false), [Tensor.i32([], dims: [1, 0]), .i64([1])])[0].intValues(), [Int(Int32.min)])
    }

    func testFloatWidthsKeepTheirType() throws {
        // f64 sums in Double: 0.1 + 0.2 is 0.30000000000000004
        let d = try evaluate(ReduceSum(keepDims: false), [Tensor(.f64, dims: [2], values: [0.1, 0.2]), .i64([0])])[0]
        XCTAssertEqual(d.elementType, .f64)
        XCTAssertEqual(d.elements(Double.self), [0.30000000000000004])
        // f16 mean of 1 and 2 is 1.5
        let h = try evaluate(ReduceMean(keepDims: false), [Tensor(.f16, dims: [2], values: [Float16(1), 2]), .i64([0])])[0]
        XCTAssertEqual(h.elementType, .f16)
        XCTAssertEqual(h.elements(Float16.self), [1.5])
    }

    func testLogicalReductions() throws {
        // rows [T, F] and [T, T]
        let x = Tensor.boolean([true, false, true, true], dims: [2, 2])
        XCTAssertEqual(try evaluate(ReduceLogicalAnd(keepDims: false), [x, .i64([1])])[0].intValues(), [0, 1])
        XCTAssertEqual(try evaluate(ReduceLogicalOr(keepDims: false), [x, .i64([1])])[0].intValues(), [1, 1])
        XCTAssertEqual(try evaluate(ReduceLogicalAnd(keepDims: true), [x, .i64([0])])[0].intValues(), [1, 0])
        XCTAssertThrowsError(try evaluate(ReduceLogicalOr(keepDims: false), [.f32([1]), .i64([0])]))
    }
}
