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

    func testConvertFloatToIntegersTruncatesTowardZero() throws {
        let x = Tensor.f32([2.7, -2.7, 0.5, -0.5, 3, 1e20, -1e20, .nan])
        let i64 = try evaluate(Convert(.i64), [x])[0]
        XCTAssertEqual(i64.elementType, .i64)
        XCTAssertEqual(i64.intValues(), [2, -2, 0, 0, 3, Int(Int64.max), Int(Int64.min), 0])
        let i32 = try evaluate(Convert(.i32), [x])[0]
        XCTAssertEqual(i32.intValues(), [2, -2, 0, 0, 3, Int(Int32.max), Int(Int32.min), 0])
        // u8 saturates at 0 and 255; i8 at -128 and 127
        let u8 = try evaluate(Convert(.u8), [.f32([3.9, 300, -5, 255])])[0]
        XCTAssertEqual(u8.elementType, .u8)
        XCTAssertEqual(u8.intValues(), [3, 255, 0, 255])
        let i8 = try evaluate(Convert(.i8), [.f32([-3.9, 300, -300])])[0]
        XCTAssertEqual(i8.intValues(), [-3, 127, -128])
    }

    func testConvertToBooleanAndBack() throws {
        let b = try evaluate(Convert(.boolean), [.f32([0, -0.0, 0.1, -3, .nan])])[0]
        XCTAssertEqual(b.elementType, .boolean)
        XCTAssertEqual(b.elements(UInt8.self), [0, 0, 1, 1, 1])
        let bi = try evaluate(Convert(.boolean), [.i64([0, 5, -1])])[0]
        XCTAssertEqual(bi.elements(UInt8.self), [0, 1, 1])
        let f = try evaluate(Convert(.f32), [.boolean([true, false, true])])[0]
        XCTAssertEqual(floats(f), [1, 0, 1])
        XCTAssertEqual(try evaluate(Convert(.i32), [.boolean([false, true])])[0].intValues(), [0, 1])
    }

    func testConvertBetweenIntegersAndToFloat() throws {
        // i64 -> f32, i32 -> i64 widening, i64 -> i32 wrapping like a C++ cast, u8 -> f32
        XCTAssertEqual(floats(try evaluate(Convert(.f32), [.i64([-7, 0, 1 << 20])])[0]), [-7, 0, 1_048_576])
        let w = try evaluate(Convert(.i64), [.i32([-1, 2_000_000_000])])[0]
        XCTAssertEqual(w.elementType, .i64)
        XCTAssertEqual(w.intValues(), [-1, 2_000_000_000])
        XCTAssertEqual(try evaluate(Convert(.i32), [.i64([(1 << 32) + 5, -1])])[0].intValues(), [5, -1])
        let u8 = Tensor(.u8, dims: [3], bytes: [0, 128, 255])
        XCTAssertEqual(floats(try evaluate(Convert(.f32), [u8])[0]), [0, 128, 255])
        let i8 = Tensor(.i8, dims: [2], bytes: [0xFF, 0x80])
        XCTAssertEqual(try evaluate(Convert(.i64), [i8])[0].intValues(), [-1, -128])
        // f32 -> f32 is a copy; an unsupported destination is a clear error
        XCTAssertEqual(floats(try evaluate(Convert(.f32), [.f32([1.5])])[0]), [1.5])
        XCTAssertThrowsError(try evaluate(Convert(.f16), [.f32([1])])) { error in
            XCTAssertTrue("\(error)".contains("conversion to f16"), "\(error)")
        }
    }

    func testSelectBroadcastsAllThree() throws {
        // cond [2,1], then [3], else scalar -> [2,3]
        let y = try evaluate(Select(), [.boolean([true, false], dims: [2, 1]), .f32([1, 2, 3]), .f32([-1], dims: [])])[0]
        XCTAssertEqual(y.dims, [2, 3])
        XCTAssertEqual(floats(y), [1, 2, 3, -1, -1, -1])
        // cond [3], then [2,1] i64, else [2,3] i64
        let z = try evaluate(Select(), [.boolean([true, false, true]), .i64([10, 20], dims: [2, 1]),
                                        .i64([1, 2, 3, 4, 5, 6], dims: [2, 3])])[0]
        XCTAssertEqual(z.dims, [2, 3])
        XCTAssertEqual(z.intValues(), [10, 2, 10, 20, 5, 20])
    }
}
