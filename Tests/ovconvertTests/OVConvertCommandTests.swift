import Foundation
import XCTest

/// Runs the built `ovconvert` binary as a user would: exit codes, messages, and what is left on disk.
final class OVConvertCommandTests: XCTestCase {
    func testConvertsNextToTheModelAndPrintsTheSummary() throws {
        let dir = CLI.temporaryFolder()
        let model = dir.appendingPathComponent("yolo_tiny.onnx")
        try FileManager.default.copyItem(at: CLI.testdata.appendingPathComponent("yolo_tiny.onnx"), to: model)
        let r = try CLI.run([model.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let folder = dir.appendingPathComponent("yolo_tiny_openvino_model")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"])
        XCTAssertTrue(r.stdout.contains("input   images   f32 [1,3,128,128]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("output  output0  f32 [1,84,336]"), r.stdout)

        let again = try CLI.run([model.path])
        XCTAssertEqual(again.code, 6)
        XCTAssertTrue(again.stderr.contains("exists; use --force"), again.stderr)
        let quiet = try CLI.run([model.path, "--force", "-q"])
        XCTAssertEqual(quiet.code, 0, quiet.stderr)
        XCTAssertEqual(quiet.stdout, "")
    }

    func testBadInputsExitNonZeroAndWriteNothing() throws {
        let dir = CLI.temporaryFolder()
        try Data().write(to: dir.appendingPathComponent("empty.onnx"))
        let cases: [(String, Int32)] = [("missing.onnx", 3), ("empty.onnx", 3)]
        for (name, code) in cases {
            let out = dir.appendingPathComponent("out-\(name)")
            let r = try CLI.run([dir.appendingPathComponent(name).path, "-o", out.path])
            XCTAssertEqual(r.code, code, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("ovconvert: error: \(dir.appendingPathComponent(name).path)"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(name) left \(out.path)")
        }
        XCTAssertEqual(try CLI.run([dir.path]).code, 3, "a directory is not a model")
        XCTAssertEqual(try CLI.run(["a.onnx", "-q", "-v"]).code, 64, "-q and -v together are a usage error (EX_USAGE)")
    }

    func testVerifyPrintsOneLinePerOutputAndExitsZero() throws {
        let out = CLI.temporaryFolder().appendingPathComponent("m")
        let r = try CLI.run([CLI.testdata.appendingPathComponent("yolo_tiny.onnx").path, "-o", out.path, "--verify"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  verify  ") }
        XCTAssertEqual(lines.count, 1, r.stdout)
        XCTAssertTrue(lines.first?.hasPrefix("  verify  output0  max abs ") ?? false, r.stdout)
        XCTAssertTrue(lines.first?.hasSuffix("  ok") ?? false, r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("yolo_tiny.xml").path))

        let tol = try CLI.run([CLI.testdata.appendingPathComponent("yolo_tiny.onnx").path, "-o", out.path, "--force",
                           "--verify", "--verify-tol", "1e-4,1e-5"])
        XCTAssertEqual(tol.code, 0, tol.stderr)
        XCTAssertEqual(try CLI.run(["a.onnx", "--verify-tol", "1e-4"]).code, 64, "--verify-tol without --verify")
        XCTAssertEqual(try CLI.run(["a.onnx", "--verify", "--verify-tol", "x"]).code, 64, "malformed --verify-tol")
    }

    func testInputShapeOptions() throws {
        let dir = CLI.temporaryFolder()
        let model = CLI.testdata.appendingPathComponent("yolo_tiny_dynamic.onnx").path
        let ok = try CLI.run([model, "-o", dir.appendingPathComponent("ok").path, "--imgsz", "128", "--batch", "1"])
        XCTAssertEqual(ok.code, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("input   images   f32 [1,3,128,128]"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("output  output0  f32 [1,84,336]"), ok.stdout)
        let repeated = try CLI.run([model, "-o", dir.appendingPathComponent("rep").path, "--input", "[1..4,3,128,128]"])
        XCTAssertEqual(repeated.code, 0, repeated.stderr)
        XCTAssertTrue(repeated.stdout.contains("input   images   f32 [1..4,3,128,128]"), repeated.stdout)

        let small = try CLI.run([model, "-o", dir.appendingPathComponent("small").path, "--imgsz", "100"])
        XCTAssertEqual(small.code, 7, small.stderr)
        XCTAssertTrue(small.stderr.contains("input 'images'") && small.stderr.contains("node '/model.11/Concat'"), small.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("small").path))
        let malformed = try CLI.run([model, "-o", dir.appendingPathComponent("bad").path, "--input", "images[1,3,,128]"])
        XCTAssertEqual(malformed.code, 64, malformed.stderr)
        XCTAssertTrue(malformed.stderr.contains("entry 'images[1,3,,128]'"), malformed.stderr)
    }

    /// --disable takes pass names (repeatable); an unknown one is a usage error listing them. --trace-rewrites
    /// prints the rules that fired.
    func testDisableAndTraceRewrites() throws {
        let dir = CLI.temporaryFolder()
        let model = CLI.testdata.appendingPathComponent("yolo_tiny.onnx").path
        let traced = try CLI.run([model, "-o", dir.appendingPathComponent("traced").path, "--trace-rewrites"])
        XCTAssertEqual(traced.code, 0, traced.stderr)
        XCTAssertTrue(traced.stdout.contains("ActivationFusion/Swish ×53"), traced.stdout)
        let disabled = try CLI.run([model, "-o", dir.appendingPathComponent("off").path, "--trace-rewrites",
                                "--disable", "ActivationFusion", "--disable", "CommonSubexpressionElimination",
                                "--disable", "ConstantChainMerging"])
        XCTAssertEqual(disabled.code, 0, disabled.stderr)
        XCTAssertTrue(disabled.stdout.contains("  rewrite no rule fired"), disabled.stdout)
        let unknown = try CLI.run([model, "-o", dir.appendingPathComponent("bad").path, "--disable", "Swish"])
        XCTAssertEqual(unknown.code, 64, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("unknown pass 'Swish'; the passes are ConvertLikeToConvert, ConstantFolding, ShapeSubgraphSimplification"), unknown.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path))
    }

    func testRunEvaluatesWithNPZInAndOutAndExplicitConvertStillWorks() throws {
        let dir = CLI.temporaryFolder()
        let model = CLI.testdata.appendingPathComponent("yolo_tiny.onnx").path
        let images = CLI.testdata.appendingPathComponent("npz/yolo_tiny_images.npz").path
        let out = dir.appendingPathComponent("out.npz").path
        let r = try CLI.run(["run", model, "--inputs", images, "-o", out])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("input   images  f32 [1,3,128,128]  min "), r.stdout)
        XCTAssertTrue(r.stdout.contains("output  output0  f32 [1,84,336]  min "), r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))

        let bad = try CLI.run(["run", model, "--inputs", model])
        XCTAssertEqual(bad.code, 10, "an .onnx given as --inputs")
        XCTAssertTrue(bad.stderr.contains("not a ZIP (.npz) file"), bad.stderr)
        XCTAssertEqual(try CLI.run(["run", model, "--repeat", "0"]).code, 64)

        let converted = try CLI.run(["convert", model, "-o", dir.appendingPathComponent("ir").path, "-q"])
        XCTAssertEqual(converted.code, 0, converted.stderr)
        let ir = try CLI.run(["run", dir.appendingPathComponent("ir/yolo_tiny.xml").path, "--inputs", images, "--repeat", "2", "-q"])
        XCTAssertEqual(ir.code, 0, ir.stderr)
        XCTAssertEqual(ir.stdout, "")
    }
}
