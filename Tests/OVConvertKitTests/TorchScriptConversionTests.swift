import Calibration
import Foundation
import OVIR
import XCTest
@testable import OVConvertKit

/// TorchScript dumps through the whole converter: the committed fixtures (made by Tools/make_torchscript_fixtures.py
/// with torch) convert and their IR, run by the evaluator, gives torch's outputs; bad dumps and weights fail with
/// their exit codes and leave nothing behind.
final class TorchScriptConversionTests: XCTestCase {
    static let fixtures = ConverterTests.testdata.appendingPathComponent("torchscript")

    private func temp() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    private func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent("\(name).ts.txt").path }

    func testEveryFixtureMatchesTorchThroughTheEvaluator() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
            .filter { $0.hasSuffix(".ts.txt") }.map { String($0.dropLast(7)) }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 8, "the fixtures of Tools/make_torchscript_fixtures.py")
        for name in names {
            let out = try temp().appendingPathComponent("ir")
            let report = try Converter(ConversionOptions(modelPath: fixture(name), outputFolder: out.path)).run()
            let xml = out.appendingPathComponent("\(name).xml")
            XCTAssertTrue(FileManager.default.fileExists(atPath: xml.path), name)
            let stem = Self.fixtures.appendingPathComponent(name).path
            let run = try ModelRunner(modelPath: xml.path, inputsPath: stem + ".inputs.npz").run()
            let expected = try NPZArchive(contentsOf: stem + ".outputs.npz").arrays
            XCTAssertEqual(run.outputs.map(\.name), expected.map(\.name), name)
            XCTAssertEqual(report.outputs.map(\.name), expected.map(\.name), name)
            for ((_, actual), (outputName, want)) in zip(run.outputs, expected) {
                XCTAssertEqual(actual.dims, want.dims, "\(name) \(outputName)")
                let a = try XCTUnwrap(actual.doubleValues()), w = try XCTUnwrap(want.doubleValues())
                let worst = zip(a, w).map { abs($0 - $1) - 1e-3 * abs($1) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-4, "\(name) \(outputName): beyond rtol 1e-3, atol 1e-4")
            }
        }
    }

    func testNamesComeFromTheDumpAndItsScopes() throws {
        let out = try temp().appendingPathComponent("ir")
        _ = try Converter(ConversionOptions(modelPath: fixture("cnn_classifier"), outputFolder: out.path)).run()
        let xml = try String(contentsOf: out.appendingPathComponent("cnn_classifier.xml"), encoding: .utf8)
        // The input is named after the inputs metadata; the single conv of module features.0 takes its path.
        XCTAssertTrue(xml.contains("name=\"x\" type=\"Parameter\""), "input named x")
        XCTAssertTrue(xml.contains("name=\"features.0\""), "scope names become friendly names")
        let mapping = try String(contentsOf: out.appendingPathComponent("cnn_classifier.mapping"), encoding: .utf8)
        XCTAssertTrue(mapping.contains("<framework name=\"input.1\""), "TorchScript value names are in the mapping file")
        XCTAssertTrue(xml.contains("<framework>") || xml.contains("torchscript"), "the framework is recorded")
    }

    func testInputShapesOverrideTheDumpsAndFoldTheShapeChains() throws {
        let out = try temp().appendingPathComponent("ir")
        var options = ConversionOptions(modelPath: fixture("yolov8_tiny"), outputFolder: out.path)
        options.input = ["images[1,3,96,96]"]
        let report = try Converter(options).run()
        XCTAssertEqual(report.inputs.first?.type.shape, .fixed([1, 3, 96, 96]))
        // 96/8, 96/16, 96/32 cells: 144 + 36 + 9 anchors.
        XCTAssertEqual(report.outputs.first?.type.shape, .fixed([1, 7, 189]))
        XCTAssertFalse(report.opCounts.contains { $0.0 == "ShapeOf" }, "static shapes fold every shape chain")
    }

    // MARK: Bad input

    /// Copies a fixture pair into a fresh folder, applies `edit` to the dump text, returns the dump's path. With
    /// `rehash`, the weights' graph_sha256 is rewritten to the edited dump's (by sha256sum), so the edit itself is judged.
    private func pair(_ name: String, rehash: Bool = false, edit: (String) -> String = { $0 }) throws -> String {
        let dir = try temp()
        let text = try String(contentsOfFile: fixture(name), encoding: .utf8)
        let dump = dir.appendingPathComponent("\(name).ts.txt")
        try Data(edit(text).utf8).write(to: dump)
        let weights = dir.appendingPathComponent("\(name).safetensors")
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("\(name).safetensors").path, toPath: weights.path)
        if rehash {
            let bytes = try Data(contentsOf: weights)
            let old = try sha256sum(fixture(name)), new = try sha256sum(dump.path)
            let replaced = try XCTUnwrap(String(data: bytes, encoding: .isoLatin1)).replacingOccurrences(of: old, with: new)
            XCTAssertNotEqual(replaced.data(using: .isoLatin1), bytes, "the weights record the dump's sha256")
            try XCTUnwrap(replaced.data(using: .isoLatin1)).write(to: weights)
        }
        return dump.path
    }

    private func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(out.prefix(64))
    }

    private func assertFails(_ dump: String, _ reason: ConversionFailure.Reason, weights: String? = nil, containing parts: [String],
                             file: StaticString = #filePath, line: UInt = #line) {
        let dir = (dump as NSString).deletingLastPathComponent
        var options = ConversionOptions(modelPath: dump, outputFolder: dir + "/out")
        options.weightsPath = weights
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
        XCTAssertThrowsError(try Converter(options).run(), file: file, line: line) { error in
            guard let f = error as? ConversionFailure else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(f.reason, reason, f.message, file: file, line: line)
            for p in parts { XCTAssertTrue(f.message.contains(p), "'\(p)' not in: \(f.message)", file: file, line: line) }
        }
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
        XCTAssertEqual(after, before, "nothing is left behind", file: file, line: line)
    }

    func testASyntaxErrorNamesFileLineAndColumn() throws {
        let dump = try pair("cnn_classifier") { $0.replacingOccurrences(of: "aten::relu(%input.1)", with: "aten::relu(%input.1 %x)") }
        let line = try String(contentsOfFile: dump, encoding: .utf8).components(separatedBy: "\n")
            .firstIndex { $0.contains("aten::relu(%input.1 %x)") }! + 1
        assertFails(dump, .badModelFile, containing: ["cnn_classifier.ts.txt:\(line):", "expected", "aten::relu(%input.1 %x)"])
    }

    func testEditedDumpFailsTheWeightsHash() throws {
        let dump = try pair("cnn_classifier") { $0 + "\n" }
        assertFails(dump, .badWeights, containing: ["graph_sha256", "cnn_classifier.safetensors", "not from the same export"])
    }

    func testMissingWeightsFileIsNamed() throws {
        let dir = try temp()
        let dump = dir.appendingPathComponent("cnn_classifier.ts.txt").path
        try FileManager.default.copyItem(atPath: fixture("cnn_classifier"), toPath: dump)
        assertFails(dump, .badWeights, containing: ["cnn_classifier.safetensors", "no such weights file", "--weights"])
        assertFails(dump, .badWeights, weights: dir.appendingPathComponent("other.safetensors").path, containing: ["other.safetensors"])
    }

    func testMalformedWeightsHeaderIsRefused() throws {
        let dump = try pair("cnn_classifier")
        let weights = URL(fileURLWithPath: (dump as NSString).deletingLastPathComponent + "/cnn_classifier.safetensors")
        var bytes = [UInt8](try Data(contentsOf: weights))
        bytes[0] = 0xFF; bytes[1] = 0xFF; bytes[2] = 0xFF  // a header length past the end of the file
        try Data(bytes).write(to: weights)
        assertFails(dump, .badWeights, containing: ["cnn_classifier.safetensors"])
    }

    func testAWeightOfAnotherShapeOrAMissingKeyIsNamed() throws {
        let reshaped = try pair("cnn_classifier", rehash: true) { $0.replacingOccurrences(of: "Float(10, 32, strides=[32, 1]", with: "Float(10, 31, strides=[31, 1]") }
        assertFails(reshaped, .badWeights, containing: ["const/self.fc.weight", "[10, 32]", "Float(10, 31)"])
        let renamed = try pair("cnn_classifier", rehash: true) { $0.replacingOccurrences(of: "%self.fc.weight", with: "%self.fc.w") }
        assertFails(renamed, .badWeights, containing: ["const/self.fc.w'", "missing"])
        let retyped = try pair("cnn_classifier", rehash: true) { $0.replacingOccurrences(of: "%self.fc.weight : Float(", with: "%self.fc.weight : Half(") }
        assertFails(retyped, .badWeights, containing: ["const/self.fc.weight", "Half"])
    }

    func testUnknownOpsAreListedAtOnceWithCounts() throws {
        let dump = try pair("cnn_classifier", rehash: true) {
            $0.replacingOccurrences(of: "aten::relu(", with: "aten::frobnicate(").replacingOccurrences(of: "aten::flatten(", with: "aten::warp(")
        }
        let relus = try String(contentsOfFile: fixture("cnn_classifier"), encoding: .utf8).components(separatedBy: "aten::relu(").count - 1
        XCTAssertGreaterThan(relus, 1)
        assertFails(dump, .unsupportedOperators, containing: ["aten::frobnicate ×\(relus) (first: line", "aten::warp ×1", "2 unsupported operators"])
    }
}
