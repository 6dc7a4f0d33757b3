import XCTest
import OVIR
@testable import Passes

final class PipelineTests: XCTestCase {
    /// x [?,4,6].view(x.shape[0], -1) loses its shape subgraph: the batch piece becomes 0, then the target
    /// folds to the Const [0, -1] named after the Concat.
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
        XCTAssertEqual(reports.map(\.name), ["SimplifySecondInputOfReshape", "ConvertLikeToConvert", "ConstantFolding", "BatchNormFolding",
                                              "ConstantChainMerging", "TransposeReshapeElimination", "ShuffleChannelsFusion",
                                              "CommonSubexpressionElimination", "ActivationFusion", "MVNFusion", "DeadCodeElimination"])
        XCTAssertEqual(reports.map(\.result.changed), [true, false, true, false, false, false, false, false, false, false, false])

        let e = Graph(name: "g")
        let ex = try e.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        let c = try e.add(Constant(.i64([0, -1])), [], name: "target")
        c.rtInfo = [fusedNames("target")]
        try e.addResult(e.add(Reshape(specialZero: true), [ex.output(), c.output()], name: "r").output(), name: "out")
        assertSameGraph(g, e)
    }

    /// --half adds the FP16 compression after every other pass (folding must see f32 weights and must not run
    /// after it).
    func testHalfAppendsTheFP16CompressionLast() {
        let standard = Pipeline.standard.passes.map(\.name)
        XCTAssertEqual(Pipeline.standard(half: false).passes.map(\.name), standard)
        XCTAssertEqual(Pipeline.standard(half: true).passes.map(\.name), standard + ["CompressWeightsToFP16"])
    }

    /// Disabling drops the named passes (any case); an unknown name throws, listing the known ones.
    func testDisablingRemovesPassesByName() throws {
        let pipeline = try Pipeline.standard.disabling(["activationfusion", "ConstantFolding"])
        XCTAssertEqual(pipeline.passes.map(\.name), ["SimplifySecondInputOfReshape", "ConvertLikeToConvert", "BatchNormFolding",
                                                      "ConstantChainMerging", "TransposeReshapeElimination", "ShuffleChannelsFusion",
                                                      "CommonSubexpressionElimination", "MVNFusion", "DeadCodeElimination"])
        XCTAssertThrowsError(try Pipeline.standard.disabling(["Swish"])) { error in
            XCTAssertEqual("\(error)", "unknown pass 'Swish'; the passes are SimplifySecondInputOfReshape, ConvertLikeToConvert, "
                + "ConstantFolding, BatchNormFolding, ConstantChainMerging, TransposeReshapeElimination, ShuffleChannelsFusion, "
                + "CommonSubexpressionElimination, ActivationFusion, MVNFusion, DeadCodeElimination")
        }
    }
}
