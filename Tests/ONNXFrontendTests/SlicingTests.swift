import XCTest
import OVIR
@testable import ONNXFrontend

final class SlicingTests: XCTestCase {
    private typealias B = ModelBuilder

    private func assertError(_ m: ModelBuilder, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let error = m.importError()
        XCTAssertTrue(error?.contains(text) == true && error?.contains("node 's'") == true, error ?? "imported", file: file, line: line)
    }

    private func split(outputs: [String], _ attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 18
        m.input("x", [6])
        m.node("Split", ["x"], outputs, name: "s", attributes: attributes)
        for o in outputs { m.output(o) }
        return m
    }

    func testSplitIntoNoPartsIsAnError() {
        assertError(split(outputs: ["a", "b"], [B.attribute("num_outputs", int: 0)]), "num_outputs must be positive")
        assertError(split(outputs: ["a", "b"], [B.attribute("num_outputs", int: -3)]), "num_outputs must be positive")
        assertError(split(outputs: [], []), "num_outputs must be positive")
    }

    private func pad(opset: Int, pads: [Int], axes: [Int]? = nil, mode: String = "constant") -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("x", [2, 3])
        var attributes = [B.attribute("mode", string: mode)]
        var inputs = ["x"]
        if opset < 11 {
            attributes.append(B.attribute("pads", ints: pads))
        } else {
            m.initializer("pads", int64: pads.map(Int64.init), dims: [pads.count])
            inputs += ["pads", "", axes == nil ? "" : "axes"]
            if let axes { m.initializer("axes", int64: axes.map(Int64.init), dims: [axes.count]) }
        }
        m.node("Pad", inputs, ["y"], name: "s", attributes: attributes)
        m.output("y")
        return m
    }

    func testPadsWithTheWrongCountAreErrors() throws {
        for mode in ["constant", "wrap"] {
            assertError(pad(opset: 2, pads: [1, 1], mode: mode), "pads has 2 values; it needs 2 × the input rank (2)")
            assertError(pad(opset: 18, pads: [1, 1, 1], mode: mode), "pads has 3 values")
            assertError(pad(opset: 18, pads: [1, 1], axes: [0, 1], mode: mode), "it needs 2 × the number of axes (2)")
            let y = try pad(opset: 18, pads: [1, 2, 3, 4], mode: mode).importGraph().results[0].inputs[0]
            XCTAssertEqual(y.shape.rank, 2, mode)
        }
    }
}
