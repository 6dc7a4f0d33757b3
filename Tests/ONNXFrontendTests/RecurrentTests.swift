import Evaluator
import Foundation
import XCTest
import OVIR
@testable import ONNXFrontend

/// LSTM, GRU and RNN as LSTMSequence / GRUSequence / RNNSequence: the translated structure, and values run by the
/// evaluator against the ONNX operator definitions (ONNX gate order and bias layout) worked out in the test.
final class RecurrentTests: XCTestCase {
    private func sigmoid(_ v: Float) -> Float { 1 / (1 + expf(-v)) }
    private func values(_ t: Tensor) -> [Float] { (t.doubleValues() ?? []).map(Float.init) }

    private static func strings(_ name: String, _ values: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .strings
        a.strings = values.map { Data($0.utf8) }
        return a
    }

    /// An f32 graph input whose first `dynamic` dims are named (dynamic) dims.
    private static func dynamicInput(_ name: String, _ dims: [Int], dynamic: Set<Int>) -> Onnx_ValueInfoProto {
        var v = ModelBuilder.valueInfo(name, dims, 1)
        for i in dynamic { v.type.tensorType.shape.dim[i].dimParam = "d\(i)" }
        return v
    }

    private func nodes(_ g: Graph, _ type: String) -> [Node] { g.nodes.filter { $0.op.typeName == type } }

    // ONNX LSTM, hidden 1, input 1: W rows i, o, f, c; B = [Wb i, o, f, c, Rb i, o, f, c].
    private let lstmW: [Float] = [0.1, 0.2, 0.3, 0.4], lstmR: [Float] = [0.5, 0.6, 0.7, 0.8]
    private let lstmB: [Float] = [0.01, 0.02, 0.03, 0.04, 0.1, 0.2, 0.3, 0.4]

    private func lstmModel(attributes: [Onnx_AttributeProto] = [], peepholes: [Float]? = nil) -> ModelBuilder {
        var m = ModelBuilder()
        m.input("x", [2, 1, 1])
        m.initializer("W", lstmW, dims: [1, 4, 1])
        m.initializer("R", lstmR, dims: [1, 4, 1])
        m.initializer("B", lstmB, dims: [1, 8])
        var inputs = ["x", "W", "R", "B"]
        if let peepholes {
            m.initializer("P", peepholes, dims: [1, 3])
            inputs += ["", "", "", "P"]
        }
        m.node("LSTM", inputs, ["y", "y_h", "y_c"], name: "lstm",
               attributes: [ModelBuilder.attribute("hidden_size", int: 1)] + attributes)
        m.output("y", [2, 1, 1, 1])
        m.output("y_h", [1, 1, 1])
        m.output("y_c", [1, 1, 1])
        return m
    }

    func testLSTMReordersGatesAndSumsBiases() throws {
        let g = try lstmModel().importGraph()
        let lstm = try XCTUnwrap(nodes(g, "LSTMSequence").first)
        XCTAssertEqual((lstm.op as? LSTMSequence)?.hiddenSize, 1)
        XCTAssertEqual(g.results.map { $0.inputs[0].shape }, [.fixed([2, 1, 1, 1]), .fixed([1, 1, 1]), .fixed([1, 1, 1])])
        // ONNX definition from zero states: it = σ(Wi·x + Ri·h + Wbi + Rbi), ft, ct = tanh(...), ot, Ct = ft·Ct-1 + it·ct
        var h: Float = 0, c: Float = 0, ys: [Float] = []
        for x: Float in [1, -2] {
            let i = sigmoid(0.1 * x + 0.5 * h + 0.01 + 0.1), o = sigmoid(0.2 * x + 0.6 * h + 0.02 + 0.2)
            let f = sigmoid(0.3 * x + 0.7 * h + 0.03 + 0.3), cc = tanhf(0.4 * x + 0.8 * h + 0.04 + 0.4)
            c = f * c + i * cc
            h = o * tanhf(c)
            ys.append(h)
        }
        let out = try Evaluator().run(g, inputs: ["x": .f32([1, -2], dims: [2, 1, 1])])
        assertClose(values(out[0]), ys)
        assertClose(values(out[1]), [h])
        assertClose(values(out[2]), [c])
    }

    func testLSTMRefusesWhatOpenVINOCannotRun() throws {
        let peephole = lstmModel(peepholes: [0.1, 0, 0]).importError()
        XCTAssertTrue(peephole?.contains("'lstm'") == true && peephole?.contains("peephole") == true, peephole ?? "imported")
        XCTAssertNil(lstmModel(peepholes: [0, 0, 0]).importError())
        let coupled = lstmModel(attributes: [ModelBuilder.attribute("input_forget", int: 1)]).importError()
        XCTAssertTrue(coupled?.contains("'lstm'") == true && coupled?.contains("input_forget") == true, coupled ?? "imported")
        let leaky = lstmModel(attributes: [Self.strings("activations", ["LeakyRelu", "Tanh", "Tanh"])]).importError()
        XCTAssertTrue(leaky?.contains("'lstm'") == true && leaky?.contains("LeakyRelu") == true, leaky ?? "imported")
    }

    func testGRULinearBeforeResetKeepsTheHBiasesApart() throws {
        // hidden 1, input 1, one step; W z, r, h = 0.5, -0.4, 0.3; R = 0.2, 0.7, -0.6; B = Wb 0.1, 0.2, 0.3, Rb 0.05, 0.15, 0.25
        var m = ModelBuilder()
        m.input("x", [1, 1, 1])
        m.input("h0", [1, 1, 1])
        m.initializer("W", [0.5, -0.4, 0.3], dims: [1, 3, 1])
        m.initializer("R", [0.2, 0.7, -0.6], dims: [1, 3, 1])
        m.initializer("B", [0.1, 0.2, 0.3, 0.05, 0.15, 0.25], dims: [1, 6])
        m.node("GRU", ["x", "W", "R", "B", "", "h0"], ["y", "y_h"], name: "gru",
               attributes: [ModelBuilder.attribute("hidden_size", int: 1), ModelBuilder.attribute("linear_before_reset", int: 1)])
        m.output("y")
        m.output("y_h")
        let g = try m.importGraph()
        XCTAssertEqual((nodes(g, "GRUSequence").first?.op as? GRUSequence)?.linearBeforeReset, true)
        let (x, h0): (Float, Float) = (1.5, 0.4)
        let z = sigmoid(0.5 * x + 0.2 * h0 + 0.1 + 0.05), r = sigmoid(-0.4 * x + 0.7 * h0 + 0.2 + 0.15)
        let hh = tanhf(0.3 * x + 0.3 + r * (-0.6 * h0 + 0.25))
        let out = try Evaluator().run(g, inputs: ["x": .f32([x], dims: [1, 1, 1]), "h0": .f32([h0], dims: [1, 1, 1])])
        assertClose(values(out[1]), [(1 - z) * hh + z * h0])
    }

    func testRNNLayout1BidirectionalWithSequenceLengths() throws {
        // opset 14, layout 1: X [batch 2, seq 2, input 1], Y [batch, seq, dirs, hidden], Y_h [batch, dirs, hidden]
        var m = ModelBuilder()
        m.input("x", [2, 2, 1])
        m.initializer("W", [1, 2], dims: [2, 1, 1])
        m.initializer("R", [0.5, -1], dims: [2, 1, 1])
        m.initializer("lens", int64: [2, 1], dims: [2], dataType: 6)
        m.node("RNN", ["x", "W", "R", "", "lens"], ["y", "y_h"], name: "rnn",
               attributes: [ModelBuilder.attribute("hidden_size", int: 1), ModelBuilder.attribute("layout", int: 1),
                            ModelBuilder.attribute("direction", string: "bidirectional")])
        m.output("y")
        m.output("y_h")
        let g = try m.importGraph()
        XCTAssertEqual(g.results.map { $0.inputs[0].shape }, [.fixed([2, 2, 2, 1]), .fixed([2, 2, 1])])
        let out = try Evaluator().run(g, inputs: ["x": .f32([1, 2, 3, 4], dims: [2, 2, 1])])
        // batch 0 (length 2): forward tanh(x), tanh(2 + 0.5·f0); reverse from x1: tanh(2·2), tanh(2·1 - r1)
        let f0 = tanhf(1), f1 = tanhf(2 + 0.5 * f0), r1 = tanhf(4), r0 = tanhf(2 - r1)
        // batch 1 (length 1): forward tanh(3); reverse tanh(2·3); step 1 zero in both directions
        let g0 = tanhf(3), s0 = tanhf(6)
        assertClose(values(out[0]), [f0, r0, f1, r1, g0, s0, 0, 0])
        assertClose(values(out[1]), [f1, r0, g0, s0])
    }

    func testDynamicBatchGetsZeroStatesShapedAtRunTime() throws {
        var m = ModelBuilder()
        m.graph.input.append(Self.dynamicInput("x", [3, 2, 1], dynamic: [0, 1]))
        m.initializer("W", [1, 0, 0], dims: [1, 3, 1])
        m.initializer("R", [0, 0, 0], dims: [1, 3, 1])
        m.node("GRU", ["x", "W", "R"], ["y", "y_h"], name: "gru", attributes: [ModelBuilder.attribute("hidden_size", int: 1)])
        m.output("y")
        m.output("y_h")
        let g = try m.importGraph()
        XCTAssertEqual(g.results[0].inputs[0].shape, .ranked([.dynamic, .fixed(1), .dynamic, .fixed(1)]))
        XCTAssertFalse(nodes(g, "ShapeOf").isEmpty)
        // W z = 1, r = 0, h = 0, no biases, R 0: z = σ(x), h~ = tanh(0) = 0, so h_t = σ(x_t)·h_{t-1} = 0 from h0 = 0
        let out = try Evaluator().run(g, inputs: ["x": .f32([1, 2, 3], dims: [3, 1, 1])])
        XCTAssertEqual(out[0].dims, [3, 1, 1, 1])
        assertClose(values(out[0]), [0, 0, 0])
        let two = try Evaluator().run(g, inputs: ["x": .f32([1, 2, 3, 4], dims: [2, 2, 1])])
        XCTAssertEqual(two[1].dims, [1, 2, 1])
    }

    // MARK: com.microsoft::DynamicQuantizeLSTM

    /// One direction of ONNX LSTM (gates i, o, f, c; default activations) over `xs` (steps of `input` values, batch 1,
    /// hidden 1), `w` [4][input] and `r` [4] in ONNX's gate order, `b` = Wb + Rb per gate; returns (Y, h, c).
    private func lstmReference(_ xs: [[Float]], w: [[Float]], r: [Float], b: [Float], h0: Float, c0: Float) -> ([Float], Float, Float) {
        var h = h0, c = c0, ys: [Float] = []
        for x in xs {
            let g = (0..<4).map { k in zip(w[k], x).map(*).reduce(0, +) + r[k] * h + b[k] }
            c = sigmoid(g[2]) * c + sigmoid(g[0]) * tanhf(g[3])
            h = sigmoid(g[1]) * tanhf(c)
            ys.append(h)
        }
        return (ys, h, c)
    }

    private func dynamicQuantizeLSTMModel(direction: String, x: [Int], states: [Int]) -> ModelBuilder {
        var m = ModelBuilder()
        m.domains = ["com.microsoft": 1]
        m.input("x", x)
        m.input("h0", states)
        m.input("c0", states)
        m.node("DynamicQuantizeLSTM", ["x", "W", "R", "B", "", "h0", "c0", "", "W_scale", "W_zp", "R_scale", "R_zp"], ["y", "y_h", "y_c"],
               name: "qlstm", domain: "com.microsoft",
               attributes: [ModelBuilder.attribute("hidden_size", int: 1), ModelBuilder.attribute("direction", string: direction)])
        m.output("y")
        m.output("y_h")
        m.output("y_c")
        return m
    }

    func testDynamicQuantizeLSTMDequantizesTransposedU8Weights() throws {
        // input 2, hidden 1, u8 with zero point 128. W is [dirs, input, 4·hidden], columns i, o, f, c: (q - 128) · 0.05
        // gives W_onnx rows i [0.1, -0.2], o [0.2, 0.1], f [0.3, 0.05], c [0.4, -0.3]; R (q - 128) · 0.1 = 0.5, 0.6, 0.7, 0.8.
        var m = dynamicQuantizeLSTMModel(direction: "forward", x: [2, 1, 2], states: [1, 1, 1])
        m.initializer("W", int64: [130, 132, 134, 136, 124, 130, 129, 122], dims: [1, 2, 4], dataType: 2)
        m.initializer("R", int64: [133, 134, 135, 136], dims: [1, 1, 4], dataType: 2)
        m.initializer("B", lstmB, dims: [1, 8])
        m.initializer("W_scale", [0.05], dims: [1])
        m.initializer("W_zp", int64: [128], dims: [1], dataType: 2)
        m.initializer("R_scale", [0.1], dims: [1])
        m.initializer("R_zp", int64: [128], dims: [1], dataType: 2)
        let g = try m.importGraph()
        let lstm = try XCTUnwrap(nodes(g, "LSTMSequence").first)
        // W and R reach the LSTM as Convert(u8) → Subtract → Multiply, so they stay 8-bit in the IR.
        for port in [4, 5] {
            let multiply = lstm.inputs[port].node
            XCTAssertTrue(multiply.op is Multiply)
            XCTAssertTrue(multiply.inputs[0].node.op is Subtract)
            XCTAssertEqual(multiply.inputs[0].node.inputs[0].node.inputs[0].elementType, .u8)
        }
        let b = (0..<4).map { lstmB[$0] + lstmB[4 + $0] }
        let expected = lstmReference([[1, 0.5], [-2, 1.5]], w: [[0.1, -0.2], [0.2, 0.1], [0.3, 0.05], [0.4, -0.3]],
                                     r: [0.5, 0.6, 0.7, 0.8], b: b, h0: 0.3, c0: -0.2)
        let out = try Evaluator().run(g, inputs: ["x": .f32([1, 0.5, -2, 1.5], dims: [2, 1, 2]),
                                                  "h0": .f32([0.3], dims: [1, 1, 1]), "c0": .f32([-0.2], dims: [1, 1, 1])])
        // onnxruntime 1.31.1, which quantizes x and h to u8 at each step, gives Y [0.17483184, -0.060623728] and
        // Y_c -0.11747636 here (Tools/.venv, this model built with onnx.helper): within 6e-4 of the float definition.
        assertClose(values(out[0]), expected.0)
        assertClose(values(out[1]), [expected.1])
        assertClose(values(out[2]), [expected.2])
    }

    func testDynamicQuantizeLSTMPerColumnScalesFollowTheGates() throws {
        // bidirectional, one step, input 2, hidden 1, i8 with zero zero points and a scale per direction and column
        // (i, o, f, c). Forward: W columns · [0.1, 0.2, 0.3, 0.4]; reverse: · [0.05, 0.1, 0.15, 0.2].
        var m = dynamicQuantizeLSTMModel(direction: "bidirectional", x: [1, 1, 2], states: [2, 1, 1])
        m.initializer("W", int64: [1, 1, 1, 1, -2, 1, 0, -1, 2, -1, 3, 1, 1, 2, -1, 4], dims: [2, 2, 4], dataType: 3)
        m.initializer("R", int64: [5, 3, 7, 2, -4, 6, 1, 3], dims: [2, 1, 4], dataType: 3)
        m.initializer("B", [0.1, -0.1, 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.3, -0.2, 0.1], dims: [2, 8])
        m.initializer("W_scale", [0.1, 0.2, 0.3, 0.4, 0.05, 0.1, 0.15, 0.2], dims: [2, 4])
        m.initializer("W_zp", int64: [0, 0, 0, 0, 0, 0, 0, 0], dims: [2, 4], dataType: 3)
        m.initializer("R_scale", [0.1, 0.2, 0.1, 0.4, 0.1, 0.1, 0.2, 0.2], dims: [2, 4])
        m.initializer("R_zp", int64: [0, 0, 0, 0, 0, 0, 0, 0], dims: [2, 4], dataType: 3)
        let g = try m.importGraph()
        XCTAssertTrue(nodes(g, "Subtract").isEmpty, "zero zero points need no Subtract")
        let forward = lstmReference([[0.5, -1]], w: [[0.1, -0.2], [0.2, 0.2], [0.3, 0], [0.4, -0.4]],
                                    r: [0.5, 0.6, 0.7, 0.8], b: [0.1, -0.1, 0.2, 0], h0: 0.2, c0: 0.1)
        let reverse = lstmReference([[0.5, -1]], w: [[0.1, 0.05], [-0.1, 0.2], [0.45, -0.15], [0.2, 0.8]],
                                    r: [-0.4, 0.6, 0.2, 0.6], b: [0, 0.3, -0.2, 0.1], h0: -0.4, c0: 0.3)
        let out = try Evaluator().run(g, inputs: ["x": .f32([0.5, -1], dims: [1, 1, 2]),
                                                  "h0": .f32([0.2, -0.4], dims: [2, 1, 1]), "c0": .f32([0.1, 0.3], dims: [2, 1, 1])])
        // onnxruntime 1.31.1 gives Y_h [0.20388606, -0.09504948], Y_c [0.45347735, -0.21315885] on this model.
        assertClose(values(out[1]), [forward.1, reverse.1])
        assertClose(values(out[2]), [forward.2, reverse.2])
    }

    func testDynamicQuantizeLSTMRefusesFloatWeights() throws {
        var m = dynamicQuantizeLSTMModel(direction: "forward", x: [1, 1, 1], states: [1, 1, 1])
        m.initializer("W", [0.1, 0.2, 0.3, 0.4], dims: [1, 1, 4])
        m.initializer("R", int64: [1, 2, 3, 4], dims: [1, 1, 4], dataType: 3)
        m.initializer("B", lstmB, dims: [1, 8])
        m.initializer("W_scale", [1], dims: [1])
        m.initializer("W_zp", int64: [0], dims: [1], dataType: 3)
        m.initializer("R_scale", [1], dims: [1])
        m.initializer("R_zp", int64: [0], dims: [1], dataType: 3)
        let message = m.importError()
        XCTAssertTrue(message?.contains("'qlstm'") == true && message?.contains("W must be u8 or i8") == true, message ?? "imported")
    }
}

private func assertClose(_ actual: [Float], _ expected: [Float], accuracy: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= accuracy * max(1, abs(e))) {
        XCTFail("element \(i): \(a) is not \(e)", file: file, line: line)
        return
    }
}
