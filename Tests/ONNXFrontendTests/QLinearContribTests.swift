import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// onnxruntime's com.microsoft quantized ops, run by the evaluator on values worked out by hand.
final class QLinearContribTests: XCTestCase {
    private func model() -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 13
        m.domains = ["com.microsoft": 1]
        return m
    }

    func testQLinearAddRequantizesAndSaturates() throws {
        // A: ([10, 20, 30, 40] - 10) · 0.5 = [0, 5, 10, 15]; B: [0, 2, 4, 255] · 1; sum [0, 7, 14, 270];
        // / 0.25 = [0, 28, 56, 1080] + 5 → [5, 33, 61, 255 (saturated)].
        var m = model()
        m.input("a", [4], elemType: 2)
        m.input("b", [4], elemType: 2)
        m.initializer("a_scale", [0.5], dims: [])
        m.initializer("a_zp", int64: [10], dims: [], dataType: 2)
        m.initializer("b_scale", [1], dims: [])
        m.initializer("c_scale", [0.25], dims: [])
        m.initializer("c_zp", int64: [5], dims: [], dataType: 2)
        m.node("QLinearAdd", ["a", "a_scale", "a_zp", "b", "b_scale", "", "c_scale", "c_zp"], ["c"], name: "add", domain: "com.microsoft")
        m.output("c", [4], elemType: 2)
        let graph = try m.importGraph()
        XCTAssertTrue(graph.nodes.contains { $0.op is FakeQuantize })
        let c = try Evaluator().run(graph, inputs: ["a": Tensor(.u8, dims: [4], integers: [UInt8(10), 20, 30, 40]),
                                                    "b": Tensor(.u8, dims: [4], integers: [UInt8(0), 2, 4, 255])])[0]
        XCTAssertEqual(c.elementType, .u8)
        XCTAssertEqual(c.doubleValues(), [5, 33, 61, 255])
    }

    func testQLinearConcat() throws {
        // X0: [4, 6] · 0.5 = [2, 3]; X1: (10 - 8) · 2 = 4; concatenated on axis 1 with scale 1 and zero point 0.
        var m = model()
        m.input("x0", [1, 2], elemType: 2)
        m.input("x1", [1, 1], elemType: 2)
        m.initializer("y_scale", [1], dims: [])
        m.initializer("y_zp", int64: [0], dims: [], dataType: 2)
        m.initializer("s0", [0.5], dims: [])
        m.initializer("z0", int64: [0], dims: [], dataType: 2)
        m.initializer("s1", [2], dims: [])
        m.initializer("z1", int64: [8], dims: [], dataType: 2)
        m.node("QLinearConcat", ["y_scale", "y_zp", "x0", "s0", "z0", "x1", "s1", "z1"], ["y"], name: "concat", domain: "com.microsoft",
               attributes: [ModelBuilder.attribute("axis", int: 1)])
        m.output("y", [1, 3], elemType: 2)
        let y = try Evaluator().run(try m.importGraph(), inputs: ["x0": Tensor(.u8, dims: [1, 2], integers: [UInt8(4), 6]),
                                                                  "x1": Tensor(.u8, dims: [1, 1], integers: [UInt8(10)])])[0]
        XCTAssertEqual(y.dims, [1, 3])
        XCTAssertEqual(y.doubleValues(), [2, 3, 4])
    }
}
