import XCTest
import OVIR
@testable import Evaluator

/// Tests of Tensor+NarrowTypes.swift: i4/u4 and the f8/f4 float types through Convert and the kernels.
final class NarrowTypesTests: XCTestCase {
    func testF8E4M3DecodesAndRoundsToNearestEven() throws {
        // 0x38 = 0.0111.000 = 1; 0x7E = 1.75 · 2⁸ = 448 (the largest); 0x01 = 1/8 · 2⁻⁶ (subnormal); 0xB8 = -1; 0x7F NaN
        let f = try evaluate(Convert(.f32), [Tensor(.f8e4m3, dims: [5], bytes: [0x38, 0x7E, 0x01, 0xB8, 0x7F])])[0]
        let v = floats(f)
        XCTAssertEqual(Array(v.prefix(4)), [1, 448, 0x1p-9, -1])
        XCTAssertTrue(v[4].isNaN)
        // 449 rounds to 448, 500 is past 448 + half a step (16) and has no infinity to go to: NaN;
        // 1 + 1/16 is a tie between 1 (0x38) and 1.125 (0x39): even 0x38; 1 + 3/16 ties to 1.25 (0x3A)
        let e = try evaluate(Convert(.f8e4m3), [.f32([1, 449, 500, -1, 0.0625, 1 + 1.0 / 16, 1 + 3.0 / 16])])[0]
        XCTAssertEqual(e.elementType, .f8e4m3)
        XCTAssertEqual(e.bytes, [0x38, 0x7E, 0x7F, 0xB8, 0x18, 0x38, 0x3A])
    }

    func testF8E5M2HasInfinity() throws {
        // 1 = 0.01111.00 (0x3C); the largest is 1.75 · 2¹⁵ = 57344 (0x7B), one step below it 49152, so
        // 60000 rounds down and 70000 (past 57344 + 4096) is +inf (0x7C)
        let e = try evaluate(Convert(.f8e5m2), [.f32([1, 57344, 60000, 70000, -.infinity])])[0]
        XCTAssertEqual(e.bytes, [0x3C, 0x7B, 0x7B, 0x7C, 0xFC])
        XCTAssertEqual(floats(try evaluate(Convert(.f32), [e])[0]), [1, 57344, 57344, .infinity, -.infinity])
    }

    func testF4E2M1PacksTwoPerByteAndSaturates() throws {
        // codes 0...7 are 0, 0.5, 1, 1.5, 2, 3, 4, 6; ties go to the even code: 0.25 -> 0, 0.75 -> 1 (code 2),
        // 2.5 -> 2 (code 4), 5 -> 4 (code 6); 7 saturates at 6 (code 7); -3 is 0x8 | 5
        let e = try evaluate(Convert(.f4e2m1), [.f32([0.25, 0.75, 2.5, 5, 7, -3])])[0]
        XCTAssertEqual(e.elementType, .f4e2m1)
        XCTAssertEqual(e.bytes, [0x20, 0x64, 0xD7])
        XCTAssertEqual(floats(try evaluate(Convert(.f32), [e])[0]), [0, 1, 2, 4, 6, -3])
    }

    func testI4AndU4() throws {
        // i4 [-1, 2] is 0x2F and u4 [1, 2, 3] is 21 03 (first element in the low nibble)
        XCTAssertEqual(try evaluate(Convert(.i32), [Tensor(.i4, dims: [2], bytes: [0x2F])])[0].intValues(), [-1, 2])
        XCTAssertEqual(try evaluate(Convert(.i32), [Tensor(.u4, dims: [3], bytes: [0x21, 0x03])])[0].intValues(), [1, 2, 3])
        // floats truncate and wrap like integers, as ONNX's Cast does: -9 -> 7 (0x7), -1 -> 0xF, 7 -> 7,
        // 8.5 -> 8 -> -8 (0x8); integers wrap: u4 17 is 1
        XCTAssertEqual(try evaluate(Convert(.i4), [.f32([-9, -1, 7, 8.5])])[0].bytes, [0xF7, 0x87])
        XCTAssertEqual(try evaluate(Convert(.u4), [.i32([17, 3])])[0].bytes, [0x31])
        // u2 packs four per byte, first in the low bits: [1, 2, 3, 5 -> 1] is 01 11 10 01 = 0x79
        XCTAssertEqual(try evaluate(Convert(.u2), [.f32([1, 2, 3, 5])])[0].bytes, [0x79])
        XCTAssertEqual(try evaluate(Convert(.i32), [Tensor(.u2, dims: [4], bytes: [0x79])])[0].intValues(), [1, 2, 3, 1])
        // i4 arithmetic wraps: 7 + 1 = -8
        let seven = Tensor(.i4, dims: [1], bytes: [0x07]), one = Tensor(.i4, dims: [1], bytes: [0x01])
        XCTAssertEqual(try evaluate(Add(), [seven, one])[0].bytes, [0x08])
    }

    func testFloatKernelsPackTheirResultInTheSmallType() throws {
        // f8e4m3 1 + 1 = 2 (0x40), computed in f32 and packed by the evaluator
        let one = Tensor(.f8e4m3, dims: [1], bytes: [0x38])
        let y = try evaluate(Add(), [one, one])[0]
        XCTAssertEqual(y.elementType, .f8e4m3)
        XCTAssertEqual(y.bytes, [0x40])
    }
}
