import XCTest
import OVIR
@testable import ONNXFrontend

final class ShapeTests: XCTestCase {
    func testConstantOfShapeWithANegativeDimIsAnError() {
        var m = ModelBuilder()
        m.opset = 17
        m.initializer("shape", int64: [2, -1], dims: [2])
        m.node("ConstantOfShape", ["shape"], ["y"], name: "c")
        m.output("y")
        let error = m.importError()
        XCTAssertTrue(error?.contains("negative dim") == true, error ?? "imported")
    }

    private func range(_ start: Float, _ limit: Float, _ delta: Float) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 17
        m.initializer("start", [start], dims: [])
        m.initializer("limit", [limit], dims: [])
        m.initializer("delta", [delta], dims: [])
        m.node("Range", ["start", "limit", "delta"], ["y"], name: "r")
        m.output("y")
        return m
    }

    func testRangeWithAnUnusableLengthIsAnError() throws {
        for (limit, delta) in [(Float(1e30), Float(1)), (.infinity, 1), (1, .nan)] {
            let error = range(0, limit, delta).importError()
            XCTAssertTrue(error?.contains("is not a usable size") == true, error ?? "imported")
        }
        XCTAssertEqual(try range(0, 10, 3).importGraph().results[0].inputs[0].shape, .fixed([4]))
    }
}
