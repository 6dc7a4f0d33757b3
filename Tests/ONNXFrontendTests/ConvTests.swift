import XCTest
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
