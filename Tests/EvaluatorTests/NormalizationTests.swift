import XCTest
import OVIR
@testable import Evaluator

final class NormalizationTests: XCTestCase {
    func testBatchNormPerChannel() throws {
        // channel 0: (x - 1) / sqrt(4) · 2 + 0.5 ; channel 1: (x - 0) / sqrt(1) · 1 - 1  (epsilon 0)
        let x = Tensor.f32([1, 3, 5, 7, 2, 4, 6, 8], dims: [1, 2, 2, 2])
        let y = try evaluate(BatchNormInference(epsilon: 0), [
            x, .f32([2, 1]), .f32([0.5, -1]), .f32([1, 0]), .f32([4, 1]),
        ])[0]
        XCTAssertEqual(floats(y), [0.5, 2.5, 4.5, 6.5, 1, 3, 5, 7])
        // epsilon joins the variance: variance 0 + epsilon 0.25 -> divide by 0.5
        let e = try evaluate(BatchNormInference(epsilon: 0.25), [
            .f32([1, 2], dims: [1, 1, 2]), .f32([1]), .f32([0]), .f32([0]), .f32([0]),
        ])[0]
        XCTAssertEqual(floats(e), [2, 4])
    }
}

final class LRNTests: XCTestCase {
    func testAcrossChannelsByHand() throws {
        // 3 channels of one pixel, x = 1, 2, 3, size 3 over axis 1, alpha 3, beta 1, bias 1:
        // scale = 3 / 3 = 1; windows {1,2}, {1,2,3}, {2,3} -> sums of squares 5, 14, 13
        var op = LRN()
        (op.alpha, op.beta, op.bias, op.size) = (3, 1, 1, 3)
        let y = try evaluate(op, [.f32([1, 2, 3], dims: [1, 3, 1, 1]), .i64([1])])[0]
        assertClose(floats(y), [1.0 / 6, 2.0 / 15, 3.0 / 14])
    }

    func testSpatialWindowMatchesNaiveLoop() throws {
        // axes [2,3], size 3, beta 0.75 on a 1×1×3×4 input, against a loop over the clipped 3×3 box
        var op = LRN()
        (op.alpha, op.beta, op.bias, op.size) = (0.5, 0.75, 2, 3)
        let x = iota([1, 1, 3, 4], scale: 0.5, offset: -2)
        let xv = x.elements(Float.self)
        var expected: [Float] = []
        for r in 0..<3 { for c in 0..<4 {
            var sum: Float = 0
            for rr in max(0, r - 1)...min(2, r + 1) { for cc in max(0, c - 1)...min(3, c + 1) { sum += xv[rr * 4 + cc] * xv[rr * 4 + cc] } }
            expected.append(xv[r * 4 + c] / powf(2 + 0.5 / 9 * sum, 0.75))
        } }
        assertClose(floats(try evaluate(op, [x, .i64([2, 3])])[0]), expected)
    }
}
