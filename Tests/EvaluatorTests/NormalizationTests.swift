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

    func testMVNOverTheLastAxisEachEpsMode() throws {
        // [1, 2, 3, 4]: mean 2.5, centred [-1.5, -0.5, 0.5, 1.5], biased variance (2.25 + 0.25) · 2 / 4 = 1.25
        let x = Tensor.f32([1, 2, 3, 4], dims: [1, 4])
        let centred = try evaluate(MVN(eps: 0, normalizeVariance: false), [x, .i64([1])])[0]
        XCTAssertEqual(floats(centred), [-1.5, -0.5, 0.5, 1.5])
        // eps 1 inside: divide by sqrt(1.25 + 1) = 1.5
        let inside = try evaluate(MVN(eps: 1, normalizeVariance: true, epsMode: .insideSqrt), [x, .i64([-1])])[0]
        assertClose(floats(inside), [-1, -1.0 / 3, 1.0 / 3, 1])
        // eps 1 outside: divide by sqrt(1.25) + 1 = 2.118034
        let outside = try evaluate(MVN(eps: 1, normalizeVariance: true, epsMode: .outsideSqrt), [x, .i64([1])])[0]
        assertClose(floats(outside), [-0.708204, -0.236068, 0.236068, 0.708204])
    }

    func testMVNOverALeadingAxis() throws {
        // [[1, 2], [3, 5]] over axis 0: column means 2 and 3.5
        let y = try evaluate(MVN(eps: 0, normalizeVariance: false), [.f32([1, 2, 3, 5], dims: [2, 2]), .i64([0])])[0]
        XCTAssertEqual(floats(y), [-1, -1.5, 1, 1.5])
        // over both axes of [1, 1, 2, 2] ([N, C, H, W] with axes 2, 3): per-channel planes 0..3 and 4..7 both
        // centre to [-1.5, -0.5, 0.5, 1.5] and divide by sqrt(1.25)
        let z = try evaluate(MVN(eps: 0, normalizeVariance: true), [iota([1, 2, 2, 2]), .i64([2, 3])])[0]
        let unit: [Float] = [-1.341641, -0.447214, 0.447214, 1.341641]
        assertClose(floats(z), unit + unit)
    }
}
