import XCTest
import OVIR
@testable import Evaluator

final class ElementwiseTests: XCTestCase {
    func testAddBroadcastsRowAndColumn() throws {
        // [2,3] + [3]: each row gets 10, 20, 30
        let a = try evaluate(Add(), [.f32([1, 2, 3, 4, 5, 6], dims: [2, 3]), .f32([10, 20, 30], dims: [3])])[0]
        XCTAssertEqual(a.dims, [2, 3])
        XCTAssertEqual(floats(a), [11, 22, 33, 14, 25, 36])
        // [2,1] + [1,3] -> [2,3] outer sum
        let b = try evaluate(Add(), [.f32([1, 2], dims: [2, 1]), .f32([10, 20, 30], dims: [1, 3])])[0]
        XCTAssertEqual(b.dims, [2, 3])
        XCTAssertEqual(floats(b), [11, 21, 31, 12, 22, 32])
        // scalar on the left, [1,2,1,2] against [2,1]: rank extension on both sides
        let c = try evaluate(Subtract(), [.f32([100], dims: []), .f32([1, 2], dims: [2])])[0]
        XCTAssertEqual(floats(c), [99, 98])
        let d = try evaluate(Multiply(), [.f32([1, 2, 3, 4], dims: [1, 2, 1, 2]), .f32([10, 100], dims: [2, 1])])[0]
        XCTAssertEqual(d.dims, [1, 2, 2, 2])
        XCTAssertEqual(floats(d), [10, 20, 100, 200, 30, 40, 300, 400])
    }

    func testIncompatibleShapesFail() {
        XCTAssertThrowsError(try broadcastBinary([Float](repeating: 0, count: 2), [2], [Float](repeating: 0, count: 3), [3], mode: .numpy, +))
        XCTAssertThrowsError(try broadcastBinary([Float](repeating: 0, count: 2), [2], [Float](repeating: 0, count: 1), [1], mode: .none, +))
    }

    func testDivideFloatsAndIntegers() throws {
        XCTAssertEqual(floats(try evaluate(Divide(), [.f32([1, -3], dims: [2]), .f32([4, 2], dims: [2])])[0]), [0.25, -1.5])
        let python = try evaluate(Divide(pythonDivision: true), [.i64([7, -7, 7, -7, 6]), .i64([2, 2, -2, -2, 3])])[0]
        XCTAssertEqual(python.elementType, .i64)
        XCTAssertEqual(python.intValues(), [3, -4, -4, 3, 2])
        let c = try evaluate(Divide(pythonDivision: false), [.i32([7, -7, 7, -7]), .i32([2, 2, -2, -2])])[0]
        XCTAssertEqual(c.elementType, .i32)
        XCTAssertEqual(c.intValues(), [3, -3, -3, 3])
        XCTAssertThrowsError(try evaluate(Divide(), [.i64([1]), .i64([0])])) { XCTAssertTrue("\($0)".contains("division by zero")) }
    }

    func testIntegerArithmeticForShapes() throws {
        XCTAssertEqual(try evaluate(Add(), [.i64([1, 2, 3]), .i64([10], dims: [1])])[0].intValues(), [11, 12, 13])
        XCTAssertEqual(try evaluate(Multiply(), [.i32([2, 3]), .i32([4, 5])])[0].intValues(), [8, 15])
        XCTAssertEqual(try evaluate(Maximum(), [.i64([1, 5]), .i64([3, 3])])[0].intValues(), [3, 5])
        XCTAssertEqual(try evaluate(Power(), [.i64([2, 3]), .i64([10, 0])])[0].intValues(), [1024, 1])
        XCTAssertEqual(floats(try evaluate(Power(), [.f32([2, 9]), .f32([3, 0.5])])[0]), [8, 3])
    }

    func testComparisonsGiveBooleans() throws {
        let g = try evaluate(Greater(), [.f32([1, 2, 3]), .f32([2], dims: [])])[0]
        XCTAssertEqual(g.elementType, .boolean)
        XCTAssertEqual(g.intValues(), [0, 0, 1])
        XCTAssertEqual(try evaluate(Equal(), [.i64([1, 2, 3]), .i64([3, 2, 1])])[0].intValues(), [0, 1, 0])
        XCTAssertEqual(try evaluate(LessEqual(), [.i32([1, 2, 3]), .i32([2, 2, 2])])[0].intValues(), [1, 1, 0])
        XCTAssertEqual(try evaluate(LogicalAnd(), [.boolean([true, true, false]), .boolean([true, false, false])])[0].intValues(), [1, 0, 0])
        XCTAssertEqual(try evaluate(LogicalNot(), [.boolean([true, false])])[0].intValues(), [0, 1])
    }

    func testUnaryValues() throws {
        let x = Tensor.f32([-2, 0, 3])
        assertClose(floats(try evaluate(Sigmoid(), [x])[0]), [0.11920292, 0.5, 0.95257413])
        XCTAssertEqual(floats(try evaluate(Relu(), [x])[0]), [0, 0, 3])
        assertClose(floats(try evaluate(Exp(), [x])[0]), [0.13533528, 1, 20.085537])
        XCTAssertEqual(floats(try evaluate(HSigmoid(), [x])[0]), [1.0 / 6, 0.5, 1])
        XCTAssertEqual(floats(try evaluate(Clamp(min: -1, max: 1), [x])[0]), [-1, 0, 1])
        // swish with beta 1 is x · sigmoid(x)
        assertClose(floats(try evaluate(Swish(), [x])[0]), [-2 * 0.11920292, 0, 3 * 0.95257413])
        assertClose(floats(try evaluate(Swish(), [x, .f32([2], dims: [])])[0]), [-2 / (1 + exp(4)), 0, 3 / (1 + exp(-6))])
    }
}
