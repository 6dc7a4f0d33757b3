import XCTest
import OVIR
@testable import Evaluator

final class QuantizationTests: XCTestCase {
    func testFakeQuantizePerTensorRoundsHalvesToEvenAndSaturates() throws {
        // [0, 3] in 4 levels: steps of 1. 0.5 → 0 and 1.5 → 2 (halves to even), -1 → 0 (low), 7 → 3 (high);
        // output range [10, 13] maps step k to 10 + k.
        let x = Tensor.f32([0.5, 1.5, 2.4, -1, 7], dims: [5])
        let y = try evaluate(FakeQuantize(levels: 4), [x, .scalar(f32: 0), .scalar(f32: 3), .scalar(f32: 10), .scalar(f32: 13)])[0]
        XCTAssertEqual(floats(y), [10, 12, 12, 10, 13])
    }

    func testFakeQuantizePerChannelRanges() throws {
        // Channel 0: [0, 2] in 3 levels (steps of 1); channel 1: [0, 20] (steps of 10). Output = input range.
        let x = Tensor.f32([0.6, 1.4, 6, 14], dims: [1, 2, 2])
        let low = Tensor.f32([0, 0], dims: [1, 2, 1]), high = Tensor.f32([2, 20], dims: [1, 2, 1])
        let y = try evaluate(FakeQuantize(levels: 3), [x, low, high, low, high])[0]
        XCTAssertEqual(y.dims, [1, 2, 2])
        XCTAssertEqual(floats(y), [1, 1, 10, 10])
    }
}
