import XCTest
import OVIR
@testable import Evaluator

final class ScatterTests: XCTestCase {
    func testScatterUpdate() throws {
        // rows 2 and 0 of a zero [3,2] take the update rows
        let a = try evaluate(ScatterUpdate(), [.f32([0, 0, 0, 0, 0, 0], dims: [3, 2]), .i64([2, 0]),
                                               .f32([1, 2, 3, 4], dims: [2, 2]), .scalar(i64: 0)])[0]
        XCTAssertEqual(floats(a), [3, 4, 0, 0, 1, 2])
        // axis 1 of an i64 [2,3] at index -1 (the last column); updates [2,1]
        let b = try evaluate(ScatterUpdate(), [.i64([1, 2, 3, 4, 5, 6], dims: [2, 3]), .i64([-1]),
                                               .i64([9, 8], dims: [2, 1]), .scalar(i64: 1)])[0]
        XCTAssertEqual(b.intValues(), [1, 2, 9, 4, 5, 8])
        // 2-D indices [1,1] along axis 0: updates [1,1,2]
        let c = try evaluate(ScatterUpdate(), [.i32([0, 0, 0, 0], dims: [2, 2]), .i64([1], dims: [1, 1]),
                                               .i32([7, 8], dims: [1, 1, 2]), .scalar(i64: 0)])[0]
        XCTAssertEqual(c.intValues(), [0, 0, 7, 8])
    }

    func testScatterElementsUpdateOverwrites() throws {
        // [[1,2,3,4,5]], axis 1 at 1 and 3
        let a = try evaluate(ScatterElementsUpdate(), [.f32([1, 2, 3, 4, 5], dims: [1, 5]), .i64([1, 3], dims: [1, 2]),
                                                       .f32([1.1, 2.1], dims: [1, 2]), .scalar(i64: 1)])[0]
        XCTAssertEqual(floats(a), [1, 1.1, 3, 2.1, 5])
        // axis 0 on zeros [3,3]: out[idx[i][j]][j] = upd[i][j]; a negative index counts from the end
        let b = try evaluate(ScatterElementsUpdate(), [.i64(Array(repeating: 0, count: 9), dims: [3, 3]),
                                                       .i64([1, 0, 2, 0, -1, 1], dims: [2, 3]),
                                                       .i64([1, 2, 3, 4, 5, 6], dims: [2, 3]), .scalar(i64: 0)])[0]
        XCTAssertEqual(b.intValues(), [4, 2, 0,
                                       1, 0, 6,
                                       0, 5, 3])
    }

    func testScatterElementsUpdateReductions() throws {
        // data [1,2,3,4,5]; updates 1.1 and 2.1 both land on index 1
        func run(_ reduction: ScatterElementsUpdate.Reduction, useInitVal: Bool = true) throws -> [Float] {
            var op = ScatterElementsUpdate(reduction: reduction)
            op.useInitVal = useInitVal
            return floats(try evaluate(op, [.f32([1, 2, 3, 4, 5]), .i64([1, 1]), .f32([1.1, 2.1]), .scalar(i64: 0)])[0])
        }
        assertClose(try run(.sum), [1, 5.2, 3, 4, 5])          // 2 + 1.1 + 2.1
        assertClose(try run(.prod), [1, 4.62, 3, 4, 5])        // 2 · 1.1 · 2.1
        assertClose(try run(.min), [1, 1.1, 3, 4, 5])
        assertClose(try run(.max), [1, 2.1, 3, 4, 5])
        assertClose(try run(.mean), [1, 5.2 / 3, 3, 4, 5])     // (2 + 1.1 + 2.1) / 3
        assertClose(try run(.mean, useInitVal: false), [1, 1.6, 3, 4, 5])  // (1.1 + 2.1) / 2
        assertClose(try run(.sum, useInitVal: false), [1, 3.2, 3, 4, 5])
        assertClose(try run(.max, useInitVal: false), [1, 2.1, 3, 4, 5])
        // integer mean truncates toward zero: (4 + 5 - 7) / 3 = 0.67 -> 0 and (4 - 5 - 7) / 3 = -2.67 -> -2
        var mean = ScatterElementsUpdate(reduction: .mean)
        mean.useInitVal = false
        let i = try evaluate(mean, [.i64([1, 1, 10]), .i64([1, 1, 1, 0, 0, 0]), .i64([4, 5, -7, 4, -5, -7]), .scalar(i64: 0)])[0]
        XCTAssertEqual(i.elementType, .i64)
        XCTAssertEqual(i.intValues(), [-2, 0, 10])
    }

    func testScatterNDUpdate() throws {
        // elements 4, 3, 1, 7 of [1..8]
        let a = try evaluate(ScatterNDUpdate(), [.f32([1, 2, 3, 4, 5, 6, 7, 8]), .i64([4, 3, 1, 7], dims: [4, 1]), .f32([9, 10, 11, 12])])[0]
        XCTAssertEqual(floats(a), [1, 11, 3, 10, 9, 6, 7, 12])
        // a row slice of a [2,2] i32, and a full coordinate with a negative index
        let b = try evaluate(ScatterNDUpdate(), [.i32([0, 0, 0, 0], dims: [2, 2]), .i64([1], dims: [1, 1]), .i32([5, 6], dims: [1, 2])])[0]
        XCTAssertEqual(b.intValues(), [0, 0, 5, 6])
        let c = try evaluate(ScatterNDUpdate(), [.i32([0, 0, 0, 0], dims: [2, 2]), .i64([-1, 0], dims: [1, 2]), .i32([7])])[0]
        XCTAssertEqual(c.intValues(), [0, 0, 7, 0])
    }

    func testScatterNDUpdateReductions() throws {
        // data [1,2,3,4]; 10 and 20 land on index 1, 5 on index -1 (3)
        func run(_ reduction: ScatterNDUpdate.Reduction) throws -> [Int] {
            try evaluate(ScatterNDUpdate(reduction: reduction), [.i64([1, 2, 3, 4]), .i64([1, 1, -1], dims: [3, 1]), .i64([10, 20, 5])])[0].intValues()!
        }
        XCTAssertEqual(try run(.sum), [1, 32, 3, 9])
        XCTAssertEqual(try run(.sub), [1, -28, 3, -1])
        XCTAssertEqual(try run(.prod), [1, 400, 3, 20])
        XCTAssertEqual(try run(.min), [1, 2, 3, 4])
        XCTAssertEqual(try run(.max), [1, 20, 3, 5])
        let f = try evaluate(ScatterNDUpdate(reduction: .sum), [.f32([1, 2]), .i64([0, 0], dims: [2, 1]), .f32([0.5, 0.25])])[0]
        XCTAssertEqual(floats(f), [1.75, 2])
    }
}
