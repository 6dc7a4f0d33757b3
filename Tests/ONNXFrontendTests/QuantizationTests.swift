import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear run by the evaluator on values worked out by hand.
final class QuantizationTests: XCTestCase {
    private typealias B = ModelBuilder

    private func run(_ m: ModelBuilder, _ feeds: [String: Tensor]) throws -> [Tensor] {
        try Evaluator().run(try m.importGraph(), inputs: feeds)
    }

    private func values(_ t: Tensor) -> [Double] { t.doubleValues() ?? [] }

    func testPerTensorU8RoundsHalvesToEvenAndSaturates() throws {
        // x / 2 = [0, 0.5, 1.5, 2.5, -1, 150] → rint [0, 0, 2, 2, -1, 150] → + 128, clamped to 255.
        var m = ModelBuilder()
        m.opset = 13
        m.input("x", [6])
        m.initializer("scale", [2], dims: [])
        m.initializer("zp", int64: [128], dims: [], dataType: 2)
        m.node("QuantizeLinear", ["x", "scale", "zp"], ["y"], name: "q")
        m.output("y", [6], elemType: 2)
        let y = try run(m, ["x": .f32([0, 1, 3, 5, -2, 300], dims: [6])])[0]
        XCTAssertEqual(y.elementType, .u8)
        XCTAssertEqual(values(y), [128, 128, 130, 130, 127, 255])
    }

    func testPerAxisI8() throws {
        // Columns scaled by [1, 2, 4] with zero points [0, 1, -1]: [1, 4] → [1, 4]; [2, 5] / 2 = [1, 2.5] → [1, 2] + 1;
        // [3, 6] / 4 = [0.75, 1.5] → [1, 2] - 1.
        var m = ModelBuilder()
        m.opset = 13
        m.input("x", [2, 3])
        m.initializer("scale", [1, 2, 4], dims: [3])
        m.initializer("zp", int64: [0, 1, -1], dims: [3], dataType: 3)
        m.node("QuantizeLinear", ["x", "scale", "zp"], ["y"], name: "q", attributes: [B.attribute("axis", int: 1)])
        m.output("y", [2, 3], elemType: 3)
        let y = try run(m, ["x": .f32([1, 2, 3, 4, 5, 6], dims: [2, 3])])[0]
        XCTAssertEqual(y.elementType, .i8)
        XCTAssertEqual(values(y), [1, 2, 0, 4, 3, 1])
    }

    func testBlockedWithOutputDtypeAndARemainderBlock() throws {
        // Blocks of 2 along axis 1 over 5 elements: scales [1, 1, 2, 2, 4]; -1000 / 4 = -250 saturates to -128.
        var m = ModelBuilder()
        m.opset = 21
        m.input("x", [1, 5])
        m.initializer("scale", [1, 2, 4], dims: [1, 3])
        m.node("QuantizeLinear", ["x", "scale"], ["y"], name: "q",
               attributes: [B.attribute("axis", int: 1), B.attribute("block_size", int: 2), B.attribute("output_dtype", int: 3)])
        m.output("y", [1, 5], elemType: 3)
        let y = try run(m, ["x": .f32([1, -3, 4, 6, -1000], dims: [1, 5])])[0]
        XCTAssertEqual(y.elementType, .i8)
        XCTAssertEqual(values(y), [1, -3, 2, 3, -128])
    }

    func testInt2IsRefusedNamingTheNodeAndType() {
        var m = ModelBuilder()
        m.opset = 21
        m.input("x", [2])
        m.initializer("scale", [1], dims: [])
        m.node("QuantizeLinear", ["x", "scale"], ["y"], name: "q", attributes: [B.attribute("output_dtype", int: 26)])
        m.output("y", [2], elemType: 26)
        let error = m.importError() ?? "imported"
        XCTAssertTrue(error.contains("node 'q'") && error.contains("INT2"), error)
    }

    func testDequantizePerAxisConstantWeightsStayQuantized() throws {
        // Rows with zero points [10, 128] and scales [0.5, 2]: (0 - 10) · 0.5 = -5, 0; (255 - 128) · 2 = 254, 0.
        var m = ModelBuilder()
        m.opset = 13
        m.initializer("w", int64: [0, 10, 255, 128], dims: [2, 2], dataType: 2)
        m.initializer("scale", [0.5, 2], dims: [2])
        m.initializer("zp", int64: [10, 128], dims: [2], dataType: 2)
        m.node("DequantizeLinear", ["w", "scale", "zp"], ["y"], name: "dq", attributes: [B.attribute("axis", int: 0)])
        m.output("y", [2, 2])
        let graph = try m.importGraph()
        // Const u8 → Convert → Subtract → Multiply, unmarked (marked `decompression`, the CPU plugin would decompress them).
        let weightConvert = graph.nodes.first { $0.op is Convert && $0.inputs.first?.node.op is Constant && $0.inputs.first?.elementType == .u8 }
        XCTAssertEqual(weightConvert?.rtInfo, [])
        XCTAssertEqual(weightConvert?.uses(of: 0).first?.node.op is Subtract, true)
        let y = try Evaluator().run(graph, inputs: [:])[0]
        XCTAssertEqual(y.elementType, .f32)
        XCTAssertEqual(values(y), [-5, 0, 254, 0])
    }

    func testDequantizeBlockedI8() throws {
        // Blocks of 2 over 5 elements: scales [0.5, 0.5, 1, 1, 10], zero points [0, 0, 2, 2, -1].
        var m = ModelBuilder()
        m.opset = 21
        m.input("x", [5], elemType: 3)
        m.initializer("scale", [0.5, 1, 10], dims: [3])
        m.initializer("zp", int64: [0, 2, -1], dims: [3], dataType: 3)
        m.node("DequantizeLinear", ["x", "scale", "zp"], ["y"], name: "dq",
               attributes: [B.attribute("axis", int: 0), B.attribute("block_size", int: 2)])
        m.output("y", [5])
        let y = try run(m, ["x": Tensor(.i8, dims: [5], integers: [Int8(2), 4, -6, 8, 10])])[0]
        XCTAssertEqual(values(y), [1, 2, -8, 6, 110])
    }

    func testDynamicQuantizeLinear() throws {
        // min -1, max 4: scale 5 / 255 = 1/51, zero point 1 · 51 = 51; y = x · 51 + 51.
        var m = ModelBuilder()
        m.opset = 11
        m.input("x", [4])
        m.node("DynamicQuantizeLinear", ["x"], ["y", "scale", "zp"], name: "dq")
        m.output("y", [4], elemType: 2)
        m.output("scale", [])
        m.output("zp", [], elemType: 2)
        var out = try run(m, ["x": .f32([-1, 0, 2, 4], dims: [4])])
        XCTAssertEqual(values(out[0]), [0, 51, 153, 255])
        XCTAssertEqual(values(out[1])[0], 5.0 / 255, accuracy: 1e-7)
        XCTAssertEqual(values(out[2]), [51])
        // All non-negative: min is 0, so the zero point is 0 and scale 2 / 255; 0.5 · 127.5 = 63.75 → 64.
        out = try run(m, ["x": .f32([0, 0.5, 2, 1e-3], dims: [4])])
        XCTAssertEqual(values(out[0]), [0, 64, 255, 0])
        XCTAssertEqual(values(out[2]), [0])
    }

    private func qdq(dequantizeScale: Float) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 13
        m.input("x", [4])
        m.initializer("scale", [0.5], dims: [])
        m.initializer("dqScale", [dequantizeScale], dims: [])
        m.initializer("zp", int64: [128], dims: [], dataType: 2)
        m.node("QuantizeLinear", ["x", "scale", "zp"], ["q"], name: "q")
        m.node("DequantizeLinear", ["q", "dqScale", "zp"], ["y"], name: "dq")
        m.output("y", [4])
        return m
    }

    func testAQuantizeDequantizePairBecomesOneFakeQuantize() throws {
        // Ranges (0 - 128) · 0.5 = -64 and (255 - 128) · 0.5 = 63.5 in 256 levels. x / 0.5 = [-2, 0.52, 2.48, 600]
        // → [-2, 1, 2, saturated 127] steps from the zero point → [-1, 0.5, 1, 63.5].
        let graph = try qdq(dequantizeScale: 0.5).importGraph()
        let fq = graph.nodes.compactMap { $0.op as? FakeQuantize }
        XCTAssertEqual(fq.map(\.levels), [256])
        XCTAssertEqual(graph.nodes.first { $0.op is FakeQuantize }?.name, "dq")
        let low = graph.nodes.first { $0.op is FakeQuantize }?.inputs[1].constant?.doubleValues()
        XCTAssertEqual(low, [-64])
        let y = try Evaluator().run(graph, inputs: ["x": .f32([-1, 0.26, 1.24, 300], dims: [4])])[0]
        XCTAssertEqual(values(y), [-1, 0.5, 1, 63.5])
    }

    func testAPairWithOtherParametersStaysQuantizeThenDequantize() throws {
        // Dequantized with scale 0.25 instead: [126, 129, 130, 255] - 128 → [-2, 1, 2, 127] · 0.25.
        let graph = try qdq(dequantizeScale: 0.25).importGraph()
        XCTAssertFalse(graph.nodes.contains { $0.op is FakeQuantize })
        let y = try Evaluator().run(graph, inputs: ["x": .f32([-1, 0.26, 1.24, 300], dims: [4])])[0]
        XCTAssertEqual(values(y), [-0.5, 0.25, 0.5, 31.75])
    }
}
