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
}
