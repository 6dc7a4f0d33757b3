import Foundation
import XCTest
import OVIR
@testable import ONNXFrontend

final class ONNXImporterTests: XCTestCase {
    func testAllUnsupportedOperatorsAreReportedAtOnceSortedWithCounts() throws {
        var b = ModelBuilder()
        b.input("x", [1, 4])
        b.node("Zeta", ["x"], ["a"], name: "z1")
        b.node("Alpha", ["a"], ["b"], name: "a1")
        b.node("Zeta", ["b"], ["c"], name: "z2")
        b.node("Fused", ["c"], ["y"], name: "f1", domain: "com.microsoft")
        b.output("y", [1, 4])
        do {
            _ = try ONNXImporter().load(path: b.write())
            XCTFail("imported a model with unknown ops")
        } catch let e as ONNXFrontendError {
            XCTAssertEqual(e.kind, .unsupported)
            let lines = e.message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertTrue(lines[0].contains("4 nodes use 3 unsupported operators"), lines[0])
            XCTAssertEqual(Array(lines.dropFirst()), [
                "ai.onnx::Alpha@17 ×1 (first: node 'a1')",
                "ai.onnx::Zeta@17 ×2 (first: node 'z1')",
                "com.microsoft::Fused@1 ×1 (first: node 'f1')",
            ])
        }
    }

    func testUndefinedInputNamesTheNode() throws {
        var b = ModelBuilder()
        b.input("x", [2])
        b.node("Identity", ["nope"], ["y"], name: "id1")
        b.output("y", [2])
        XCTAssertThrowsError(try ONNXImporter().load(path: b.write())) { error in
            XCTAssertTrue("\(error)".contains("node 'id1'") && "\(error)".contains("'nope'"), "\(error)")
        }
    }

    func testInputsOutputsAndNamesArePreserved() throws {
        var b = ModelBuilder()
        b.input("second", [3])
        b.input("first", [2, 3])
        b.node("Identity", ["first"], ["mid"], name: "n1")
        b.node("Identity", ["mid"], ["out_b"], name: "n2")
        b.output("out_b", [2, 3])
        b.output("second", [3])
        let model = try ONNXImporter().load(path: b.write())
        let g = model.graph
        XCTAssertEqual(g.parameters.map(\.name), ["second", "first"])
        XCTAssertEqual(g.results.map(\.name), ["out_b", "second"])
        XCTAssertEqual(g.results[0].inputs[0].names, ["first", "mid", "out_b"])
        XCTAssertEqual(g.parameters[1].outputTypes[0], TensorType(.f32, .fixed([2, 3])))
        XCTAssertEqual(model.frameworkPorts["mid"], 0)
        try g.verify()
    }
}

final class ONNXImporterOrderTests: XCTestCase {
    func testNodesOutOfOrderAreSorted() throws {
        var b = ModelBuilder()
        b.input("x", [2])
        b.node("Identity", ["b"], ["y"], name: "last")
        b.node("Identity", ["a"], ["b"], name: "middle")
        b.node("Identity", ["x"], ["a"], name: "first")
        b.output("y", [2])
        let g = try ONNXImporter().load(path: b.write()).graph
        XCTAssertEqual(g.results[0].inputs[0].names, ["a", "b", "x", "y"])
    }

    func testCycleNamesTheNode() throws {
        var b = ModelBuilder()
        b.input("x", [2])
        b.node("Add", ["x", "b"], ["a"], name: "n1")
        b.node("Identity", ["a"], ["b"], name: "n2")
        b.output("b", [2])
        XCTAssertThrowsError(try ONNXImporter().load(path: b.write())) { error in
            XCTAssertTrue("\(error)".contains("cycle"), "\(error)")
        }
    }
}
