import XCTest
import OVIR
@testable import Evaluator

final class SortingTests: XCTestCase {
    func testTopKMaxSortedByValueWithTiesByIndex() throws {
        // one row: 3 largest of [1, 5, 3, 5, 2]; the two 5s keep index order
        let out = try evaluate(TopK(axis: 0, mode: .max, sort: .value), [.f32([1, 5, 3, 5, 2]), .scalar(i64: 3)])
        XCTAssertEqual(out[0].dims, [3])
        XCTAssertEqual(floats(out[0]), [5, 5, 3])
        XCTAssertEqual(out[1].elementType, .i32)
        XCTAssertEqual(out[1].intValues(), [1, 3, 2])
    }

    func testTopKMinAlongAxis0SortedByIndexI64Indices() throws {
        // [4,2] along axis 0, k 2, smallest, output ordered by index
        // column 0: 4, 1, 3, 0 -> smallest 0 (idx 3), 1 (idx 1) -> by index: idx 1, 3
        // column 1: 7, 7, 2, 9 -> smallest 2 (idx 2), 7 (idx 0, lower of the tie) -> by index: idx 0, 2
        let x = Tensor.f32([4, 7, 1, 7, 3, 2, 0, 9], dims: [4, 2])
        let out = try evaluate(TopK(axis: -2, mode: .min, sort: .index, indexElementType: .i64), [x, .scalar(i64: 2)])
        XCTAssertEqual(out[0].dims, [2, 2])
        XCTAssertEqual(out[1].elementType, .i64)
        XCTAssertEqual(out[1].intValues(), [1, 0, 3, 2])
        XCTAssertEqual(floats(out[0]), [1, 7, 0, 2])
    }

    func testTopKOnIntegersAndKBeyondTheAxis() throws {
        // k larger than the axis keeps the whole axis, sorted; sort none keeps the value order
        let out = try evaluate(TopK(axis: 1, mode: .max, sort: .none), [.i64([3, -1, 8, 0, 0, -5], dims: [2, 3]), .scalar(i64: 5)])
        XCTAssertEqual(out[0].dims, [2, 3])
        XCTAssertEqual(out[0].intValues(), [8, 3, -1, 0, 0, -5])
        XCTAssertEqual(out[1].intValues(), [2, 0, 1, 0, 1, 2])
    }

    func testTopKCopiesValuesOfOtherTypes() throws {
        // i8 with negatives and u8 above 127 keep their exact values
        let i8 = try evaluate(TopK(axis: 0, mode: .max, sort: .value), [Tensor(.i8, dims: [3], values: [Int8(-3), 7, 0]), .scalar(i64: 2)])
        XCTAssertEqual(i8[0].elementType, .i8)
        XCTAssertEqual(i8[0].intValues(), [7, 0])
        XCTAssertEqual(i8[1].intValues(), [1, 2])
        let u8 = try evaluate(TopK(axis: 0, mode: .min, sort: .value), [Tensor(.u8, dims: [3], values: [UInt8(200), 3, 255]), .scalar(i64: 3)])
        XCTAssertEqual(u8[0].intValues(), [3, 200, 255])
        let f64 = try evaluate(TopK(axis: 0, mode: .max, sort: .value), [Tensor(.f64, dims: [3], values: [0.1, 0.3, 0.2]), .scalar(i64: 1)])
        XCTAssertEqual(f64[0].elements(Double.self), [0.3])
    }

    func testUniqueFlattenedSortedAndUnsorted() throws {
        let x = Tensor.f32([2, 1, 1, 3, 4, 3])
        var op = Unique()
        let s = try evaluate(op, [x])
        XCTAssertEqual(floats(s[0]), [1, 2, 3, 4])
        XCTAssertEqual(s[1].intValues(), [1, 0, 3, 4])        // first occurrences
        XCTAssertEqual(s[2].intValues(), [1, 0, 0, 2, 3, 2])  // each input element's unique value
        XCTAssertEqual(s[3].intValues(), [2, 1, 2, 1])
        op.sorted = false
        let u = try evaluate(op, [x])
        XCTAssertEqual(floats(u[0]), [2, 1, 3, 4])
        XCTAssertEqual(u[1].intValues(), [0, 1, 3, 4])
        XCTAssertEqual(u[2].intValues(), [0, 1, 1, 2, 3, 2])
        XCTAssertEqual(u[3].intValues(), [1, 2, 2, 1])
    }

    func testUniqueAlongAnAxisWithI32Indices() throws {
        // rows of [[1,0,0],[1,0,0],[2,3,4]]
        let rows = try evaluate(Unique(), [.i64([1, 0, 0, 1, 0, 0, 2, 3, 4], dims: [3, 3]), .scalar(i64: 0)])
        XCTAssertEqual(rows[0].dims, [2, 3])
        XCTAssertEqual(rows[0].intValues(), [1, 0, 0, 2, 3, 4])
        XCTAssertEqual(rows[1].intValues(), [0, 2])
        XCTAssertEqual(rows[2].intValues(), [0, 0, 1])
        XCTAssertEqual(rows[3].intValues(), [2, 1])
        // columns of [[2,1,2],[0,5,0]]: (2,0), (1,5), (2,0); sorted (1,5) < (2,0)
        var op = Unique()
        op.indexElementType = .i32
        op.countElementType = .i32
        let cols = try evaluate(op, [.i64([2, 1, 2, 0, 5, 0], dims: [2, 3]), .scalar(i64: -1)])
        XCTAssertEqual(cols[0].dims, [2, 2])
        XCTAssertEqual(cols[0].intValues(), [1, 2, 5, 0])
        XCTAssertEqual(cols[1].elementType, .i32)
        XCTAssertEqual(cols[1].intValues(), [1, 0])
        XCTAssertEqual(cols[2].intValues(), [1, 0, 1])
        XCTAssertEqual(cols[3].elementType, .i32)
        XCTAssertEqual(cols[3].intValues(), [1, 2])
    }
}
