import XCTest
import Evaluator
import OVIR
@testable import Passes

final class QuantizeINT8Tests: XCTestCase {
    /// 1×1 convolution, stride 1, no padding.
    let unitConvolution = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
    let dims = [1, 2, 2, 2]

    /// x [1,2,2,2] -> Convolution(w1 [2,2,1,1]) -> ReLU -> Convolution(w2 [1,2,1,1]) -> out
    func convReluConv() throws -> Graph {
        try oneInputGraph(.fixed(dims)) { g, x in
            let w1 = try g.constant(.f32([1.2, -2, 0.5, 0.3], dims: [2, 2, 1, 1]), name: "w1")
            g.addTensorNames(["w1"], to: w1)
            let c1 = try g.op(unitConvolution, x, w1, name: "conv1")
            let r = try g.op(Relu(), c1, name: "relu")
            return try g.op(unitConvolution, r, g.constant(.f32([4, -1], dims: [1, 2, 1, 1]), name: "w2"), name: "conv2")
        }
    }

    /// The ranges of x and relu's output in `g`: x [-2.4, 252.6] (255 wide, so the grid step is 1 and 0 moves onto
    /// it at -2), relu [0, 3].
    func ranges(_ g: Graph) -> QuantizationRanges {
        let x = g.parameters[0].output(), relu = g.nodes.first { $0.name == "relu" }!.output()
        return QuantizationRanges([x: -2.4...252.6, relu: 0...3])
    }

    // conv(x, w) -> conv(FQ(x), Multiply(Convert(Const i8), scale)), per output channel:
    // w1 channel 0 [1.2, -2]: scale 2/127, q = [round(76.2) = 76, -127]; channel 1 [0.5, 0.3]: scale 0.5/127, q = [127, 76].
    // w2 channel 0 [4, -1]: scale 4/127, q = [127, round(-31.75) = -32].
    func testConvReluConvGetsFakeQuantizeOnActivationsAndInt8Weights() throws {
        let g = try convReluConv()
        let result = try QuantizeINT8(ranges: ranges(g)).run(on: g)
        XCTAssertTrue(result.changed)
        try g.verify()
        let e = try oneInputGraph(.fixed(dims)) { g, x in
            func fq(_ v: Output, _ base: String, _ low: Float, _ high: Float) throws -> Output {
                let l = try g.constant(.scalar(f32: low), name: "\(base)/fq/input_low")
                let h = try g.constant(.scalar(f32: high), name: "\(base)/fq/input_high")
                return try g.add(FakeQuantize(levels: 256), [v, l, h, l, h], name: "\(base)/fq").output()
            }
            func weights(_ name: String, _ q: [Int8], _ dims: [Int], _ scales: [Float], _ scaleDims: [Int]) throws -> Output {
                let c = try g.constant(Tensor(.i8, dims: dims, values: q), name: "\(name)/int8")
                let f = try g.op(Convert(.f32), c, name: "\(name)/convert")
                return try g.op(Multiply(), f, g.constant(Tensor(.f32, dims: scaleDims, values: scales), name: "\(name)/scale"), name: name)
            }
            let w1 = try weights("w1", [76, -127, 127, 76], [2, 2, 1, 1], [2 / 127, 0.5 / 127], [2, 1, 1, 1])
            g.addTensorNames(["w1"], to: w1)
            let c1 = try g.op(unitConvolution, fq(x, "x", -2, 253), w1, name: "conv1")
            let r = try g.op(Relu(), c1, name: "relu")
            return try g.op(unitConvolution, fq(r, "relu", 0, 3), weights("w2", [127, -32], [1, 2, 1, 1], [4 / 127], [1, 1, 1, 1]),
                            name: "conv2")
        }
        assertSameGraph(g, e)
    }

    /// The quantized graph computes nearly what the float one does (inputs inside the calibrated ranges).
    func testQuantizedOutputsStayCloseToFloat() throws {
        let g = try convReluConv()
        let inputs: [String: Tensor] = ["x": .f32([0, 1, 2, 3, 4, 5, 6, 7], dims: dims)]
        let before = try Evaluator().run(g.copy(), inputs: inputs)[0].doubleValues()!
        let x = g.parameters[0].output(), relu = g.nodes.first { $0.name == "relu" }!.output()
        _ = try QuantizeINT8(ranges: QuantizationRanges([x: 0...7, relu: 0...20])).run(on: g)
        let after = try Evaluator().run(g, inputs: inputs)[0].doubleValues()!
        // Float: conv1 = 1.2·[0,1,2,3] - 2·[4,5,6,7] < 0 (ReLU: 0) and 0.5·[0,1,2,3] + 0.3·[4,5,6,7]; conv2 = -1 × the latter.
        for (a, b) in zip(before, [-1.2, -2, -2.8, -3.6]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(after, before) { XCTAssertEqual(a, b, accuracy: 0.1) }
    }

    func testIgnoredNamesAndTypesStayFloat() throws {
        let g = try convReluConv()
        let result = try QuantizeINT8(options: QuantizationOptions(ignoredNames: ["conv2"]), ranges: ranges(g)).run(on: g)
        let conv2 = g.nodes.first { $0.name == "conv2" }!
        XCTAssertEqual(conv2.inputs[0].node.name, "relu")
        XCTAssertTrue(conv2.inputs[1].node.op is Constant)
        XCTAssertEqual(g.nodes.first { $0.name == "conv1" }!.inputs[0].node.op.typeName, "FakeQuantize")
        XCTAssertEqual(result.skipped, ["Convolution 'conv2': ignored"])

        let h = try convReluConv(), unchanged = try h.copy()
        let byType = try QuantizeINT8(options: QuantizationOptions(ignoredTypes: ["Convolution"]), ranges: ranges(h)).run(on: h)
        XCTAssertFalse(byType.changed)
        assertSameGraph(h, unchanged)
    }

    func testAValueWithoutARangeIsSkipped() throws {
        let g = try convReluConv()
        let result = try QuantizeINT8(ranges: QuantizationRanges([g.parameters[0].output(): 0...1])).run(on: g)
        XCTAssertEqual(result.skipped, ["'relu:0': no calibrated range"])
        XCTAssertTrue(g.nodes.first { $0.name == "conv2" }!.inputs[1].node.op is Constant)
    }

    func testAnAlreadyQuantizedModelIsLeftAlone() throws {
        let g = try convReluConv()
        _ = try QuantizeINT8(ranges: ranges(g)).run(on: g)
        let again = try QuantizeINT8(ranges: QuantizationRanges()).run(on: g)
        XCTAssertFalse(again.changed)
        XCTAssertEqual(again.skipped, ["the model is already quantized: it has FakeQuantize 'x/fq'"])
    }

    /// GroupConvolution weights [G=2, OC/G=1, IC/G=1, 1, 1] get scales [2, 1, 1, 1, 1]; MatMul weights get one scale
    /// per output column: [N, 1] with transpose_b, [1, N] without.
    func testGroupConvolutionAndMatMulScaleLayouts() throws {
        var group = GroupConvolution()
        (group.strides, group.dilations, group.padsBegin, group.padsEnd) = ([1, 1], [1, 1], [0, 0], [0, 0])
        let g = try oneInputGraph(.fixed(dims)) { g, x in
            try g.op(group, x, g.constant(.f32([3, -6], dims: [2, 1, 1, 1, 1]), name: "wg"), name: "gconv")
        }
        _ = try QuantizeINT8(ranges: QuantizationRanges([g.parameters[0].output(): 0...1])).run(on: g)
        let scale = g.nodes.first { $0.name == "wg/scale" }!
        XCTAssertEqual((scale.op as! Constant).tensor, Tensor(.f32, dims: [2, 1, 1, 1, 1], values: [Float(3) / 127, Float(6) / 127]))
        XCTAssertEqual((g.nodes.first { $0.name == "wg/int8" }!.op as! Constant).tensor, Tensor(.i8, dims: [2, 1, 1, 1, 1], values: [Int8(127), -127]))

        for transposeB in [true, false] {
            var matmul = MatMul()
            matmul.transposeB = transposeB
            // N = 2 outputs, K = 3: rows [1, 2.4, 4] and [-8, 0, 1] of the [N, K] weight.
            let w: [Float] = transposeB ? [1, 2.4, 4, -8, 0, 1] : [1, -8, 2.4, 0, 4, 1]
            let m = try oneInputGraph(.fixed([1, 3])) { g, x in
                try g.op(matmul, x, g.constant(.f32(w, dims: transposeB ? [2, 3] : [3, 2]), name: "wm"), name: "mm")
            }
            _ = try QuantizeINT8(ranges: QuantizationRanges([m.parameters[0].output(): -1...1])).run(on: m)
            try m.verify()
            let s = (m.nodes.first { $0.name == "wm/scale" }!.op as! Constant).tensor
            XCTAssertEqual(s, Tensor(.f32, dims: transposeB ? [2, 1] : [1, 2], values: [Float(4) / 127, Float(8) / 127]))
            // Row 0: 1, 2.4, 4 over 4/127 -> 31.75, 76.2, 127 -> 32, 76, 127; row 1: -8, 0, 1 over 8/127 -> -127, 0, 15.875 -> 16.
            let q: [Int8] = transposeB ? [32, 76, 127, -127, 0, 16] : [32, -127, 76, 0, 127, 16]
            XCTAssertEqual((m.nodes.first { $0.name == "wm/int8" }!.op as! Constant).tensor, Tensor(.i8, dims: transposeB ? [2, 3] : [3, 2], values: q))
        }
    }

    /// A residual Add of two activation branches gets a FakeQuantize on each input; a bias Add (a Const input) none.
    func testResidualAddInputsAreQuantizedBiasAddIsNot() throws {
        let g = try oneInputGraph(.fixed(dims)) { g, x in
            let r = try g.op(Relu(), x, name: "relu")
            let sum = try g.op(Add(), x, r, name: "residual")
            return try g.op(Add(), sum, g.constant(.f32([1, 2], dims: [1, 2, 1, 1]), name: "b"), name: "bias")
        }
        let plan = QuantizeINT8.plan(g, options: QuantizationOptions())
        XCTAssertEqual(plan.sites.map { "\($0.consumer.name):\($0.input)" }, ["residual:0", "residual:1"])
        XCTAssertEqual(plan.points.map(\.description), ["x:0", "relu:0"])
        XCTAssertEqual(QuantizeINT8.plan(g, options: QuantizationOptions(quantizeResidualAdds: false)).sites.count, 0)
    }

    /// With a dynamic batch (as `--imgsz` leaves it) the two branches are still alike; a per-channel [?,2,1,1]
    /// activation added to [?,2,2,2] is no residual.
    func testResidualAddWithADynamicBatch() throws {
        let shape = Shape.ranked([.dynamic, .fixed(2), .fixed(2), .fixed(2)])
        let g = try oneInputGraph(shape) { g, x in
            let r = try g.op(Relu(), x, name: "relu")
            let sum = try g.op(Add(), x, r, name: "residual")
            var reduce = ReduceMax()
            reduce.keepDims = true
            let pooled = try g.op(reduce, sum, g.constant(.i64([2, 3]), name: "axes"), name: "pool")
            return try g.op(Add(), sum, pooled, name: "broadcast")
        }
        XCTAssertEqual(QuantizeINT8.plan(g, options: QuantizationOptions()).sites.map { "\($0.consumer.name):\($0.input)" },
                       ["residual:0", "residual:1"])
    }

    /// A range widens to hold 0 and moves so that 0 is on the grid; [0, h] and [l, 0] stay.
    func testFakeQuantizeRangeHoldsZeroOnTheGrid() {
        XCTAssert(QuantizeINT8.fakeQuantizeRange(-2.4...252.6) == (-2, 253))
        XCTAssert(QuantizeINT8.fakeQuantizeRange(1...3) == (0, 3))
        XCTAssert(QuantizeINT8.fakeQuantizeRange(-4 ... -1) == (-4, 0))
        XCTAssert(QuantizeINT8.fakeQuantizeRange(0...0) == (0, 1e-6))
    }

    private var corrected: QuantizationOptions {
        var options = QuantizationOptions()
        options.biasCorrection = true
        return options
    }

    /// The bias Const of the Add after `name` in `g`.
    private func bias(after name: String, in g: Graph) -> [Float] {
        let add = g.nodes.first { $0.op is Add && $0.inputs.contains { $0.node.name == name } }!
        return QuantizeINT8.floats(add.inputs.first { $0.constant != nil }!.constant!)
    }

    /// Convolution weights [1, 2, 1, 1] = [1, 0.3]: scale 1/127, q = [127, round(38.1) = 38], so channel 1's weight
    /// becomes 38/127 = 0.2992126, off by -0.000787402; with input channel means [2, 10] the output's mean moves by
    /// -0.00787402, which the bias 0.5 takes back: 0.50787402 (with bias correction on; off by default, the bias stays).
    func testBiasCorrectionTakesTheWeightErrorsMeanOffTheBias() throws {
        func graph() throws -> Graph {
            try oneInputGraph(.fixed(dims)) { g, x in
                let c = try g.op(unitConvolution, x, g.constant(.f32([1, 0.3], dims: [1, 2, 1, 1]), name: "w"), name: "conv")
                return try g.op(Add(), c, g.constant(.f32([0.5], dims: [1, 1, 1, 1]), name: "b"), name: "bias")
            }
        }
        let g = try graph()
        var ranges = QuantizationRanges([g.parameters[0].output(): 0...20])
        ranges.channelMeans[g.parameters[0].output()] = [2, 10]
        XCTAssertEqual(QuantizeINT8.plan(g, options: QuantizationOptions()).channelAxes, [g.parameters[0].output(): 1])
        _ = try QuantizeINT8(options: corrected, ranges: ranges).run(on: g)
        try g.verify()
        XCTAssertEqual(bias(after: "conv", in: g)[0], 0.50787402, accuracy: 1e-7)
        XCTAssertEqual(g.nodes.filter { $0.name == "b" }.count, 1, "the old bias is gone")

        let off = try graph()
        var offRanges = QuantizationRanges([off.parameters[0].output(): 0...20])
        offRanges.channelMeans[off.parameters[0].output()] = [2, 10]
        _ = try QuantizeINT8(ranges: offRanges).run(on: off)
        XCTAssertEqual(bias(after: "conv", in: off), [0.5])
    }

    /// MatMul weight [K=2, N=2] = [[1, 0.3], [0.5, 1]] read untransposed, one scale per column: column 0 (1, 0.5) over
    /// 1/127 → 127, round(63.5) = 64, so 0.5 becomes 64/127, off by +0.003937; column 1 (0.3, 1) → 38, 127, so 0.3 is
    /// off by -0.000787402. Input means [2, 10] along the last axis: shifts 10 × 0.003937 = 0.03937 and
    /// 2 × -0.000787402 = -0.0015748, taken off the bias [1, 2] = [0, 0].
    func testBiasCorrectionOfAMatMulPerColumn() throws {
        let g = try oneInputGraph(.fixed([1, 3, 2])) { g, x in
            let m = try g.op(MatMul(), x, g.constant(.f32([1, 0.3, 0.5, 1], dims: [2, 2]), name: "w"), name: "mm")
            return try g.op(Add(), m, g.constant(.f32([0, 0], dims: [1, 2]), name: "b"), name: "bias")
        }
        let x = g.parameters[0].output()
        XCTAssertEqual(QuantizeINT8.plan(g, options: QuantizationOptions()).channelAxes, [x: 2])
        var ranges = QuantizationRanges([x: -1...20])
        ranges.channelMeans[x] = [2, 10]
        _ = try QuantizeINT8(options: corrected, ranges: ranges).run(on: g)
        let b = bias(after: "mm", in: g)
        XCTAssertEqual(b[0], -10 * (64.0 / 127 - 0.5), accuracy: 1e-6)
        XCTAssertEqual(b[1], -2 * (38.0 / 127 - 0.3), accuracy: 1e-7)
    }

    /// No correction where the bias is not one value per output channel along the channel axis: a convolution's
    /// [2] bias broadcasts along width, not channels.
    func testBiasAlongAnotherAxisIsLeftAlone() throws {
        let g = try oneInputGraph(.fixed(dims)) { g, x in
            let c = try g.op(unitConvolution, x, g.constant(.f32([1, 0.3, 0.3, 1], dims: [2, 2, 1, 1]), name: "w"), name: "conv")
            return try g.op(Add(), c, g.constant(.f32([0.5, 0.5], dims: [2]), name: "b"), name: "bias")
        }
        var ranges = QuantizationRanges([g.parameters[0].output(): 0...20])
        ranges.channelMeans[g.parameters[0].output()] = [2, 10]
        _ = try QuantizeINT8(options: corrected, ranges: ranges).run(on: g)
        XCTAssertEqual(bias(after: "conv", in: g), [0.5, 0.5])
    }
}
