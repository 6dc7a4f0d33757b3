import XCTest
import Evaluator
import OVIR
@testable import Passes

final class PipelineTests: XCTestCase {
    /// x [?,4,6].view(x.shape[0], -1) loses its shape subgraph: the batch piece is x's own dim 0, so the target
    /// becomes the Const [0, -1] (special_zero) of a Reshape that keeps the view's name.
    func testTheStandardPipelineRemovesTheShapeSubgraphOfADynamicBatchView() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        let shape = try g.add(ShapeOf(), [x.output()], name: "shape")
        let batch = try g.add(Gather(), [shape.output(), g.constant(.scalar(i64: 0), name: "index"), g.constant(.scalar(i64: 0), name: "axis")], name: "batch")
        let piece = try g.add(Unsqueeze(), [batch.output(), g.constant(.i64([0]), name: "unsqueezeAxes")], name: "batchPiece")
        let target = try g.add(Concat(axis: 0), [piece.output(), g.constant(.i64([-1]), name: "rest")], name: "target")
        try g.addResult(g.add(Reshape(specialZero: true), [x.output(), target.output()], name: "r").output(), name: "out")

        let reports = try Pipeline.standard.run(on: g)
        try g.verify()
        XCTAssertEqual(reports.map(\.name), ["ConvertLikeToConvert", "ConstantFolding",
                                              "ShapeSubgraphSimplification", "CommonSubexpressionElimination", "BatchNormFolding", "ConstantChainMerging",
                                              "NeutralElementElimination", "TransposeReshapeElimination", "ShuffleChannelsFusion",
                                              "CommonSubexpressionElimination", "ActivationFusion", "MVNFusion",
                                              "ScaledDotProductAttentionFusion", "DeadCodeElimination"])
        XCTAssertEqual(reports.map(\.result.changed), [false, false, true, false, false, false, false, false, false, false, false, false, false, false])

        let e = Graph(name: "g")
        let ex = try e.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        let c = try e.add(Constant(.i64([0, -1])), [], name: "r/Const")
        let r = try e.add(Reshape(specialZero: true), [ex.output(), c.output()], name: "r")
        r.rtInfo = [fusedNames("r")]
        try e.addResult(r.output(), name: "out")
        assertSameGraph(g, e)
    }

    /// Two convolutions of x with equal weights, each followed by its own batch norm (inception's branches in
    /// the onnx wheel's light model): the convolutions merge before the batch norms fold, so one convolution is
    /// computed and each branch keeps its scale and shift; the outputs stay the same.
    func testEqualConvolutionsMergeBeforeTheirBatchNormsFold() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 2, 3, 3]))).output()
        let conv = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        var branches: [Output] = []
        for (i, gamma) in [[Float(2), 3], [-1, 0.5]].enumerated() {
            let c = try g.op(conv, x, g.constant(.f32([1, 2, 3, 4], dims: [2, 2, 1, 1]), name: "w\(i)"), name: "conv\(i)")
            branches.append(try g.op(BatchNormInference(epsilon: 1), c, g.constant(.f32(gamma), name: "gamma\(i)"),
                                     g.constant(.f32([0.5, -0.5]), name: "beta\(i)"), g.constant(.f32([1, 2]), name: "mean\(i)"),
                                     g.constant(.f32([3, 0]), name: "variance\(i)"), name: "bn\(i)"))
        }
        try g.addResult(g.op(Concat(axis: 1), branches[0], branches[1], name: "y"), name: "out")
        let before = try g.copy()
        _ = try Pipeline.standard.run(on: g)
        try g.verify()
        let inputs: [String: Tensor] = ["x": .f32((0..<18).map { Float($0) - 8 }, dims: [1, 2, 3, 3])]
        let expected = try Evaluator().run(before, inputs: inputs)[0].doubleValues() ?? []
        let actual = try Evaluator().run(g, inputs: inputs)[0].doubleValues() ?? []
        XCTAssertEqual(actual.count, 36)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-5 * (1 + abs(e))) }
        XCTAssertEqual(g.nodes.filter { $0.op is Convolution }.count, 1)
        XCTAssertEqual(g.nodes.filter { $0.op is Multiply }.count, 2)
    }

    /// --half adds the FP16 compression after every other pass (folding must see f32 weights and must not run
    /// after it).
    func testHalfAppendsTheFP16CompressionLast() {
        let standard = Pipeline.standard.passes.map(\.name)
        XCTAssertEqual(Pipeline.standard(half: false).passes.map(\.name), standard)
        XCTAssertEqual(Pipeline.standard(half: true).passes.map(\.name), standard + ["CompressWeightsToFP16"])
    }

    /// --max-fold-bytes reaches ConstantFolding; without it, ConstantFolding's default holds.
    func testTheFoldLimitReachesConstantFolding() {
        func limits(_ p: Pipeline) -> [Int] { p.passes.compactMap { ($0 as? ConstantFolding)?.maxBytes } }
        XCTAssertEqual(limits(Pipeline.standard(half: true, maxFoldBytes: 7)), [7])
        XCTAssertEqual(limits(Pipeline.standard(half: false)), [ConstantFolding.defaultMaxBytes])
    }

    /// Disabling drops the named passes (any case); an unknown name throws, listing the known ones.
    func testDisablingRemovesPassesByName() throws {
        let pipeline = try Pipeline.standard.disabling(["activationfusion", "ConstantFolding"])
        XCTAssertEqual(pipeline.passes.map(\.name), ["ConvertLikeToConvert", "ShapeSubgraphSimplification",
                                                      "CommonSubexpressionElimination",
                                                      "BatchNormFolding", "ConstantChainMerging", "NeutralElementElimination",
                                                      "TransposeReshapeElimination",
                                                      "ShuffleChannelsFusion", "CommonSubexpressionElimination", "MVNFusion",
                                                      "ScaledDotProductAttentionFusion", "DeadCodeElimination"])
        XCTAssertThrowsError(try Pipeline.standard.disabling(["Swish"])) { error in
            XCTAssertEqual("\(error)", "unknown pass 'Swish'; the passes are ConvertLikeToConvert, "
                + "ConstantFolding, ShapeSubgraphSimplification, CommonSubexpressionElimination, BatchNormFolding, ConstantChainMerging, "
                + "NeutralElementElimination, TransposeReshapeElimination, ShuffleChannelsFusion, ActivationFusion, MVNFusion, "
                + "ScaledDotProductAttentionFusion, DeadCodeElimination")
        }
    }
}
