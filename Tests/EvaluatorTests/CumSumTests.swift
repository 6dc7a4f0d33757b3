import XCTest
import OVIR
@testable import Evaluator

final class CumSumTests: XCTestCase {
    func testExclusiveAndReverse() throws {
        let x = Tensor.f32([1, 2, 3, 4, 5])
        func run(_ exclusive: Bool, _ reverse: Bool) throws -> [Float] {
            floats(try evaluate(CumSum(exclusive: exclusive, reverse: reverse), [x, .scalar(i64: 0)])[0])
        }
        XCTAssertEqual(try run(false, false), [1, 3, 6, 10, 15])
        XCTAssertEqual(try run(true, false), [0, 1, 3, 6, 10])
        XCTAssertEqual(try run(false, true), [15, 14, 12, 9, 5])
        XCTAssertEqual(try run(true, true), [14, 12, 9, 5, 0])
    }

    func testAxesAndIntegerTypes() throws {
        // [[1,2,3],[4,5,6]] i64 along axis 1, then along axis -2
        let x = Tensor.i64([1, 2, 3, 4, 5, 6], dims: [2, 3])
        let rows = try evaluate(CumSum(), [x, .scalar(i64: 1)])[0]
        XCTAssertEqual(rows.elementType, .i64)
        XCTAssertEqual(rows.intValues(), [1, 3, 6, 4, 9, 15])
        XCTAssertEqual(try evaluate(CumSum(), [x, .i32([-2], dims: [])])[0].intValues(), [1, 2, 3, 5, 7, 9])
        // no axis input: axis 0; i32 stays i32
        let y = try evaluate(CumSum(exclusive: true, reverse: false), [.i32([1, 0, 1, 1])])[0]
        XCTAssertEqual(y.elementType, .i32)
        XCTAssertEqual(y.intValues(), [0, 1, 1, 2])
        // u8 wraps as C++ does: 200 + 100 = 300 - 256 = 44
        let u = try evaluate(CumSum(), [Tensor(.u8, dims: [2], values: [UInt8(200), 100]), .scalar(i64: 0)])[0]
        XCTAssertEqual(u.elementType, .u8)
        XCTAssertEqual(u.intValues(), [200, 44])
        // u64 above Int64.max
        let big = try evaluate(CumSum(), [Tensor(.u64, dims: [2], values: [UInt64(1) << 63, 5]), .scalar(i64: 0)])[0]
        XCTAssertEqual(big.elements(UInt64.self), [1 << 63, (1 << 63) + 5])
    }
}
