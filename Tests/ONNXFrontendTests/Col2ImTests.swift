import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// ONNX Col2Im as OpenVINO Col2Im-15: attributes split as OpenVINO spells them, and 3-D images refused.
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

    func testOtherSpatialRanksAreRefused() throws {
        let error = model(image: [3, 4, 5], block: [1, 1, 5], columns: 10, blocks: 12).importError() ?? ""
        XCTAssertTrue(error.contains("'fold'") && error.contains("3 spatial dims") && error.contains("2-D images"), error)
        let wrongPads = model(image: [5, 5], block: [1, 5], attributes: [ModelBuilder.attribute("pads", ints: [0, 1])]).importError() ?? ""
        XCTAssertTrue(wrongPads.contains("pads must hold 4 values"), wrongPads)
    }
}
