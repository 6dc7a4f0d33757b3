import XCTest
import OVIR
@testable import ONNXFrontend

final class ResizeTests: XCTestCase {
    private func resize(scales: [Float], attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var b = ModelBuilder()
        b.input("x", [1, 1, 4, 4])
        b.initializer("scales", scales, dims: [4])
        b.node("Resize", ["x", "", "scales"], ["y"], name: "rs", attributes: attributes)
        b.output("y")
        return b
    }

    func testAntialiasConvertsWithAWarningNamingTheNode() throws {
        let m = resize(scales: [1, 1, 0.5, 0.5], attributes: [
            ModelBuilder.attribute("mode", string: "linear"), ModelBuilder.attribute("antialias", int: 1)])
        let imported = try ONNXImporter().load(path: m.write())
        XCTAssertEqual(imported.warnings.count, 1)
        XCTAssertTrue(imported.warnings[0].contains("node 'rs'") && imported.warnings[0].contains("antialias"), imported.warnings[0])
    }

    func testAlignCornersWarnsOnlyWhenInputTimesScaleIsNotWhole() throws {
        let mode = [ModelBuilder.attribute("mode", string: "linear"),
                    ModelBuilder.attribute("coordinate_transformation_mode", string: "align_corners")]
        let whole = try ONNXImporter().load(path: resize(scales: [1, 1, 0.5, 0.5], attributes: mode).write())
        XCTAssertEqual(whole.warnings, [])
        let fractional = try ONNXImporter().load(path: resize(scales: [1, 1, 0.6, 0.6], attributes: mode).write())
        XCTAssertEqual(fractional.warnings.count, 1)
        XCTAssertTrue(fractional.warnings[0].contains("align_corners"), fractional.warnings[0])
    }

    func testPlainNearestResizeHasNoWarning() throws {
        let m = resize(scales: [1, 1, 2, 2], attributes: [])
        let imported = try ONNXImporter().load(path: m.write())
        XCTAssertEqual(imported.warnings, [])
        XCTAssertEqual(imported.graph.results[0].inputs[0].shape, .fixed([1, 1, 8, 8]))
    }
}

final class UpsampleTests: XCTestCase {
    private func upsample1(_ attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 1
        m.input("x", [1, 1, 2, 2])
        m.node("Upsample", ["x"], ["y"], name: "u", attributes: attributes)
        m.output("y")
        return m
    }

    func testUpsample1NeedsBothScales() throws {
        for attributes in [[], [ModelBuilder.attribute("height_scale", float: 2)], [ModelBuilder.attribute("width_scale", float: 2)]] {
            let error = upsample1(attributes).importError()
            XCTAssertTrue(error?.contains("'height_scale' and 'width_scale' are required") == true, error ?? "imported")
        }
        let both = upsample1([ModelBuilder.attribute("height_scale", float: 2), ModelBuilder.attribute("width_scale", float: 3)])
        XCTAssertEqual(try both.importGraph().results[0].inputs[0].shape, .fixed([1, 1, 4, 6]))
    }
}
