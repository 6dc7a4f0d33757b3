import XCTest
import OVIR
@testable import Evaluator

final class UnaryMathTests: XCTestCase {
    func testActivationValues() throws {
        let x = Tensor.f32([-2, 0, 3])
        assertClose(floats(try evaluate(Sigmoid(), [x])[0]), [0.11920292, 0.5, 0.95257413])
        XCTAssertEqual(floats(try evaluate(Relu(), [x])[0]), [0, 0, 3])
        assertClose(floats(try evaluate(Exp(), [x])[0]), [0.13533528, 1, 20.085537])
        XCTAssertEqual(floats(try evaluate(HSigmoid(), [x])[0]), [1.0 / 6, 0.5, 1])
        XCTAssertEqual(floats(try evaluate(Clamp(min: -1, max: 1), [x])[0]), [-1, 0, 1])
        // swish with beta 1 is x · sigmoid(x)
        assertClose(floats(try evaluate(Swish(), [x])[0]), [-2 * 0.11920292, 0, 3 * 0.95257413])
        assertClose(floats(try evaluate(Swish(), [x, .f32([2], dims: [])])[0]), [-2 / (1 + exp(4)), 0, 3 / (1 + exp(-6))])
        // x / (1 + |x|): -2/3, 0, 3/4
        assertClose(floats(try evaluate(SoftSign(), [x])[0]), [-2.0 / 3, 0, 0.75])
    }

    func testTrigonometricAndHyperbolic() throws {
        assertClose(floats(try evaluate(Sin(), [.f32([Float.pi / 2, 0])])[0]), [1, 0])
        assertClose(floats(try evaluate(Cos(), [.f32([0, Float.pi])])[0]), [1, -1])
        assertClose(floats(try evaluate(Tan(), [.f32([Float.pi / 4])])[0]), [1])
        assertClose(floats(try evaluate(Asin(), [.f32([1, 0])])[0]), [Float.pi / 2, 0])
        assertClose(floats(try evaluate(Acos(), [.f32([1, 0])])[0]), [0, Float.pi / 2])
        assertClose(floats(try evaluate(Atan(), [.f32([1])])[0]), [Float.pi / 4])
        assertClose(floats(try evaluate(Sinh(), [.f32([0])])[0]), [0])
        assertClose(floats(try evaluate(Cosh(), [.f32([0])])[0]), [1])
        assertClose(floats(try evaluate(Asinh(), [.f32([0])])[0]), [0])
        assertClose(floats(try evaluate(Acosh(), [.f32([1])])[0]), [0])
        // atanh(1/2) = ln(3) / 2
        assertClose(floats(try evaluate(Atanh(), [.f32([0.5])])[0]), [0.54930614])
        XCTAssertTrue(floats(try evaluate(Asin(), [.f32([2])])[0])[0].isNaN)
    }

    func testSignAndRounding() throws {
        XCTAssertEqual(floats(try evaluate(Sign(), [.f32([-2, 0, 3])])[0]), [-1, 0, 1])
        XCTAssertEqual(try evaluate(Sign(), [.i32([-7, 0, 9])])[0].intValues(), [-1, 0, 1])
        let x = Tensor.f32([0.5, 1.5, 2.5, -0.5, -2.5, 2.4])
        XCTAssertEqual(floats(try evaluate(Round(mode: .halfToEven), [x])[0]), [0, 2, 2, -0, -2, 2])
        XCTAssertEqual(floats(try evaluate(Round(mode: .halfAwayFromZero), [x])[0]), [1, 2, 3, -1, -3, 2])
        XCTAssertEqual(floats(try evaluate(Floor(), [.f32([-1.5, 1.5])])[0]), [-2, 1])
        XCTAssertEqual(floats(try evaluate(Ceiling(), [.f32([-1.5, 1.5])])[0]), [-1, 2])
    }

    func testGeluBothApproximations() throws {
        // x/2 · (1 + erf(x/√2)) at ±1; x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))) at 1
        assertClose(floats(try evaluate(Gelu(approximationMode: .erf), [.f32([1, -1, 0])])[0]), [0.84134475, -0.15865525, 0])
        assertClose(floats(try evaluate(Gelu(approximationMode: .tanh), [.f32([1, 0])])[0]), [0.84119199, 0])
    }

    func testParameterizedActivations() throws {
        // max(0, min(1, 0.2x + 0.5))
        let hs = try evaluate(HardSigmoid(), [.f32([-5, 0, 1, 5]), .f32([0.2], dims: []), .f32([0.5], dims: [])])[0]
        assertClose(floats(hs), [0, 0.5, 0.7, 1])
        // 3 · (x for x > 0, 2 (eˣ - 1) otherwise): at -1 that is 6 (1/e - 1)
        let selu = try evaluate(Selu(), [.f32([1, 0, -1]), .f32([2], dims: []), .f32([3], dims: [])])[0]
        assertClose(floats(selu), [3, 0, -3.7927234])
        assertClose(floats(try evaluate(Elu(alpha: 2), [.f32([1, -1])])[0]), [1, -1.2642411])
    }

    func testPReluSlopeIsPerChannelWhenItMatchesAxisOne() throws {
        // data [1,3,3] of -1, slope [1,2,3]: axis 1 (rows) gets the slopes, not the last axis as numpy would
        let y = try evaluate(PRelu(), [.f32([Float](repeating: -1, count: 9), dims: [1, 3, 3]), .f32([1, 2, 3])])[0]
        XCTAssertEqual(y.dims, [1, 3, 3])
        XCTAssertEqual(floats(y), [-1, -1, -1, -2, -2, -2, -3, -3, -3])
        // data [1,2,2], slope [0.1, 0.5] per channel; positives pass
        XCTAssertEqual(floats(try evaluate(PRelu(), [.f32([-1, 2, -4, 4], dims: [1, 2, 2]), .f32([0.1, 0.5])])[0]), [-0.1, 2, -2, 4])
        // a slope that does not match axis 1 broadcasts numpy style: [2,3] with slope [3] scales columns
        XCTAssertEqual(floats(try evaluate(PRelu(), [.f32([-1, -1, -1, 1, 1, 1], dims: [2, 3]), .f32([1, 2, 3])])[0]), [-1, -2, -3, 1, 1, 1])
        XCTAssertEqual(try evaluate(PRelu(), [.i32([-3, 3]), .i32([2], dims: [1])])[0].intValues(), [-6, 3])
    }

    func testFloatClassification() throws {
        let x = Tensor.f32([1, .infinity, -.infinity, .nan])
        XCTAssertEqual(try evaluate(IsNaN(), [x])[0].intValues(), [0, 0, 0, 1])
        XCTAssertEqual(try evaluate(IsFinite(), [x])[0].intValues(), [1, 0, 0, 0])
        XCTAssertEqual(try evaluate(IsInf(), [x])[0].intValues(), [0, 1, 1, 0])
        XCTAssertEqual(try evaluate(IsInf(detectNegative: false, detectPositive: true), [x])[0].intValues(), [0, 1, 0, 0])
        XCTAssertEqual(try evaluate(IsInf(detectNegative: true, detectPositive: false), [x])[0].intValues(), [0, 0, 1, 0])
        let h = Tensor(.f16, dims: [2], values: [Float16.infinity, 1])
        XCTAssertEqual(try evaluate(IsInf(), [h])[0].intValues(), [1, 0])
    }

    func testIntegerFormsWrapAtTheWidth() throws {
        // |-128| and -(-128) do not fit i8 and wrap back to -128; -5 in u8 is 251
        let i8 = Tensor(.i8, dims: [3], values: [Int8(-128), -5, 7])
        XCTAssertEqual(try evaluate(Abs(), [i8])[0].intValues(), [-128, 5, 7])
        XCTAssertEqual(try evaluate(Negative(), [i8])[0].intValues(), [-128, 5, -7])
        XCTAssertEqual(try evaluate(Negative(), [Tensor(.u8, dims: [1], bytes: [5])])[0].intValues(), [251])
        XCTAssertEqual(try evaluate(Relu(), [.i64([-3, 4])])[0].intValues(), [0, 4])
        // integer Clamp bounds are ceil(min) = -1 and floor(max) = 2
        XCTAssertEqual(try evaluate(Clamp(min: -1.5, max: 2.5), [.i32([-5, 0, 5])])[0].intValues(), [-1, 0, 2])
        XCTAssertThrowsError(try evaluate(Exp(), [.i32([1])]))
    }

    func testF64IsExactAndF16AndBF16RoundTrip() throws {
        // √2 correctly rounded in Double; f32 would give 1.41421354
        let d = try evaluate(Sqrt(), [Tensor(.f64, dims: [1], values: [2.0])])[0]
        XCTAssertEqual(d.elementType, .f64)
        XCTAssertEqual(d.elements(Double.self), [1.4142135623730951])
        // f16: √4 = 2 and √2 rounds to 1448/1024 = 1.4140625
        let h = try evaluate(Sqrt(), [Tensor(.f16, dims: [2], values: [Float16(4), 2])])[0]
        XCTAssertEqual(h.elementType, .f16)
        XCTAssertEqual(h.elements(Float16.self), [2, 1.4140625])
        // bf16: √4 = 2 is 0x4000; sigmoid(0) = 0.5 is 0x3F00
        XCTAssertEqual(try evaluate(Sqrt(), [Tensor(.bf16, dims: [1], values: [UInt16(0x4080)])])[0].elements(UInt16.self), [0x4000])
        let s = try evaluate(Sigmoid(), [Tensor(.bf16, dims: [1], values: [UInt16(0)])])[0]
        XCTAssertEqual(s.elementType, .bf16)
        XCTAssertEqual(s.elements(UInt16.self), [0x3F00])
    }
}
