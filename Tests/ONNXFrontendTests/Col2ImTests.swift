import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// ONNX Col2Im as OpenVINO Col2Im-15: attributes split as OpenVINO spells them; other spatial ranks folded axis by axis.
final class Col2ImTests: XCTestCase {
    private func model(image: [Int64], block: [Int64], columns: Int = 5, blocks: Int = 5, attributes: [Onnx_AttributeProto] = []) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 18
        m.input("X", [1, columns, blocks])
        m.initializer("image", int64: image, dims: [image.count])
        m.initializer("block", int64: block, dims: [block.count])
        m.node("Col2Im", ["X", "image", "block"], ["Y"], name: "fold", attributes: attributes)
        m.output("Y")
        return m
    }

    func testAOneByFiveBlockPerRowTransposesTheColumns() throws {
        // block 1×5 on a 5×5 image: block position p is row p, column j its pixel j, so Y[p][j] = X[j][p]
        let graph = try model(image: [5, 5], block: [1, 5]).importGraph()
        let op = try XCTUnwrap(graph.nodes.lazy.compactMap { $0.op as? Col2Im }.first)
        XCTAssertEqual(op, Col2Im())
        let x = (0..<25).map(Float.init)
        let y = try Evaluator().run(graph, inputs: ["X": .f32(x, dims: [1, 5, 5])])[0]
        XCTAssertEqual(y.dims, [1, 1, 5, 5])
        XCTAssertEqual(y.doubleValues() ?? [], (0..<25).map { Double(x[($0 % 5) * 5 + $0 / 5]) })
    }

    func testPadsSplitIntoBeginAndEnd() throws {
        let m = model(image: [5, 5], block: [1, 5], blocks: 15,
                      attributes: [ModelBuilder.attribute("pads", ints: [0, 1, 0, 1]), ModelBuilder.attribute("strides", ints: [1, 1]),
                                   ModelBuilder.attribute("dilations", ints: [1, 1])])
        let op = try XCTUnwrap(try m.importGraph().nodes.lazy.compactMap { $0.op as? Col2Im }.first)
        XCTAssertEqual(op, Col2Im(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 1], padsEnd: [0, 1]))
    }

    func testThreeSpatialDimsAreFoldedAxisByAxis() throws {
        // Expected values from onnx 1.23.2's ReferenceEvaluator: image [2, 3, 3], blocks [2, 2, 2], strides [1, 2, 1],
        // pads_begin [0, 1, 0], pads_end [0, 0, 1] (1·2·3 block positions), X = 0..<48 as [1, 8, 6]. By hand: pixel
        // (0, 0, 0) is only reached by kernel offset (0, 1, 0) (column 2) at block position 0, X[2][0] = 12.
        let m = model(image: [2, 3, 3], block: [2, 2, 2], columns: 8, blocks: 6,
                      attributes: [ModelBuilder.attribute("strides", ints: [1, 2, 1]), ModelBuilder.attribute("pads", ints: [0, 1, 0, 0, 0, 1])])
        let graph = try m.importGraph()
        let folds = graph.nodes.compactMap { $0.op as? Col2Im }
        XCTAssertEqual(folds.count, 2, "the last two axes together, then the first")
        let y = try Evaluator().run(graph, inputs: ["X": .f32((0..<48).map(Float.init), dims: [1, 8, 6])])[0]
        XCTAssertEqual(y.dims, [1, 1, 2, 3, 3])
        XCTAssertEqual(y.doubleValues() ?? [], [12, 31, 33, 3, 13, 15, 15, 37, 39, 36, 79, 81, 27, 61, 63, 39, 85, 87])
    }

    func testOneSpatialDimIsARow() throws {
        // image [4], blocks [2], stride 2: column j at block position l lands on pixel 2l + j
        let m = model(image: [4], block: [2], columns: 2, blocks: 2, attributes: [ModelBuilder.attribute("strides", ints: [2])])
        let y = try Evaluator().run(try m.importGraph(), inputs: ["X": .f32([1, 2, 10, 20], dims: [1, 2, 2])])[0]
        XCTAssertEqual(y.dims, [1, 1, 4])
        XCTAssertEqual(y.doubleValues() ?? [], [1, 10, 2, 20])
    }

    func testAttributesMustMatchTheSpatialRank() throws {
        let wrongPads = model(image: [5, 5], block: [1, 5], attributes: [ModelBuilder.attribute("pads", ints: [0, 1])]).importError() ?? ""
        XCTAssertTrue(wrongPads.contains("'fold'") && wrongPads.contains("pads must hold 4 values for 2 spatial dims"), wrongPads)
        let wrongStrides = model(image: [3, 4, 5], block: [1, 1, 5], columns: 10, blocks: 12,
                                 attributes: [ModelBuilder.attribute("strides", ints: [1, 1])]).importError() ?? ""
        XCTAssertTrue(wrongStrides.contains("strides must hold 3 values for 3 spatial dims"), wrongStrides)
    }

    /// Found in review: the N-D fold added raw pads before Col2Im-15 checked them, and Int64.max trapped.
    func testPadsOutsideCol2ImsBoundsAreRefusedBeforeAnyArithmetic() throws {
        let huge = model(image: [3, 4, 5], block: [1, 1, 5], columns: 10, blocks: 12,
                         attributes: [ModelBuilder.attribute("pads", ints: [Int.max, 0, 0, 0, 0, 0])]).importError() ?? ""
        XCTAssertTrue(huge.contains("'fold'") && huge.contains("pads value \(Int.max) is outside 0...2147483647"), huge)
    }
}
