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

    /// An opset newer than the translators know (ONNX 1.23: ai.onnx 28) is refused, naming it and the option;
    /// with allowNewerOpset the model converts as the newest known opset, with a warning; 28 itself is fine.
    func testNewerOpsetIsRefusedUnlessAllowed() throws {
        var b = ModelBuilder()
        b.opset = 999
        b.input("x", [2])
        b.node("Relu", ["x"], ["y"], name: "r")
        b.output("y", [2])
        let path = b.write()
        XCTAssertThrowsError(try ONNXImporter().load(path: path)) { error in
            let e = error as? ONNXFrontendError
            XCTAssertEqual(e?.kind, .unsupported)
            XCTAssertEqual(e?.message, "\(path): the model imports opset 999 of ai.onnx, newer than opset 28, the newest "
                + "ovconvert's translators know; --allow-newer-opset converts it as opset 28")
        }
        let allowed = try ONNXImporter(allowNewerOpset: true).load(path: path)
        XCTAssertEqual(allowed.warnings, ["\(path): the model imports opset 999 of ai.onnx; converted as opset 28, the newest "
            + "ovconvert knows (--allow-newer-opset): ops whose meaning changed after it may convert wrongly"])
        XCTAssertEqual(allowed.opsets["ai.onnx"], 999, "the model's own opset is what rt_info records")
        XCTAssertEqual(allowed.graph.nodes.filter { $0.op is Relu }.count, 1)

        b.opset = 28
        XCTAssertNoThrow(try ONNXImporter().load(path: b.write()))
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

final class ONNXImporterHostileInputTests: XCTestCase {
    private func importError(_ b: ModelBuilder) -> String {
        do {
            _ = try ONNXImporter().load(path: b.write())
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testSparseInitializersAreAClearError() {
        var b = ModelBuilder()
        var s = Onnx_SparseTensorProto()
        s.values.name = "sp"
        b.graph.sparseInitializer.append(s)
        b.output("sp", [1])
        XCTAssertTrue(importError(b).contains("sparse initializers ('sp') are not supported"), importError(b))
    }

    func testATensorDefinedTwiceIsAnError() {
        var b = ModelBuilder()
        b.input("x", [2])
        b.node("Identity", ["x"], ["y"], name: "a")
        b.node("Identity", ["x"], ["y"], name: "b")
        b.output("y", [2])
        XCTAssertTrue(importError(b).contains("tensor 'y' is defined twice"), importError(b))
    }

    func testAnImpossiblyLargeInputShapeIsAnError() {
        var b = ModelBuilder()
        b.input("x", [1 << 40, 1 << 40])
        b.node("Identity", ["x"], ["y"])
        b.output("y")
        XCTAssertTrue(importError(b).contains("graph input 'x' has an impossibly large shape"), importError(b))
    }

    func testAWronglyTypedAttributeReadsAsAbsentNotAsZero() throws {
        var b = ModelBuilder()
        b.input("x", [2])
        var value = ModelBuilder.attribute("value_int", int: 0)
        value.type = .float  // claims to be a float, so its `i` (0) must not be read as the value
        b.node("Constant", [], ["c"], name: "k", attributes: [value])
        b.output("c")
        XCTAssertTrue(importError(b).contains("node 'k'") && importError(b).contains("no supported value attribute"), importError(b))
    }

    func testAFIFOIsRejectedWithoutHanging() throws {
        let path = TempFolder.make().appendingPathComponent("pipe.onnx").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        XCTAssertThrowsError(try ONNXImporter().load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
    }
}
