import XCTest
import OVIR
@testable import Evaluator

// Expected values are worked out from the cell formulas (ONNX's / OpenVINO's operator definitions) on
// hidden size 1, written out step by step.
final class RecurrentTests: XCTestCase {
    private func sigmoid(_ v: Float) -> Float { 1 / (1 + expf(-v)) }

    func testRNNForwardStopsAtEachSequenceLength() throws {
        // batch 2, seq 3, input 1, hidden 1: h_t = tanh(0.5·x_t + 0.8·h_{t-1} + 0.1)
        let x = Tensor.f32([1, 2, 3, -1, -2, -3], dims: [2, 3, 1])
        let out = try evaluate(RNNSequence(hiddenSize: 1), [x, .f32([0, 0.5], dims: [2, 1, 1]), .i32([3, 2]),
                                                               .f32([0.5], dims: [1, 1, 1]), .f32([0.8], dims: [1, 1, 1]), .f32([0.1], dims: [1, 1])])
        let a1 = tanhf(0.5 * 1 + 0.1), a2 = tanhf(0.5 * 2 + 0.8 * a1 + 0.1), a3 = tanhf(0.5 * 3 + 0.8 * a2 + 0.1)
        let b1 = tanhf(0.5 * -1 + 0.8 * 0.5 + 0.1), b2 = tanhf(0.5 * -2 + 0.8 * b1 + 0.1)
        XCTAssertEqual(out[0].dims, [2, 1, 3, 1])
        assertClose(floats(out[0]), [a1, a2, a3, b1, b2, 0])
        assertClose(floats(out[1]), [a3, b2])
    }

    func testRNNReverseWalksBackFromTheLastValidStep() throws {
        // seq 3 with length 2: steps x_1 then x_0; Y[2] stays 0
        let out = try evaluate(RNNSequence(hiddenSize: 1, direction: .reverse),
                               [.f32([1, 2, 3], dims: [1, 3, 1]), .f32([0], dims: [1, 1, 1]), .i64([2]),
                                .f32([1], dims: [1, 1, 1]), .f32([1], dims: [1, 1, 1]), .f32([0], dims: [1, 1])])
        let h1 = tanhf(2), h0 = tanhf(1 + h1)
        assertClose(floats(out[0]), [h0, h1, 0])
        assertClose(floats(out[1]), [h0])
    }

    func testBidirectionalRNNStacksForwardThenReverse() throws {
        // direction 0: W 1, R 0, B 0 (h_t = tanh(x_t)); direction 1: W 2, R 1, B 0, reversed
        let out = try evaluate(RNNSequence(hiddenSize: 1, direction: .bidirectional),
                               [.f32([0.5, -0.25], dims: [1, 2, 1]), .f32([0, 0], dims: [1, 2, 1]), .i32([2]),
                                .f32([1, 2], dims: [2, 1, 1]), .f32([0, 1], dims: [2, 1, 1]), .f32([0, 0], dims: [2, 1])])
        let r1 = tanhf(2 * -0.25), r0 = tanhf(2 * 0.5 + r1)
        XCTAssertEqual(out[0].dims, [1, 2, 2, 1])
        assertClose(floats(out[0]), [tanhf(0.5), tanhf(-0.25), r0, r1])
        assertClose(floats(out[1]), [tanhf(-0.25), r0])
    }

    func testClipBoundsThePreActivation() throws {
        // relu(clip(3·x, 1)): 3·0.2 = 0.6 passes, 3·2 = 6 is clipped to 1, 3·-1 → relu 0
        let out = try evaluate(RNNSequence(hiddenSize: 1, activations: ["relu"], clip: 1),
                               [.f32([0.2, 2, -1], dims: [1, 3, 1]), .f32([0], dims: [1, 1, 1]), .i32([3]),
                                .f32([3], dims: [1, 1, 1]), .f32([0], dims: [1, 1, 1]), .f32([0], dims: [1, 1])])
        assertClose(floats(out[0]), [0.6, 1, 0])
    }

    func testLSTMGatesAreFICO() throws {
        // hidden 1, input 1; W rows f, i, c, o = 0.1, 0.2, 0.3, 0.4; R = 0.5, 0.6, 0.7, 0.8; B = 0.01, 0.02, 0.03, 0.04
        let w: [Float] = [0.1, 0.2, 0.3, 0.4], r: [Float] = [0.5, 0.6, 0.7, 0.8], b: [Float] = [0.01, 0.02, 0.03, 0.04]
        let xs: [Float] = [1, -2]
        var h: Float = 0.25, c: Float = -0.5
        var ys: [Float] = []
        for x in xs {
            let f = sigmoid(w[0] * x + r[0] * h + b[0]), i = sigmoid(w[1] * x + r[1] * h + b[1])
            let g = tanhf(w[2] * x + r[2] * h + b[2]), o = sigmoid(w[3] * x + r[3] * h + b[3])
            c = f * c + i * g
            h = o * tanhf(c)
            ys.append(h)
        }
        let out = try evaluate(LSTMSequence(hiddenSize: 1), [.f32(xs, dims: [1, 2, 1]), .f32([0.25], dims: [1, 1, 1]), .f32([-0.5], dims: [1, 1, 1]),
                                                            .i32([2]), .f32(w, dims: [1, 4, 1]), .f32(r, dims: [1, 4, 1]), .f32(b, dims: [1, 4])])
        XCTAssertEqual(out.count, 3)
        assertClose(floats(out[0]), ys)
        assertClose(floats(out[1]), [h])
        assertClose(floats(out[2]), [c])
    }

    func testGRUWithAndWithoutLinearBeforeReset() throws {
        // hidden 1, input 1; W z, r, h = 0.5, -0.4, 0.3; R = 0.2, 0.7, -0.6; one step from h0 = 0.4 on x = 1.5
        let x: Float = 1.5, h0: Float = 0.4
        let z = sigmoid(0.5 * x + 0.2 * h0 + 0.1), reset = sigmoid(-0.4 * x + 0.7 * h0 + 0.2)
        // default: h~ = tanh(Wh·x + Rh·(r·h0) + Bh), Bh = 0.3 (Wbh + Rbh together)
        let plain = tanhf(0.3 * x + -0.6 * (reset * h0) + 0.3)
        let inputs: (Tensor) -> [Tensor] = { bias in
            [.f32([x], dims: [1, 1, 1]), .f32([h0], dims: [1, 1, 1]), .i32([1]),
             .f32([0.5, -0.4, 0.3], dims: [1, 3, 1]), .f32([0.2, 0.7, -0.6], dims: [1, 3, 1]), bias]
        }
        let out = try evaluate(GRUSequence(hiddenSize: 1), inputs(.f32([0.1, 0.2, 0.3], dims: [1, 3])))
        assertClose(floats(out[0]), [(1 - z) * plain + z * h0])
        // linear_before_reset: h~ = tanh(Wh·x + Wbh + r·(Rh·h0 + Rbh)), Wbh 0.1, Rbh 0.2
        let linear = tanhf(0.3 * x + 0.1 + reset * (-0.6 * h0 + 0.2))
        let lbr = try evaluate(GRUSequence(hiddenSize: 1, linearBeforeReset: true), inputs(.f32([0.1, 0.2, 0.1, 0.2], dims: [1, 4])))
        assertClose(floats(lbr[1]), [(1 - z) * linear + z * h0])
    }
}
