import XCTest
import Evaluator
import OVIR
@testable import ONNXFrontend

final class ConvTests: XCTestCase {
    private typealias B = ModelBuilder

    private func conv(_ op: String = "Conv", x: [Int] = [1, 2, 5, 5], w: [Int] = [2, 2, 3, 3], opset: Int = 17,
                      _ attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("x", x)
        m.initializer("w", Array(repeating: 1, count: w.reduce(1, *)), dims: w)
        var inputs = ["x", "w"]
        if op == "DeformConv" {
            m.input("offset", [1, 18, 3, 3])
            inputs.append("offset")
        }
        m.node(op, inputs, ["y"], name: "c", attributes: attributes)
        m.output("y")
        return m
    }

    private func assertError(_ m: ModelBuilder, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let error = m.importError()
        XCTAssertTrue(error?.contains(text) == true && error?.contains("node 'c'") == true, error ?? "imported", file: file, line: line)
    }

    func testNonPositiveGroupIsAnError() {
        for op in ["Conv", "ConvTranspose"] {
            for g in [0, -2] { assertError(conv(op, [B.attribute("group", int: g)]), "group must be positive") }
        }
        assertError(conv("DeformConv", opset: 19, [B.attribute("group", int: 0)]), "group must be positive")
        assertError(conv("DeformConv", opset: 19, [B.attribute("offset_group", int: 0)]), "offset_group must be positive")
    }

    func testLowRankDataOrWeightsIsAnError() {
        assertError(conv(x: [1, 2], w: [2, 2, 3, 3], []), "data must have rank 3 or more")
        assertError(conv(x: [1, 2, 5, 5], w: [2, 2], []), "weights must have rank 3 or more")
        assertError(conv("ConvTranspose", x: [2], w: [2], []), "rank 3 or more")
        assertError(conv(x: [1, 2, 5, 5], w: [2, 2, 3], []), "does not match")
    }

    func testNonPositiveStridesDilationsOrKernelAreErrors() {
        assertError(conv("Conv", [B.attribute("strides", ints: [0, 1])]), "must be positive")
        assertError(conv("Conv", [B.attribute("dilations", ints: [1, -1])]), "must be positive")
        assertError(conv("Conv", [B.attribute("kernel_shape", ints: [3, 0])]), "kernel_shape [3, 0] must be positive")
    }

    func testConvTransposeOutputShapeWithTheWrongCountIsAnError() throws {
        assertError(conv("ConvTranspose", [B.attribute("output_shape", ints: [10])]), "output_shape [10] must have 2 values")
        let y = try conv("ConvTranspose", [B.attribute("output_shape", ints: [1, 2, 7, 7])]).importGraph().results[0].inputs[0]
        XCTAssertEqual(y.shape, .fixed([1, 2, 7, 7]))
    }
}

extension ConvTests {
    func testQLinearConvPerChannel() throws {
        // 1×1 kernels [2, -1] on x - 1 = [0, 1, 2, 3], bias [1, 0], factors 1 · [1, 0.5] / 0.5 = [2, 1], zero point 10:
        // channel 0: (2·[0, 1, 2, 3] + 1) · 2 + 10 = [12, 16, 20, 24]; channel 1: -[0, 1, 2, 3] + 10 = [10, 9, 8, 7].
        var m = ModelBuilder()
        m.opset = 10
        m.input("x", [1, 1, 2, 2], elemType: 2)
        m.initializer("x_scale", [1], dims: [])
        m.initializer("x_zp", int64: [1], dims: [], dataType: 2)
        m.initializer("w", int64: [2, -1], dims: [2, 1, 1, 1], dataType: 3)
        m.initializer("w_scale", [1, 0.5], dims: [2])
        m.initializer("w_zp", int64: [0, 0], dims: [2], dataType: 3)
        m.initializer("y_scale", [0.5], dims: [])
        m.initializer("y_zp", int64: [10], dims: [], dataType: 2)
        m.initializer("bias", int64: [1, 0], dims: [2], dataType: 6)
        m.node("QLinearConv", ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale", "y_zp", "bias"], ["y"], name: "c")
        m.output("y", [1, 2, 2, 2], elemType: 2)
        let y = try Evaluator().run(try m.importGraph(), inputs: ["x": Tensor(.u8, dims: [1, 1, 2, 2], integers: [UInt8(1), 2, 3, 4])])[0]
        XCTAssertEqual(y.elementType, .u8)
        XCTAssertEqual(y.doubleValues(), [12, 16, 20, 24, 10, 9, 8, 7])
    }
}
