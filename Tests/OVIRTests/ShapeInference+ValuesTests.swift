import XCTest
@testable import OVIR

final class ShapeInferenceValuesTests: XCTestCase {
    private let any = Dim.dynamic
    private func range(_ lower: Int, _ upper: Int?) -> Dim { Dim(lower: lower, upper: upper) }

    func testConstantsGiveExactValuesAndFloatsOnlyWhenWhole() {
        XCTAssertEqual(ShapeInference.value(of: .i64([2, -1, 0])), [.fixed(2), .fixed(-1), .fixed(0)])
        XCTAssertEqual(ShapeInference.value(of: .f32([4, 2])), [.fixed(4), .fixed(2)])
        XCTAssertNil(ShapeInference.value(of: .f32([0.5])))
        XCTAssertNil(ShapeInference.value(of: .i64(Array(repeating: 1, count: ShapeInference.valueLimit + 1))))
    }

    func testRangeArithmetic() {
        // [2..5] + [1..?] = [3..?]; [2..5] - [1..3] = [2-3 .. 5-1] = [-1..4]
        XCTAssertEqual(ShapeInference.sum(range(2, 5), range(1, nil)), range(3, nil))
        XCTAssertEqual(ShapeInference.difference(range(2, 5), range(1, 3)), range(-1, 4))
        // Subtracting an unbounded range leaves no lower bound.
        XCTAssertNil(ShapeInference.difference(.fixed(0), any))
        // [2..5] * [3..4] = [6..20]; 0 * anything = 0; exact negatives multiply exactly.
        XCTAssertEqual(ShapeInference.product(range(2, 5), range(3, 4)), range(6, 20))
        XCTAssertEqual(ShapeInference.product(.fixed(0), any), .fixed(0))
        XCTAssertEqual(ShapeInference.product(.fixed(-1), .fixed(3)), .fixed(-3))
        // (? - 1) * 2 = [-1..?] * 2 = [-2..?]; [1..4] * -2 = [-8..-2]
        XCTAssertEqual(ShapeInference.product(range(-1, nil), .fixed(2)), range(-2, nil))
        XCTAssertEqual(ShapeInference.product(range(1, 4), .fixed(-2)), range(-8, -2))
        // floor(-7 / 2) = -4, trunc(-7 / 2) = -3; [5..9] / 2 = [2..4]
        XCTAssertEqual(ShapeInference.quotient(.fixed(-7), .fixed(2), floor: true, integer: true), .fixed(-4))
        XCTAssertEqual(ShapeInference.quotient(.fixed(-7), .fixed(2), floor: false, integer: true), .fixed(-3))
        XCTAssertEqual(ShapeInference.quotient(range(5, 9), .fixed(2), floor: true, integer: true), range(2, 4))
        // Float division must come out whole.
        XCTAssertEqual(ShapeInference.quotient(.fixed(8), .fixed(2), floor: true, integer: false), .fixed(4))
        XCTAssertNil(ShapeInference.quotient(.fixed(7), .fixed(2), floor: true, integer: false))
        XCTAssertEqual(ShapeInference.maximum(range(1, 4), range(2, nil)), range(2, nil))
        XCTAssertEqual(ShapeInference.minimum(range(1, 4), range(2, nil)), range(1, 4))
        XCTAssertEqual(ShapeInference.negation(range(1, 4)), range(-4, -1))
        XCTAssertNil(ShapeInference.negation(any))
    }

    func testSizesDropNegativePossibilities() {
        XCTAssertEqual(ShapeInference.size(range(-1, 4)), range(0, 4))
        XCTAssertEqual(ShapeInference.size(range(-3, nil)), any)
        XCTAssertEqual(ShapeInference.size(range(2, 9)), range(2, 9))
    }

    func testSliceIndices() throws {
        // 0..<5 [1:4:2] = 1, 3; [::-2] = 4, 2, 0; [-2:] = 3, 4
        XCTAssertEqual(try ShapeInference.sliceIndices(5, start: 1, stop: 4, step: 2), [1, 3])
        XCTAssertEqual(try ShapeInference.sliceIndices(5, start: Int.max, stop: Int.min, step: -2), [4, 2, 0])
        XCTAssertEqual(try ShapeInference.sliceIndices(5, start: -2, stop: Int.max, step: 1), [3, 4])
    }

    func testElementwiseBroadcastsOneElement() {
        let a = InferenceInput(TensorType(.i64, .fixed([2])), value: [range(2, 5), .fixed(3)])
        let b = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([2]))
        XCTAssertEqual(ShapeInference.elementwise([a, b], ShapeInference.product), [range(4, 10), .fixed(6)])
    }
}
