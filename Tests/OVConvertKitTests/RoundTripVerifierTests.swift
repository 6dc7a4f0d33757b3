import Foundation
import XCTest
import OpenVINOIR
import OVIR
import Evaluator
@testable import OVConvertKit

final class RoundTripVerifierTests: XCTestCase {
    private func temp() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-verify-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func model(_ name: String) -> String { ConverterTests.testdata.appendingPathComponent(name).path }

    private func convertVerified(_ name: String) throws -> ConversionReport {
        let out = temp().appendingPathComponent("m")
        return try Converter(ConversionOptions(modelPath: model(name), outputFolder: out.path, verify: RoundTripVerifier())).run()
    }

    func testYOLOFixturePassesWithEveryOutputCompared() throws {
        let report = try convertVerified("yolo_tiny.onnx")
        let v = try XCTUnwrap(report.verification)
        XCTAssertTrue(v.passed)
        XCTAssertEqual(v.outputs.map(\.name), ["output0"])
        XCTAssertEqual(v.inputs, ["images f32 [1,3,128,128]"])
        XCTAssertTrue(v.notes.isEmpty)
        // Swish computes x·sigmoid(x) in one kernel, so the IR is not bit-identical to the source's
        // Sigmoid × Multiply; the outputs (box coordinates up to 128) still agree to f32 rounding.
        XCTAssertLessThanOrEqual(v.outputs[0].maxRel, 1e-5)
        let summary = SummaryFormatter().format(report)
        XCTAssertTrue(summary.contains("  verify  output0  max abs "), summary)
        XCTAssertTrue(summary.contains("  ok"), summary)
    }

    func testClassifierFixturePasses() throws {
        let v = try XCTUnwrap(try convertVerified("classifier_opset9.onnx").verification)
        XCTAssertTrue(v.passed, v.lines().joined(separator: "\n"))
        XCTAssertFalse(v.outputs.isEmpty)
    }

    func testWithoutVerifyThereIsNoVerification() throws {
        let out = temp().appendingPathComponent("m")
        let report = try Converter(ConversionOptions(modelPath: model("yolo_tiny.onnx"), outputFolder: out.path)).run()
        XCTAssertNil(report.verification)
        XCTAssertFalse(SummaryFormatter().format(report).contains("  verify  "))
    }

    /// Overwrites 64 bytes in the middle of the .bin (inside a weight blob) with 0x7F: the verifier must notice.
    func testCorruptedBinIsCaught() throws {
        let path = model("yolo_tiny.onnx")
        let out = temp().appendingPathComponent("m")
        _ = try Converter(ConversionOptions(modelPath: path, outputFolder: out.path)).run()
        let xml = out.appendingPathComponent("yolo_tiny.xml"), bin = out.appendingPathComponent("yolo_tiny.bin")
        let source = try Converter(ConversionOptions(modelPath: path)).translate().graph

        // The untouched folder passes, so the failure below is the corruption's doing.
        XCTAssertTrue(try RoundTripVerifier().verify(source: source, xmlURL: xml).passed)

        var bytes = try Data(contentsOf: bin)
        let middle = bytes.count / 2
        bytes.replaceSubrange(middle..<middle + 64, with: [UInt8](repeating: 0x7F, count: 64))
        try bytes.write(to: bin)

        let report = try RoundTripVerifier().verify(source: source, xmlURL: xml)
        XCTAssertFalse(report.passed, report.lines().joined(separator: "\n"))
        XCTAssertTrue(report.lines().contains { $0.hasPrefix("output0") && $0.hasSuffix("MISMATCH") }, report.lines().joined(separator: "\n"))
    }

    /// An op no evaluator will ever have a kernel for.
    struct TestOnlyOp: UnaryElementwiseOp {
        static let type = "TestOnlyOp"
        static let version = "test"
        static var fields: [AttributeField<Self>] { [] }
        init() {}
    }

    func testAnOpWithoutAKernelIsAClearError() throws {
        let graph = Graph(name: "g")
        let x = try graph.addParameter("x", TensorType(.f32, .fixed([4, 3])))
        let round = try graph.add(TestOnlyOp(), [x.output()], name: "round")
        try graph.addResult(round.output(), name: "y")
        let dir = temp()
        let xml = dir.appendingPathComponent("g.xml")
        _ = try IRWriter().write(graph, xmlURL: xml, binURL: dir.appendingPathComponent("g.bin"))

        XCTAssertEqual(Evaluator().missingKernels(in: graph), ["TestOnlyOp"])
        XCTAssertThrowsError(try RoundTripVerifier().verify(source: graph, xmlURL: xml)) { error in
            guard let e = error as? VerificationError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.kind, .noKernel(["TestOnlyOp"]))
            XCTAssertEqual(e.description, "--verify cannot run: the evaluator has no kernel for op type TestOnlyOp")
        }
    }

    func testSameSeedGivesSameInputsAndDynamicDimsAreNamed() throws {
        let graph = Graph(name: "g")
        let x = try graph.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(3), Dim(lower: 2, upper: 8)])))
        let n = try graph.addParameter("n", TensorType(.i64, .fixed([5])))
        try graph.addResult(x.output(), name: "y")
        try graph.addResult(n.output(), name: "m")
        let a = try RoundTripVerifier.randomInputs(for: graph), b = try RoundTripVerifier.randomInputs(for: graph)
        XCTAssertEqual(a.feeds["x"], b.feeds["x"])
        XCTAssertEqual(a.feeds["x"]?.dims, [1, 3, 2])
        XCTAssertTrue(a.feeds["x"]!.doubleValues()!.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertTrue(a.feeds["n"]!.intValues()!.allSatisfy { (0...3).contains($0) })
        XCTAssertEqual(a.notes, ["input 'x' [?,3,2..8] is dynamic; verified with [1,3,2]"])
    }

    func testCompareAppliesTheToleranceAndNonFiniteRule() {
        let v = RoundTripVerifier(rtol: 1e-3, atol: 0)
        XCTAssertTrue(v.compare(name: "o", source: .f32([1000, 0]), ir: .f32([1000.5, 0])).ok)
        XCTAssertFalse(v.compare(name: "o", source: .f32([1000, 0]), ir: .f32([1002, 0])).ok)
        XCTAssertFalse(v.compare(name: "o", source: .f32([0]), ir: .f32([1e-9])).ok, "atol 0 leaves no room at zero")
        XCTAssertTrue(v.compare(name: "o", source: .f32([.nan, .infinity]), ir: .f32([.nan, .infinity])).ok)
        let nan = v.compare(name: "o", source: .f32([1]), ir: .f32([.nan]))
        XCTAssertFalse(nan.ok)
        XCTAssertEqual(nan.nonFiniteMismatches, 1)
        XCTAssertFalse(v.compare(name: "o", source: .f32([1, 2]), ir: .f32([1, 2], dims: [2, 1])).ok)
    }

    func testToleranceText() {
        XCTAssertEqual(RoundTripVerifier(tolerance: "1e-3")?.rtol, 1e-3)
        XCTAssertEqual(RoundTripVerifier(tolerance: "1e-3")?.atol, RoundTripVerifier.defaultATol)
        XCTAssertEqual(RoundTripVerifier(tolerance: "1e-3,2e-4")?.atol, 2e-4)
        for bad in ["", "x", "1,2,3", "-1", "1e-3,", "nan"] { XCTAssertNil(RoundTripVerifier(tolerance: bad), bad) }
    }
}
