import XCTest
import OVIR
@testable import Passes

/// FakeQuantize placement: through value-moving ops to where values are computed, Concat inputs sharing a range.
final class QuantizationPlacementTests: XCTestCase {
    let unitConvolution = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])

    /// x → relu_a, x → relu_b (×2 then ReLU) → Concat → conv; the conv's input is traced through the Concat to the two
    /// ReLUs, one group.
    private func concatGraph(alsoReadConcat: Bool) throws -> Graph {
        let g = Graph(name: "concat")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 1, 2, 2])))
        let a = try g.add(Relu(), [x.output()], name: "relu_a")
        let doubled = try g.add(Multiply(), [x.output(), g.constant(.scalar(f32: 2), name: "two")], name: "double")
        let b = try g.add(Relu(), [doubled.output()], name: "relu_b")
        let concat = try g.add(Concat(axis: 1), [a.output(), b.output()], name: "concat")
        let conv = try g.add(unitConvolution, [concat.output(), g.constant(.f32([1, -1], dims: [1, 2, 1, 1]), name: "w")], name: "conv")
        try g.addResult(conv.output(), name: "y")
        if alsoReadConcat { try g.addResult(concat.output(), name: "float_reader") }
        return g
    }

    func testConcatInputsAreQuantizedInOneGroup() throws {
        let g = try concatGraph(alsoReadConcat: false)
        let plan = QuantizeINT8.plan(g, options: QuantizationOptions())
        XCTAssertEqual(plan.placement.groups.map { $0.map(\.description) }, [["relu_a:0", "relu_b:0"]])
        // relu_a in [0, 1], relu_b in [0, 3]: both quantized over [0, 3], read by the Concat, which is read as it was.
        let relu = { (name: String) in g.nodes.first { $0.name == name }!.output() }
        _ = try QuantizeINT8(ranges: QuantizationRanges([relu("relu_a"): 0...1, relu("relu_b"): 0...3])).run(on: g)
        try g.verify()
        let concat = g.nodes.first { $0.name == "concat" }!
        XCTAssertEqual(concat.inputs.map(\.node.name), ["relu_a/fq", "relu_b/fq"])
        for fq in concat.inputs.map(\.node) {
            XCTAssertEqual(fq.inputs[2].constant, .scalar(f32: 3), "\(fq.name)'s input_high")
        }
        XCTAssertEqual(g.nodes.first { $0.name == "conv" }!.inputs[0].node.name, "concat")
        XCTAssertEqual(g.nodes.filter { $0.op is FakeQuantize }.count, 2)
    }

    /// A Concat also read by a Result (float) is not passed through: the FakeQuantize stays on the conv's input.
    func testAConcatWithAFloatReaderIsQuantizedWhereItIs() throws {
        let g = try concatGraph(alsoReadConcat: true)
        let plan = QuantizeINT8.plan(g, options: QuantizationOptions())
        XCTAssertEqual(plan.placement.groups.map { $0.map(\.description) }, [["concat:0"]])
        let concat = g.nodes.first { $0.name == "concat" }!.output()
        _ = try QuantizeINT8(ranges: QuantizationRanges([concat: 0...3])).run(on: g)
        XCTAssertEqual(g.nodes.first { $0.name == "conv" }!.inputs[0].node.name, "concat/fq")
        XCTAssertEqual(g.results.last!.inputs[0].node.name, "concat")
    }

    /// A Split's outputs feed two convolutions: both trace to the value split, which gets one FakeQuantize read by
    /// the Split.
    func testSplitOutputsTraceToTheValueSplit() throws {
        let g = Graph(name: "split")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 2, 2, 2])))
        let r = try g.add(Relu(), [x.output()], name: "relu")
        let split = try g.add(Split(numSplits: 2), [r.output(), g.constant(.scalar(i64: 1), name: "axis")], name: "split")
        for k in 0..<2 {
            let c = try g.add(unitConvolution, [Output(split, k), g.constant(.f32([2], dims: [1, 1, 1, 1]), name: "w\(k)")], name: "conv\(k)")
            try g.addResult(c.output(), name: "y\(k)")
        }
        let plan = QuantizeINT8.plan(g, options: QuantizationOptions())
        XCTAssertEqual(plan.placement.groups.map { $0.map(\.description) }, [["relu:0"]])
        XCTAssertEqual(plan.placement.readers[r.output()]?.map { "\($0.consumer.name):\($0.input)" }, ["split:0"])
        _ = try QuantizeINT8(ranges: QuantizationRanges([r.output(): 0...2])).run(on: g)
        try g.verify()
        XCTAssertEqual(split.inputs[0].node.name, "relu/fq")
        XCTAssertEqual(g.nodes.filter { $0.op is FakeQuantize }.count, 1)
        XCTAssertEqual(g.nodes.filter { $0.op is Convert }.count, 2, "both convolutions' weights are i8")
    }
}
