import XCTest
import OVIR
@testable import ONNXFrontend

final class NormalizationTests: XCTestCase {
    private typealias B = ModelBuilder

    private func norm(_ op: String, opset: Int, x: [Int], params: Int, _ attributes: [Onnx_AttributeProto] = [],
                      outputs: [String] = ["y"]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("x", x)
        let names = ["scale", "bias", "mean", "var"].prefix(params)
        for n in names { m.initializer(n, [1, 1], dims: [2]) }
        m.node(op, ["x"] + names, outputs, name: "n", attributes: attributes)
        for o in outputs { m.output(o) }
        return m
    }

    private func assertError(_ m: ModelBuilder, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let error = m.importError()
        XCTAssertTrue(error?.contains(text) == true && error?.contains("node 'n'") == true, error ?? "imported", file: file, line: line)
    }

    func testRankOneInputsAreErrors() {
        assertError(norm("BatchNormalization", opset: 15, x: [2], params: 4, [B.attribute("training_mode", int: 1)]),
                    "input must have rank 2 or more, got rank 1")
        assertError(norm("InstanceNormalization", opset: 17, x: [2], params: 2), "input must have rank 2 or more")
        assertError(norm("GroupNormalization", opset: 21, x: [2], params: 2, [B.attribute("num_groups", int: 1)]),
                    "input must have rank 2 or more")
    }

    func testNonPositiveGroupsOrSizeAreErrors() {
        assertError(norm("GroupNormalization", opset: 21, x: [1, 2, 3], params: 2, [B.attribute("num_groups", int: 0)]),
                    "num_groups must be positive")
        assertError(norm("LRN", opset: 13, x: [1, 2, 3], params: 0, [B.attribute("size", int: 0)]), "size must be positive")
    }

    func testBatchNormalizationInTrainingModeStillConverts() throws {
        let m = norm("BatchNormalization", opset: 15, x: [3, 2, 4], params: 4, [B.attribute("training_mode", int: 1)])
        XCTAssertEqual(try m.importGraph().results[0].inputs[0].shape, .fixed([3, 2, 4]))
    }
}
