import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

final class MatMulTests: XCTestCase {
    private func qlinearMatMul(yScaleAsInput: Bool) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 10
        m.input("a", [2, 2], elemType: 2)
        m.initializer("a_scale", [0.5], dims: [])
        m.initializer("a_zp", int64: [10], dims: [], dataType: 2)
        m.initializer("b", int64: [2, 3], dims: [2, 1], dataType: 2)
        m.initializer("b_scale", [0.25], dims: [])
        m.initializer("b_zp", int64: [1], dims: [], dataType: 2)
        if yScaleAsInput { m.input("y_scale", []) } else { m.initializer("y_scale", [0.25], dims: []) }
        m.initializer("y_zp", int64: [100], dims: [], dataType: 2)
        m.node("QLinearMatMul", ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"], ["y"], name: "qmm")
        m.output("y", [2, 1], elemType: 2)
        return m
    }

    func testQLinearMatMulRequantizesAndRoundsHalvesToEven() throws {
        // a - 10 = [[1, 2], [4, -1]], b - 1 = [[1], [2]]: products [5, 2]; times 0.5 · 0.25 / 0.25 = 0.5 → [2.5, 1]
        // → rint [2, 1] → + 100. With constant output parameters the product is quantized by a FakeQuantize (the
        // int8 form); with a y_scale computed at run time, by Round → Add → Clamp → Convert.
        let a = Tensor(.u8, dims: [2, 2], integers: [UInt8(11), 12, 14, 9])
        for dynamic in [false, true] {
            let graph = try qlinearMatMul(yScaleAsInput: dynamic).importGraph()
            XCTAssertEqual(graph.nodes.contains { $0.op is FakeQuantize }, !dynamic)
            var feeds = ["a": a]
            if dynamic { feeds["y_scale"] = .scalar(f32: 0.25) }
            let y = try Evaluator().run(graph, inputs: feeds)[0]
            XCTAssertEqual(y.elementType, .u8)
            XCTAssertEqual(y.dims, [2, 1])
            XCTAssertEqual(y.doubleValues(), [102, 101])
        }
    }
}
