import XCTest
import OVIR
@testable import Passes

final class CompressWeightsToFP16Tests: XCTestCase {
    private let decompression = RTAttribute(name: "decompression")

    /// y = x * w: the f32 Const w becomes Const(f16, "w_compressed") -> Convert(f32, "w", decompression); the
    /// Const keeps w's tensor names (as ovc writes it). 1.5 and -2.25 are exact in f16, so y is unchanged.
    func testAnF32WeightBecomesAnF16ConstReadThroughADecompressionConvert() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let w = try g.constant(.f32([1.5, -2.25]), name: "w")
        g.addTensorNames(["w_tensor"], to: w)
        try g.addResult(g.add(Multiply(), [x.output(), w], name: "y").output(), name: "out")

        let result = try runChecked(CompressWeightsToFP16(), on: g, inputs: ["x": .f32([2, 4])])
        XCTAssertEqual(result, PassResult(changed: true))

        let e = Graph(name: "g")
        let ex = try e.addParameter("x", TensorType(.f32, .fixed([2])))
        let compressed = try e.add(Constant(Tensor(.f16, dims: [2], values: [Float16(1.5), Float16(-2.25)])), [], name: "w_compressed")
        e.addTensorNames(["w_tensor"], to: compressed.output())
        let convert = try e.add(Convert(.f32), [compressed.output()], name: "w")
        convert.rtInfo = [decompression]
        try e.addResult(e.add(Multiply(), [ex.output(), convert.output()], name: "y").output(), name: "out")
        assertSameGraph(g, e)

        // Already compressed: a second run and constant folding leave it alone.
        XCTAssertEqual(try CompressWeightsToFP16().run(on: g), PassResult(changed: false))
        XCTAssertEqual(try ConstantFolding().run(on: g), PassResult(changed: false))
        assertSameGraph(g, e)
    }

    /// A 1e-12 epsilon (flushes to 0), a 1e6 scale (beyond ±65504), a 1e-5 epsilon (subnormal in f16:
    /// round(1e-5 / 2^-24) = 168, so 168 × 2^-24 = 1.001358e-05) and an i64 Reshape target all stay as they are.
    func testConstantsF16WouldDamageStayF32AndAreListed() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 4])))
        let a = try g.add(Add(), [x.output(), g.constant(.scalar(f32: 1e-12), name: "eps")], name: "a")
        let b = try g.add(Multiply(), [a.output(), g.constant(.scalar(f32: 1e6), name: "big")], name: "b")
        let c = try g.add(Add(), [b.output(), g.constant(.f32([1e-5]), name: "eps5")], name: "c")
        try g.addResult(g.add(Reshape(), [c.output(), g.constant(.i64([2, 2]), name: "target")], name: "r").output(), name: "out")
        let before = try g.copy()

        let result = try CompressWeightsToFP16().run(on: g)
        try g.verify()
        XCTAssertFalse(result.changed)
        XCTAssertEqual(result.skipped.count, 3, "\(result.skipped)")
        XCTAssertEqual(result.skipped.first, "'eps' []: 1e-12 flushes to 0 in f16")
        XCTAssertEqual(result.skipped.dropFirst().first, "'big' []: 1000000.0 is beyond f16's ±65504")
        XCTAssertTrue(result.skipped.last?.hasPrefix("'eps5' [1]: 1e-05 becomes the subnormal 1.001358e-05 in f16") == true,
                      "\(result.skipped)")
        assertSameGraph(g, before)
    }

    /// w = [1, 1e-9]: the 1e-9 flushes to 0, an error of 1e-9, far below 2^-11 × 1 (the rounding its
    /// largest element may get anyway), so the weight is compressed to [1, 0].
    func testAWeightWhoseTinyElementsSitNextToLargeOnesIsCompressed() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        try g.addResult(g.add(Multiply(), [x.output(), g.constant(.f32([1, 1e-9]), name: "w")], name: "y").output(), name: "out")

        XCTAssertEqual(try CompressWeightsToFP16().run(on: g), PassResult(changed: true))
        try g.verify()
        let convert = g.results[0].inputs[0].node.inputs[1].node
        XCTAssertEqual(convert.name, "w")
        XCTAssertEqual(convert.inputs[0].constant, Tensor(.f16, dims: [2], values: [Float16(1), Float16(0)]))
    }

    /// Interpolate's f32 scales and the f32 factor of a shape computation (ShapeOf -> Convert -> Multiply ->
    /// Convert -> Reshape target) decide shapes, so they stay f32 and are listed.
    func testShapeValuesStayF32() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 1, 2, 2])))
        var resize = Interpolate()
        resize.shapeCalculationMode = .scales
        let scales = try g.constant(.f32([2, 2]), name: "scales")
        let resized = try g.add(resize, [x.output(), scales, g.constant(.i64([2, 3]), name: "axes")], name: "resize")
        let shape = try g.add(ShapeOf(), [resized.output()], name: "shape")
        let shapeF32 = try g.add(Convert(.f32), [shape.output()], name: "shapeF32")
        // [1, 1, 4, 4] * [1, 1, 4, 0.25] = [1, 1, 16, 1]
        let scaled = try g.add(Multiply(), [shapeF32.output(), g.constant(.f32([1, 1, 4, 0.25]), name: "factor")], name: "scaled")
        let target = try g.add(Convert(.i64), [scaled.output()], name: "target")
        try g.addResult(g.add(Reshape(), [resized.output(), target.output()], name: "r").output(), name: "out")
        let before = try g.copy()

        let result = try CompressWeightsToFP16().run(on: g)
        try g.verify()
        XCTAssertEqual(result, PassResult(changed: false, skipped: [
            "'scales' [2]: decides the shape of Interpolate 'resize'",
            "'factor' [4]: decides the shape of Reshape 'r'",
        ]))
        assertSameGraph(g, before)
    }

    /// Values computed from shapes are data unless they decide a shape: Range's step stays f32 (it decides
    /// the length), the 0.5 added to its output (an anchor offset) and the fill value of a Broadcast are
    /// compressed.
    func testOnlyTheShapeDecidingInputsOfAShapeComputationStayF32() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic])))
        let shape = try g.add(ShapeOf(), [x.output()], name: "shape")
        let length = try g.add(Convert(.f32), [g.add(Squeeze(), [shape.output()], name: "n").output()], name: "length")
        let range = try g.add(RangeOp(outputType: .f32), [g.constant(.scalar(f32: 0), name: "start"), length.output(),
                                                          g.constant(.scalar(f32: 1), name: "step")], name: "range")
        let anchors = try g.add(Add(), [range.output(), g.constant(.scalar(f32: 0.5), name: "offset")], name: "anchors")
        let ones = try g.add(Broadcast(), [g.constant(.scalar(f32: 1), name: "one"), shape.output()], name: "ones")
        try g.addResult(g.add(Multiply(), [anchors.output(), ones.output()], name: "y").output(), name: "out")

        let result = try runChecked(CompressWeightsToFP16(), on: g, inputs: ["x": .f32([7, 7, 7])])
        XCTAssertEqual(result, PassResult(changed: true, skipped: [
            "'start' []: decides the shape of Range 'range'",
            "'step' []: decides the shape of Range 'range'",
        ]))
        XCTAssertEqual(Set(g.nodes.filter { $0.op is Convert && $0.hasRTAttribute("decompression") }.map(\.name)), ["offset", "one"])
    }

    /// A Const that is a model output keeps naming it: its tensor names move to the Convert the Result reads.
    func testAConstantModelOutputKeepsItsNameOnTheConvert() throws {
        let g = Graph(name: "g")
        let w = try g.constant(.f32([0.25]), name: "w")
        g.addTensorNames(["w_out"], to: w)
        try g.addResult(w, name: "out")

        XCTAssertEqual(try runChecked(CompressWeightsToFP16(), on: g, inputs: [:]), PassResult(changed: true))
        let convert = g.results[0].inputs[0]
        XCTAssertEqual(convert.node.name, "w")
        XCTAssertEqual(convert.node.tensorNames[0], ["w_out"])
        XCTAssertEqual(convert.node.inputs[0].node.tensorNames[0], [])
    }
}
