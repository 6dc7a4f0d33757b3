import XCTest
import OVIR
@testable import Evaluator

final class PoolingTests: XCTestCase {
    func testMaxPoolTwoByTwoStrideTwoWithIndices() throws {
        // 4×4 of 0...15: each 2×2 block's max is its bottom-right element.
        let x = iota([1, 1, 4, 4])
        let out = try evaluate(MaxPool(kernel: [2, 2], strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0]), [x])
        XCTAssertEqual(out.count, 2)
        XCTAssertEqual(out[0].dims, [1, 1, 2, 2])
        XCTAssertEqual(floats(out[0]), [5, 7, 13, 15])
        XCTAssertEqual(out[1].elementType, .i64)
        XCTAssertEqual(out[1].intValues(), [5, 7, 13, 15])
    }

    func testMaxPoolWithPaddingIgnoresThePad() throws {
        // Negative values: a zero pad would win if it were counted. kernel 3, stride 1, pad 1, 3×3 input
        // -1...-9: every window's max is its least negative element inside the input.
        let x = Tensor.f32((1...9).map { -Float($0) }, dims: [1, 1, 3, 3])
        let y = try evaluate(MaxPool(kernel: [3, 3], strides: [1, 1], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1]), [x])
        XCTAssertEqual(floats(y[0]), [-1, -1, -2, -1, -1, -2, -4, -4, -5])
        XCTAssertEqual(y[1].intValues(), [0, 0, 1, 0, 0, 1, 3, 3, 4])
    }

    func testMaxPoolSamePaddingAsInYolo() throws {
        // YOLO's stride-1 2×2 max pool with same_upper: the last row/column see only themselves.
        let x = Tensor.f32([1, 5, 2, 0, 3, 4, 7, 6, 8], dims: [1, 1, 3, 3])
        let y = try evaluate(MaxPool(kernel: [2, 2], strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0], autoPad: .sameUpper), [x])[0]
        XCTAssertEqual(y.dims, [1, 1, 3, 3])
        XCTAssertEqual(floats(y), [5, 5, 4, 7, 8, 8, 7, 8, 8])
    }

    func testMaxPoolIndicesCountFromAxis() throws {
        // two channels: with axis 0 the second channel's indices continue after the first's 4 elements
        let x = iota([1, 2, 2, 2])
        var op = MaxPool(kernel: [2, 2], strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        XCTAssertEqual(try evaluate(op, [x])[1].intValues(), [3, 7])
        op.axis = 2
        XCTAssertEqual(try evaluate(op, [x])[1].intValues(), [3, 3])
    }

    func testAvgPoolExcludeAndIncludePad() throws {
        // 2×2 of 1,2,3,4, kernel 2, stride 1, pad 1 (end 0): windows at the top-left corner hold only x[0].
        let x = Tensor.f32([1, 2, 3, 4], dims: [1, 1, 2, 2])
        let exclude = try evaluate(AvgPool(kernel: [2, 2], strides: [1, 1], padsBegin: [1, 1], padsEnd: [0, 0], excludePad: true), [x])[0]
        XCTAssertEqual(exclude.dims, [1, 1, 2, 2])
        XCTAssertEqual(floats(exclude), [1, 1.5, 2, 2.5])
        let include = try evaluate(AvgPool(kernel: [2, 2], strides: [1, 1], padsBegin: [1, 1], padsEnd: [0, 0], excludePad: false), [x])[0]
        XCTAssertEqual(floats(include), [0.25, 0.75, 1, 2.5])
        // global average
        let g = try evaluate(AvgPool(kernel: [2, 2], strides: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0], excludePad: true), [x])[0]
        XCTAssertEqual(floats(g), [2.5])
    }

    func testMaxPoolKeepsEightBitIntegers() throws {
        // kernel 2, stride 2 over [-5, 3, -2, 7]: maxima 3 and 7, still i8; u8 200 beats 100 (no sign wrap)
        let i8 = try evaluate(MaxPool(kernel: [2], strides: [2], dilations: [1], padsBegin: [0], padsEnd: [0]),
                              [Tensor(.i8, dims: [1, 1, 4], values: [Int8(-5), 3, -2, 7])])
        XCTAssertEqual(i8[0].elementType, .i8)
        XCTAssertEqual(i8[0].elements(Int8.self), [3, 7])
        XCTAssertEqual(i8[1].intValues(), [1, 3])
        let u8 = try evaluate(MaxPool(kernel: [2], strides: [2], dilations: [1], padsBegin: [0], padsEnd: [0]),
                              [Tensor(.u8, dims: [1, 1, 2], values: [UInt8(200), 100])])
        XCTAssertEqual(u8[0].elements(UInt8.self), [200])
    }
}
