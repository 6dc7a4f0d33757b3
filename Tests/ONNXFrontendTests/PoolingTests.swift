import XCTest
import OVIR
@testable import ONNXFrontend

final class PoolingTests: XCTestCase {
    private typealias B = ModelBuilder

    private func pool(_ op: String, x: [Int] = [1, 1, 4, 4], _ attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.input("x", x)
        m.node(op, ["x"], ["y"], name: "p", attributes: attributes)
        m.output("y")
        return m
    }

    private func assertError(_ m: ModelBuilder, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        let error = m.importError()
        XCTAssertTrue(error?.contains(text) == true && error?.contains("node 'p'") == true, error ?? "imported", file: file, line: line)
    }

    func testBadKernelStridesAndDilationsAreErrors() {
        for op in ["MaxPool", "AveragePool", "LpPool"] {
            assertError(pool(op, [B.attribute("kernel_shape", ints: [0, 2])]), "must be non-empty and positive")
            assertError(pool(op, [B.attribute("kernel_shape", ints: [])]), "must be non-empty and positive")
            assertError(pool(op, [B.attribute("kernel_shape", ints: [2])]), "kernel_shape has 1 values but the input has rank 4")
            assertError(pool(op, [B.attribute("kernel_shape", ints: [2, 2]), B.attribute("strides", ints: [0, 1])]), "must be positive")
            assertError(pool(op, [B.attribute("kernel_shape", ints: [2, 2]), B.attribute("dilations", ints: [1, 0])]), "must be positive")
        }
    }

    func testGlobalPoolsNeedRankTwo() throws {
        for op in ["GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"] {
            assertError(pool(op, x: [4], []), "input must have rank 2 or more, got rank 1")
            let y = try pool(op, x: [1, 3, 4, 4], []).importGraph().results[0].inputs[0]
            XCTAssertEqual(y.shape, .fixed([1, 3, 1, 1]), op)
        }
    }

    func testMaxUnpoolOfADynamicInputComputesItsShape() throws {
        var m = ModelBuilder()
        m.input("x", [1, 2, -1, 3])
        m.input("i", [1, 2, -1, 3], elemType: 7)
        m.node("MaxUnpool", ["x", "i"], ["y"], name: "p", attributes: [B.attribute("kernel_shape", ints: [2, 2]), B.attribute("strides", ints: [2, 2])])
        m.output("y")
        // (in - 1) * 2 + 2 per spatial axis: [1, 2, ?, (3 - 1) * 2 + 2 = 6]
        XCTAssertEqual(try m.importGraph().results[0].inputs[0].shape, .ranked([.fixed(1), .fixed(2), .dynamic, .fixed(6)]))
    }

    func testColumnMajorIndicesOfADynamicInputReadHeightAndWidthFromItsShape() throws {
        var m = pool("MaxPool", x: [1, 1, -1, -1], [B.attribute("kernel_shape", ints: [2, 2]), B.attribute("storage_order", int: 1)])
        m.graph.node[0].output.append("indices")
        m.output("indices", elemType: 7)
        let g = try m.importGraph()
        // index = base + col·H + row: H and W are Gathers of ShapeOf(x) at axes 2 and 3
        XCTAssertEqual(g.results[1].inputs[0].shape, .ranked([.fixed(1), .fixed(1), .dynamic, .dynamic]))
        let gathered = g.nodes.filter { $0.op is Gather && $0.inputs[0].node.op is ShapeOf }.compactMap { $0.inputs[1].constant?.intValues() }
        XCTAssertEqual(gathered.sorted { $0[0] < $1[0] }, [[2], [3]])
    }
}
