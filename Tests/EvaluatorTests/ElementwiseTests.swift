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

    func testIntegerArithmeticWrapsAtTheDeclaredWidth() throws {
        // i8: 100 + 100 = 200 - 256; u8: 250 + 10 = 260 - 256 and 3 - 5 = 256 - 2
        XCTAssertEqual(try evaluate(Add(), [Tensor(.i8, dims: [1], values: [Int8(100)]), Tensor(.i8, dims: [1], values: [Int8(100)])])[0].intValues(), [-56])
        let u8 = try evaluate(Add(), [Tensor(.u8, dims: [1], bytes: [250]), Tensor(.u8, dims: [1], bytes: [10])])[0]
        XCTAssertEqual(u8.elementType, .u8)
        XCTAssertEqual(u8.intValues(), [4])
        XCTAssertEqual(try evaluate(Subtract(), [Tensor(.u8, dims: [1], bytes: [3]), Tensor(.u8, dims: [1], bytes: [5])])[0].intValues(), [254])
        // i16: 300 · 300 = 90000 - 65536
        let i16 = try evaluate(Multiply(), [Tensor(.i16, dims: [1], values: [Int16(300)]), Tensor(.i16, dims: [1], values: [Int16(300)])])[0]
        XCTAssertEqual(i16.elements(Int16.self), [24464])
        // i64 max + 1 is i64 min; u64 max + 1 is 0; u32 2¹⁶ · 2¹⁶ is 0
        XCTAssertEqual(try evaluate(Add(), [.i64([Int(Int64.max)]), .i64([1])])[0].elements(Int64.self), [Int64.min])
        let u64 = Tensor(.u64, dims: [1], values: [UInt64.max])
        XCTAssertEqual(try evaluate(Add(), [u64, Tensor(.u64, dims: [1], values: [UInt64(1)])])[0].elements(UInt64.self), [0])
        let u32 = Tensor(.u32, dims: [1], values: [UInt32(65536)])
        XCTAssertEqual(try evaluate(Multiply(), [u32, u32])[0].elements(UInt32.self), [0])
        // Power by squaring wraps too: 2⁷ in i8 is -128; negative exponents truncate 1/aⁿ
        let two = Tensor(.i8, dims: [1], values: [Int8(2)]), seven = Tensor(.i8, dims: [1], values: [Int8(7)])
        XCTAssertEqual(try evaluate(Power(), [two, seven])[0].intValues(), [-128])
        XCTAssertEqual(try evaluate(Power(), [.i32([1, -1, 2, 3]), .i32([-1, -1, -1, 4])])[0].intValues(), [1, -1, 0, 81])
    }

    func testUnsignedValuesUseTheirFullRange() throws {
        // 2⁶³ as u64 is positive: halved it is 2⁶², it beats 1, and Maximum keeps it
        let big = Tensor(.u64, dims: [1], values: [UInt64(1) << 63]), small = Tensor(.u64, dims: [1], values: [UInt64(2)])
        XCTAssertEqual(try evaluate(Divide(), [big, small])[0].elements(UInt64.self), [1 << 62])
        XCTAssertEqual(try evaluate(Greater(), [big, small])[0].intValues(), [1])
        XCTAssertEqual(try evaluate(Maximum(), [big, small])[0].elements(UInt64.self), [1 << 63])
        // u8 200 > 100, and i64 neighbours above 2⁵³ stay apart
        XCTAssertEqual(try evaluate(Greater(), [Tensor(.u8, dims: [1], bytes: [200]), Tensor(.u8, dims: [1], bytes: [100])])[0].intValues(), [1])
        XCTAssertEqual(try evaluate(Less(), [.i64([(1 << 60)]), .i64([(1 << 60) + 1])])[0].intValues(), [1])
    }

    func testModTakesTheDividendsSignAndFloorModTheDivisors() throws {
        // 5 = 1·3 + 2, -5 = -1·3 - 2 (truncated) or -2·3 + 1 (floored)
        let a = Tensor.f32([5, -5, 5, -5, 5.5]), b = Tensor.f32([3, 3, -3, -3, -2])
        XCTAssertEqual(floats(try evaluate(Mod(), [a, b])[0]), [2, -2, 2, -2, 1.5])
        XCTAssertEqual(floats(try evaluate(FloorMod(), [a, b])[0]), [2, 1, -1, -2, -0.5])
        let ia = Tensor.i32([5, -5, 5, -5]), ib = Tensor.i32([3, 3, -3, -3])
        XCTAssertEqual(try evaluate(Mod(), [ia, ib])[0].intValues(), [2, -2, 2, -2])
        XCTAssertEqual(try evaluate(FloorMod(), [ia, ib])[0].intValues(), [2, 1, -1, -2])
        XCTAssertThrowsError(try evaluate(FloorMod(), [.i64([1]), .i64([0])])) { XCTAssertTrue("\($0)".contains("by zero")) }
    }

    func testF64ComputesInDoubleAndF16RoundsToNearestEven() throws {
        // 1 + 2⁻⁴⁰ is exact in f64 (f32 would give 1); 0.1 + 0.2 is Double's 0.30000000000000004
        let d = try evaluate(Add(), [Tensor(.f64, dims: [2], values: [1.0, 0.1]), Tensor(.f64, dims: [2], values: [Double(0x1p-40), 0.2])])[0]
        XCTAssertEqual(d.elementType, .f64)
        XCTAssertEqual(d.elements(Double.self), [1 + 0x1p-40, 0.30000000000000004])
        // f16: 1.5 · 4 and -2 · 0.25 are exact; 1 + 2⁻¹¹ is a tie that goes to even (1), 1 + 3·2⁻¹¹ to 1 + 2⁻⁹
        let h = try evaluate(Multiply(), [Tensor(.f16, dims: [2], values: [Float16(1.5), -2]), Tensor(.f16, dims: [2], values: [Float16(4), 0.25])])[0]
        XCTAssertEqual(h.elementType, .f16)
        XCTAssertEqual(h.elements(Float16.self), [6, -0.5])
        let t = try evaluate(Add(), [Tensor(.f16, dims: [2], values: [Float16(1), 1]), Tensor(.f16, dims: [2], values: [Float16(0x1p-11), Float16(3 * 0x1p-11)])])[0]
        XCTAssertEqual(t.elements(Float16.self), [1, 1 + 0x1p-9])
        // comparisons read every float width
        XCTAssertEqual(try evaluate(Less(), [Tensor(.f64, dims: [1], values: [1.0]), Tensor(.f64, dims: [1], values: [1 + 0x1p-40])])[0].intValues(), [1])
    }

    func testBitwiseOpsAndShifts() throws {
        // 12 = 0b1100, 10 = 0b1010
        XCTAssertEqual(try evaluate(BitwiseAnd(), [.i32([12]), .i32([10])])[0].intValues(), [8])
        XCTAssertEqual(try evaluate(BitwiseOr(), [.i32([12]), .i32([10])])[0].intValues(), [14])
        XCTAssertEqual(try evaluate(BitwiseXor(), [.i32([12]), .i32([10])])[0].intValues(), [6])
        XCTAssertEqual(try evaluate(BitwiseAnd(), [.boolean([true, true]), .boolean([true, false])])[0].intValues(), [1, 0])
        // ~0 = -1, ~5 = -6 in i8; ~0 = 255 in u8; on booleans it is logical not
        XCTAssertEqual(try evaluate(BitwiseNot(), [Tensor(.i8, dims: [2], values: [Int8(0), 5])])[0].intValues(), [-1, -6])
        XCTAssertEqual(try evaluate(BitwiseNot(), [Tensor(.u8, dims: [1], bytes: [0])])[0].intValues(), [255])
        XCTAssertEqual(try evaluate(BitwiseNot(), [.boolean([true, false])])[0].intValues(), [0, 1])
        // u8: 1 << 7 = 128, 255 << 1 drops the top bit; i8 -128 >> 2 keeps the sign; u64 2⁶³ >> 63 = 1
        XCTAssertEqual(try evaluate(BitwiseLeftShift(), [Tensor(.u8, dims: [2], bytes: [1, 255]), Tensor(.u8, dims: [2], bytes: [7, 1])])[0].intValues(), [128, 254])
        XCTAssertEqual(try evaluate(BitwiseRightShift(), [Tensor(.i8, dims: [1], values: [Int8(-128)]), Tensor(.i8, dims: [1], values: [Int8(2)])])[0].intValues(), [-32])
        let top = Tensor(.u64, dims: [1], values: [UInt64(1) << 63])
        XCTAssertEqual(try evaluate(BitwiseRightShift(), [top, Tensor(.u64, dims: [1], values: [UInt64(63)])])[0].intValues(), [1])
        XCTAssertThrowsError(try evaluate(BitwiseAnd(), [.f32([1]), .f32([1])]))
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
        XCTAssertThrowsError(try evaluate(Convert(.u1), [.f32([1])])) { error in
            XCTAssertTrue("\(error)".contains("conversion to u1"), "\(error)")
        }
    }

    func testConvertToAndFromHalfWidthsAndU64() throws {
        // f32 -> f16 rounds to nearest even: 1 + 2⁻¹¹ is a tie that goes to 1
        let h = try evaluate(Convert(.f16), [.f32([1.5, 1 + 0x1p-11, 65504])])[0]
        XCTAssertEqual(h.elementType, .f16)
        XCTAssertEqual(h.elements(Float16.self), [1.5, 1, 65504])
        // bf16 keeps the top half of the f32 bits, ties to even: 1 + 2⁻⁸ (0x3F808000) -> 0x3F80,
        // 1 + 3·2⁻⁸ (0x3F818000) -> 0x3F82
        let b = try evaluate(Convert(.bf16), [.f32([1, 1 + 0x1p-8, 1 + 3 * 0x1p-8])])[0]
        XCTAssertEqual(b.elements(UInt16.self), [0x3F80, 0x3F80, 0x3F82])
        // f16 -> i32 truncates; bf16 -> f32 is exact
        XCTAssertEqual(try evaluate(Convert(.i32), [Tensor(.f16, dims: [2], values: [Float16(-2.5), 7.75])])[0].intValues(), [-2, 7])
        XCTAssertEqual(floats(try evaluate(Convert(.f32), [Tensor(.bf16, dims: [1], values: [UInt16(0x4040)])])[0]), [3])
        // u64: 2⁶³ to f64 is exact; 1e20 saturates at u64 max and -1 at 0; i64 max from a float saturates
        let u = try evaluate(Convert(.f64), [Tensor(.u64, dims: [1], values: [UInt64(1) << 63])])[0]
        XCTAssertEqual(u.elements(Double.self), [0x1p63])
        XCTAssertEqual(try evaluate(Convert(.u64), [.f32([1e20, -1])])[0].elements(UInt64.self), [UInt64.max, 0])
        XCTAssertEqual(try evaluate(Convert(.i64), [Tensor(.f64, dims: [1], values: [0x1p63])])[0].elements(Int64.self), [Int64.max])
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

/// The f32 fast path (F32Loops.swift): broadcasting layouts a detector uses, each against values worked out
/// by hand, including tensors large enough to be split across cores.
final class F32LoopsTests: XCTestCase {
    func testPerChannelBiasAndRowAndColumnBroadcasts() throws {
        // x [1,2,2,2] = 0...7, bias [1,2,1,1] = [10, 20]: channel 0 gets +10, channel 1 gets +20
        let x = Tensor.f32((0..<8).map(Float.init), dims: [1, 2, 2, 2]), bias = Tensor.f32([10, 20], dims: [1, 2, 1, 1])
        XCTAssertEqual(floats(try evaluate(Add(), [x, bias])[0]), [10, 11, 12, 13, 24, 25, 26, 27])
        // row [3] + column [2,1] -> [2,3]: r + c
        let row = Tensor.f32([1, 2, 3], dims: [3]), column = Tensor.f32([10, 20], dims: [2, 1])
        XCTAssertEqual(floats(try evaluate(Add(), [row, column])[0]), [11, 12, 13, 21, 22, 23])
        // [2,1,2] * [1,3,1] -> [2,3,2]: a[i,0,k] * b[0,j,0]
        let a = Tensor.f32([1, 2, 3, 4], dims: [2, 1, 2]), b = Tensor.f32([1, 10, 100], dims: [1, 3, 1])
        XCTAssertEqual(floats(try evaluate(Multiply(), [a, b])[0]), [1, 2, 10, 20, 100, 200, 3, 4, 30, 40, 300, 400])
        // scalar on the left: 1 - x
        XCTAssertEqual(floats(try evaluate(Subtract(), [.scalar(f32: 1), .f32([1, 2, 3])])[0]), [0, -1, -2])
    }

    func testLargeTensorsSplitAcrossCoresGiveEveryElement() throws {
        // 4 channels of 128x128 (65536 elements, over the parallel threshold) plus a per-channel bias c;
        // element i of channel c is i + 1000 c.
        let n = 128 * 128
        let x = Tensor.f32((0..<(4 * n)).map { Float($0 % n) }, dims: [1, 4, 128, 128])
        let bias = Tensor.f32([0, 1000, 2000, 3000], dims: [1, 4, 1, 1])
        let sum = floats(try evaluate(Add(), [x, bias])[0])
        XCTAssertEqual(sum.count, 4 * n)
        for c in 0..<4 {
            for i in [0, 1, n / 2, n - 1] { XCTAssertEqual(sum[c * n + i], Float(i + 1000 * c)) }
        }
        // Same-shape product over one long run, split within the run: x * x at a few places
        let square = floats(try evaluate(Multiply(), [x, x])[0])
        for i in [0, 3, n + 7, 4 * n - 1] { XCTAssertEqual(square[i], Float(i % n) * Float(i % n)) }
        // Relu over a long run: negatives become 0
        let r = floats(try evaluate(Relu(), [.f32((0..<(4 * n)).map { Float($0 % 2 == 0 ? -1 : 2) })])[0])
        XCTAssertEqual(r.prefix(4), [0, 2, 0, 2])
        XCTAssertEqual(r.suffix(2), [0, 2])
    }
}

extension F32LoopsTests {
    /// activationExp against libm's expf over the range a sigmoid sees, within 2 ulp; clamped at the ends.
    func testActivationExpMatchesLibm() {
        var x: Float = -87
        while x < 88 {
            let expected = Foundation.exp(x), actual = activationExp(x)
            XCTAssertLessThanOrEqual(abs(actual - expected), 2 * expected.ulp, "exp(\(x))")
            x += 0.173
        }
        XCTAssertTrue(activationExp(200).isFinite)
        XCTAssertEqual(1 / (1 + activationExp(200)), 0, accuracy: 1e-37)  // sigmoid(-200)
    }
}
