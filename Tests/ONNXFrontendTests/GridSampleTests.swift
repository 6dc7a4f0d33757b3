import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// ONNX GridSample as OpenVINO GridSample-9: both opsets' mode names, the attributes, and the refusal of 5-D inputs.
final class GridSampleTests: XCTestCase {
    private func model(opset: Int, x: [Int] = [1, 1, 2, 2], grid: [Int] = [1, 1, 1, 2], attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("X", x)
        m.input("grid", grid)
        m.node("GridSample", ["X", "grid"], ["Y"], name: "sample", attributes: attributes)
        m.output("Y")
        return m
    }

    private func op(_ m: ModelBuilder) throws -> GridSample {
        let graph = try m.importGraph()
        return try XCTUnwrap(graph.nodes.lazy.compactMap { $0.op as? GridSample }.first)
    }

    func testOpset16NamesAndAttributes() throws {
        let m = model(opset: 16, attributes: [ModelBuilder.attribute("mode", string: "bicubic"),
                                              ModelBuilder.attribute("padding_mode", string: "reflection"),
                                              ModelBuilder.attribute("align_corners", int: 1)])
        let sample = try op(m)
        XCTAssertEqual(sample.mode, .bicubic)
        XCTAssertEqual(sample.paddingMode, .reflection)
        XCTAssertTrue(sample.alignCorners)
        // the defaults: bilinear, zeros, corners not aligned
        let defaults = try op(model(opset: 16, attributes: []))
        XCTAssertEqual([defaults.mode.rawValue, defaults.paddingMode.rawValue], ["bilinear", "zeros"])
        XCTAssertFalse(defaults.alignCorners)
    }

    func testOpset20NamesTheModesLinearAndCubic() throws {
        XCTAssertEqual(try op(model(opset: 20, attributes: [ModelBuilder.attribute("mode", string: "linear")])).mode, .bilinear)
        XCTAssertEqual(try op(model(opset: 20, attributes: [ModelBuilder.attribute("mode", string: "cubic")])).mode, .bicubic)
        XCTAssertEqual(try op(model(opset: 22, attributes: [])).mode, .bilinear)
        let error = model(opset: 16, attributes: [ModelBuilder.attribute("mode", string: "linear")]).importError() ?? ""
        XCTAssertTrue(error.contains("mode 'linear'") && error.contains("GridSample"), error)
    }

    func testTheMiddleOfATwoByTwoImageAveragesIt() throws {
        // align_corners: grid (0, 0) is pixel (0.5, 0.5), the mean of [1, 2, 3, 4].
        let m = model(opset: 16, attributes: [ModelBuilder.attribute("align_corners", int: 1)])
        let y = try Evaluator().run(try m.importGraph(), inputs: ["X": .f32([1, 2, 3, 4], dims: [1, 1, 2, 2]),
                                                                  "grid": .f32([0, 0], dims: [1, 1, 1, 2])])[0]
        XCTAssertEqual(y.dims, [1, 1, 1, 1])
        XCTAssertEqual(y.doubleValues() ?? [], [2.5])
    }

    func testVolumetricInputsAreRefused() throws {
        let error = model(opset: 20, x: [1, 1, 2, 2, 2], grid: [1, 1, 1, 1, 3], attributes: []).importError() ?? ""
        XCTAssertTrue(error.contains("X has rank 5") && error.contains("4-D"), error)
    }
}
