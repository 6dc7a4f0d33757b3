import Foundation
import XCTest

/// `convert`'s --nms options as a user types them: usage errors (exit 64) before any work, refusals (exit 12)
/// naming the output and its shape, and never an output folder after a failure.
final class ConvertCommandTests: XCTestCase {
    private let yolo = CLI.testdata.appendingPathComponent("yolo_tiny.onnx").path
    private let classifier = CLI.testdata.appendingPathComponent("classifier_opset9.onnx").path

    /// Runs `ovconvert MODEL -o OUT args`; asserts the exit code, that stderr holds `phrase`, and that OUT was not made.
    private func assertFails(_ model: String, _ args: [String], output: URL? = nil, exit code: Int32, _ phrase: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let out = output ?? CLI.temporaryFolder().appendingPathComponent("out")
        let r = try CLI.run([model, "-o", out.path] + args)
        XCTAssertEqual(r.code, code, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(phrase), "\(args): '\(phrase)' missing from: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(args) left \(out.path)", file: file, line: line)
    }

    func testNMSOptionsNeedNMS() throws {
        try assertFails(yolo, ["--conf", "0.3"], exit: 64, "--conf needs --nms")
        try assertFails(yolo, ["--iou", "0.5"], exit: 64, "--iou needs --nms")
        try assertFails(yolo, ["--max-det", "10"], exit: 64, "--max-det needs --nms")
        try assertFails(yolo, ["--agnostic"], exit: 64, "--agnostic needs --nms")
        try assertFails(yolo, ["--nms-layout", "yolov5"], exit: 64, "--nms-layout needs --nms")
        try assertFails(yolo, ["--conf", "0.3", "--agnostic"], exit: 64, "--conf, --agnostic need --nms")
    }

    func testOutOfRangeAndMalformedValuesAreUsageErrors() throws {
        try assertFails(yolo, ["--nms", "--conf", "1.5"], exit: 64, "--conf must be in [0, 1), got 1.5")
        try assertFails(yolo, ["--nms", "--conf=-0.1"], exit: 64, "--conf must be in [0, 1), got -0.1")
        try assertFails(yolo, ["--nms", "--conf", "nan"], exit: 64, "--conf must be in [0, 1), got nan")
        try assertFails(yolo, ["--nms", "--iou", "0"], exit: 64, "--iou must be in (0, 1], got 0.0")
        try assertFails(yolo, ["--nms", "--iou", "1.01"], exit: 64, "--iou must be in (0, 1], got 1.01")
        try assertFails(yolo, ["--nms", "--max-det", "0"], exit: 64, "--max-det must be in 1...100000, got 0")
        try assertFails(yolo, ["--nms", "--max-det", "100001"], exit: 64, "--max-det must be in 1...100000, got 100001")
        try assertFails(yolo, ["--nms", "--iou", "abc"], exit: 64, "'abc'")
        try assertFails(yolo, ["--nms", "--max-det", "2.5"], exit: 64, "'2.5'")
        try assertFails(yolo, ["--nms", "--nms-layout", "yolov7"], exit: 64, "'yolov7'")
    }

    /// --int8's options need --int8 and --int8 needs --data; malformed values are usage errors; --half and --verify
    /// are refused.
    func testINT8OptionsAreUsageErrors() throws {
        let empty = CLI.temporaryFolder()
        try assertFails(yolo, ["--int8"], exit: 64, "--int8 needs --data DIR")
        try assertFails(yolo, ["--data", empty.path], exit: 64, "--data needs --int8")
        try assertFails(yolo, ["--ignore-types", "Add", "--bgr"], exit: 64, "--bgr, --ignore-types need --int8")
        let data = CLI.testdata.appendingPathComponent("npz")
        try assertFails(yolo, ["--int8", "--data", data.path, "--int8-ranges", "median"], exit: 64, "expected minmax, meanminmax, percentile or mse")
        try assertFails(yolo, ["--int8", "--data", data.path, "--half"], exit: 64, "--int8 and --half: choose one")
        try assertFails(yolo, ["--int8", "--data", data.path, "--subset", "0"], exit: 64, "--subset 0: must be at least 1")
        try assertFails(yolo, ["--int8", "--data", data.path, "--mean", "1,x,3"], exit: 64, "--mean 1,x,3: expected numbers")
        try assertFails(yolo, ["--int8", "--data", data.path, "--scale", "1,2"], exit: 64, "scale takes 1 value or 3")
        try assertFails(yolo, ["--int8", "--data", data.path, "--resize", "crop"], exit: 64, "'crop'")
        try assertFails(yolo, ["--int8", "--data", data.path, "--int8-max-drop", "1.5"], exit: 64, "--int8-max-drop 1.5: must be in [0, 1)")
        try assertFails(yolo, ["--int8-max-drop", "0.1"], exit: 64, "--int8-max-drop needs --int8")
    }

    /// Calibration data that cannot be used exits 15 naming the folder or file, and writes nothing.
    func testUnusableCalibrationDataExits15() throws {
        let empty = CLI.temporaryFolder()
        try assertFails(yolo, ["--int8", "--data", empty.path], exit: 15, "holds no images (.jpg, .jpeg, .png) or arrays (.npy, .npz)")
        let missing = empty.appendingPathComponent("nowhere").path
        try assertFails(yolo, ["--int8", "--data", missing], exit: 15, "ovconvert: error: --int8: \(missing): no such folder or file")
        let broken = CLI.temporaryFolder()
        try Data("not a png".utf8).write(to: broken.appendingPathComponent("a.png"))
        try assertFails(yolo, ["--int8", "--data", broken.path], exit: 15, "\(broken.path)/a.png")
    }

    /// One .npz sample of the right input converts; the summary lists QuantizeINT8 with -v.
    func testINT8ConvertsWithOneSample() throws {
        let data = CLI.temporaryFolder()
        try FileManager.default.copyItem(at: CLI.testdata.appendingPathComponent("npz/yolo_tiny_images.npz"),
                                         to: data.appendingPathComponent("0.npz"))
        let out = CLI.temporaryFolder().appendingPathComponent("out")
        let r = try CLI.run([yolo, "-o", out.path, "--int8", "--data", data.path, "-v"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("QuantizeINT8: changed the graph"), r.stdout)
        XCTAssertTrue(r.stdout.contains("FakeQuantize ×"), r.stdout)
        XCTAssertTrue(r.stderr.contains("warning: --data: \(data.path): only 1 sample"), r.stderr)
    }

    /// --int8-max-drop measures on the file --subset leaves out: the summary and the JSON report say what it measured.
    func testINT8MaxDropMeasuresOnHeldOutFiles() throws {
        let data = CLI.temporaryFolder()
        for name in ["a.jpg", "b.jpg", "c.jpg"] {
            try FileManager.default.copyItem(at: CLI.testdata.appendingPathComponent("calibration/photo_16x12.jpg"), to: data.appendingPathComponent(name))
        }
        let dir = CLI.temporaryFolder()
        let report = dir.appendingPathComponent("report.json")
        let r = try CLI.run([yolo, "-o", dir.appendingPathComponent("out").path, "--int8", "--data", data.path, "--subset", "2",
                             "--int8-max-drop", "0.9", "--report", report.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("  int8    --int8-max-drop 0.9: detections F1 (mean over conf 0.10-0.50) drop "), r.stdout)
        XCTAssertTrue(r.stdout.contains(" on 1 held-out sample"), r.stdout)
        XCTAssertTrue(r.stdout.contains("calibrated on 2 samples (minmax ranges), 2 kept in float (-v lists them)"), r.stdout)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        let int8 = try XCTUnwrap(json["int8"] as? [String: Any])
        XCTAssertEqual(int8["samples"] as? Int, 2)
        let control = try XCTUnwrap(int8["max_drop"] as? [String: Any])
        XCTAssertEqual(control["metric"] as? String, "detections F1 (mean over conf 0.10-0.50)")
        XCTAssertEqual(control["held_out"] as? Bool, true)
        XCTAssertEqual(control["limit"] as? Double, 0.9)

        // --int8-held-out is what --int8-max-drop measures on; alone it is a usage error.
        let alone = try CLI.run([yolo, "-o", dir.appendingPathComponent("out2").path, "--int8", "--data", data.path,
                                 "--int8-held-out", data.path])
        XCTAssertEqual(alone.code, 64, alone.stderr)
        XCTAssertTrue(alone.stderr.contains("--int8-held-out needs --int8-max-drop"), alone.stderr)
    }

    /// Images with ImageNet-style preprocessing options (stretch, BGR, per-channel mean and scale) calibrate.
    func testINT8OnImagesWithPreprocessingOptions() throws {
        let data = CLI.temporaryFolder()
        for name in ["photo_16x12.jpg", "rgb_7x5.png"] {
            try FileManager.default.copyItem(at: CLI.testdata.appendingPathComponent("calibration/\(name)"), to: data.appendingPathComponent(name))
        }
        let out = CLI.temporaryFolder().appendingPathComponent("out")
        let r = try CLI.run([classifier, "-o", out.path, "--int8", "--data", data.path, "--resize", "stretch", "--bgr",
                             "--mean", "103.5,116.3,123.7", "--scale", "57.4,57.1,58.4", "--subset", "1", "-q"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let xml = try String(contentsOfFile: out.appendingPathComponent("classifier_opset9.xml").path, encoding: .utf8)
        XCTAssertTrue(xml.contains("<int8_samples value=\"1\"/>"), "int8_samples missing")
    }

    /// The classifier's only output is prob [1,10]: exit 12, naming it and its shape.
    func testNMSOnTheClassifierExits12NamingTheOutput() throws {
        try assertFails(classifier, ["--nms"], exit: 12, "ovconvert: error: \(classifier): --nms: no output is a YOLO-style detection head")
        try assertFails(classifier, ["--nms"], exit: 12, "'prob' f32[1,10]: not 3-D")
    }

    /// A bad --names file is a usage error too, and also writes nothing.
    func testBadNamesFileExits64() throws {
        let names = CLI.temporaryFolder().appendingPathComponent("names.yaml")
        try Data("0: a\n0: b\n".utf8).write(to: names)
        try assertFails(yolo, ["--names", names.path], exit: 64, "--names \(names.path): class 0 is named twice")
    }

    /// The boundary values are accepted; the summary says what was inserted.
    func testNMSConvertsAndSummarizes() throws {
        let out = CLI.temporaryFolder().appendingPathComponent("out")
        let r = try CLI.run([yolo, "-o", out.path, "--nms", "--conf", "0", "--iou", "1", "--max-det", "100"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("output  output0  f32 [1,100,6]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("  nms     'output0' yolov8 head [1,84,336], 80 classes → [1,100,6]: conf 0.0, iou 1.0, max_det 100, per class"),
                      r.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(),
                       ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"])
        let agnostic = try CLI.run([yolo, "-o", CLI.temporaryFolder().appendingPathComponent("a").path, "--nms", "--agnostic", "--nms-layout", "yolov8", "-q"])
        XCTAssertEqual(agnostic.code, 0, agnostic.stderr)
        XCTAssertEqual(agnostic.stdout, "")
    }

    /// A model importing opset 999 exits 4 and writes nothing; --allow-newer-opset converts it with a warning.
    func testNewerOpsetNeedsTheOption() throws {
        let dir = CLI.temporaryFolder()
        var bytes = try Data(contentsOf: CLI.testdata.appendingPathComponent("channel_shuffle.onnx"))
        // The fixture's opset_import is its last field: tag 0x42, length 4, domain "" (0x0a 0x00), version 17
        // (0x10 0x11); it becomes version 999 (varint 0xE7 0x07), length 5.
        XCTAssertEqual([UInt8](bytes.suffix(6)), [0x42, 0x04, 0x0A, 0x00, 0x10, 17], "the fixture's opset_import moved")
        bytes.replaceSubrange((bytes.count - 6)..<bytes.count, with: [0x42, 0x05, 0x0A, 0x00, 0x10, 0xE7, 0x07])
        let model = dir.appendingPathComponent("m.onnx")
        try bytes.write(to: model)
        let out = dir.appendingPathComponent("out")
        let refused = try CLI.run([model.path, "-o", out.path])
        XCTAssertEqual(refused.code, 4, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("imports opset 999 of ai.onnx, newer than opset 28"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        let allowed = try CLI.run([model.path, "-o", out.path, "--allow-newer-opset"])
        XCTAssertEqual(allowed.code, 0, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("warning: \(model.path): the model imports opset 999 of ai.onnx; converted as opset 28"),
                      allowed.stderr)
    }

    /// --report writes the summary's facts as JSON: interface with shapes as lists (dynamic dims as text), every
    /// pass with its time, the phases, the files, --nms and --verify.
    func testReportIsJSON() throws {
        let dir = CLI.temporaryFolder()
        let model = CLI.testdata.appendingPathComponent("yolo_tiny_dynamic.onnx").path
        let reportPath = dir.appendingPathComponent("report.json").path
        let r = try CLI.run([model, "-o", dir.appendingPathComponent("out").path, "--nms", "--verify", "-q", "--report", reportPath])
        XCTAssertEqual(r.code, 0, r.stderr)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: reportPath))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let inputs = try XCTUnwrap(json["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs[0]["name"] as? String, "images")
        XCTAssertEqual(inputs[0]["shape"] as? NSArray, ["?", 3, "?", "?"] as NSArray)
        let nms = try XCTUnwrap(json["nms"] as? [String: Any])
        XCTAssertEqual(nms["shape_after"] as? NSArray, ["?", 300, 6] as NSArray)
        XCTAssertEqual(nms["classes"] as? Int, 80)
        let passes = try XCTUnwrap(json["passes"] as? [[String: Any]])
        XCTAssertEqual(passes.first?["name"] as? String, "ConvertLikeToConvert")
        XCTAssertTrue(passes.allSatisfy { ($0["seconds"] as? Double).map { $0 >= 0 } == true })
        let seconds = try XCTUnwrap(json["seconds"] as? [String: Double])
        XCTAssertEqual(Set(seconds.keys), ["load", "passes", "write", "total"])
        let files = try XCTUnwrap(json["files"] as? [[String: Any]])
        XCTAssertEqual(files.compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } },
                       ["yolo_tiny_dynamic.xml", "yolo_tiny_dynamic.bin", "yolo_tiny_dynamic.mapping", "metadata.yaml"])
        XCTAssertEqual((json["verify"] as? [String: Any])?["passed"] as? Bool, true)

        // A report that cannot be written is refused before any work: no output folder either.
        let unwritable = try CLI.run([model, "-o", dir.appendingPathComponent("out2").path, "-q", "--report", "/nonexistent/dir/r.json"])
        XCTAssertEqual(unwritable.code, 64, unwritable.stderr)
        XCTAssertTrue(unwritable.stderr.contains("--report /nonexistent/dir/r.json: the folder /nonexistent/dir does not exist"),
                      unwritable.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out2").path))
    }

    /// A TorchScript dump converts by its content, named after the dump without `.ts.txt`; weights that do not
    /// belong to it exit 13, a dump that does not parse exits 3 naming the line, and neither writes anything.
    func testTorchScriptDumpConvertsAndItsBadWeightsExit13() throws {
        let fixtures = CLI.testdata.appendingPathComponent("torchscript")
        let dump = fixtures.appendingPathComponent("cnn_classifier.ts.txt").path
        let out = CLI.temporaryFolder().appendingPathComponent("out")
        let r = try CLI.run([dump, "-o", out.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("input   x        f32 [1,3,64,64]"), r.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(),
                       ["cnn_classifier.bin", "cnn_classifier.mapping", "cnn_classifier.xml"])
        let other = fixtures.appendingPathComponent("resnet_small.safetensors").path
        try assertFails(dump, ["--weights", other], exit: 13, "resnet_small.safetensors: graph_sha256")
        let broken = CLI.temporaryFolder().appendingPathComponent("broken.ts.txt")
        try Data("graph(%x : Tensor):\n  %y : Tensor = aten::relu(%x\n  return (%y)\n".utf8).write(to: broken)
        try assertFails(broken.path, [], exit: 3, "broken.ts.txt:2:")
    }

    /// Each limit refuses with exit 14, naming the limit and the option that raises it, and writes nothing; a
    /// negative limit is a usage error; within the limits the same models convert.
    func testLimitsExit14NamingTheOption() throws {
        let controlflow = CLI.testdata.appendingPathComponent("controlflow")
        let ifModel = controlflow.appendingPathComponent("openvino_if.xml").path
        let loopModel = controlflow.appendingPathComponent("openvino_loop.xml").path
        try assertFails(ifModel, ["--max-subgraph-depth", "0"], exit: 14,
                        "ovconvert: error: \(ifModel): subgraphs nest 1 deep (If 'If_11' then_body), more than the limit of 0; "
                        + "--max-subgraph-depth N raises it")
        try assertFails(loopModel, ["--max-nodes", "24"], exit: 14,
                        "ovconvert: error: \(loopModel): the translated graph has 25 nodes (with those of If/Loop bodies), "
                        + "more than the limit of 24; --max-nodes N raises it")
        try assertFails(loopModel, ["--max-nodes=-1"], exit: 64, "--max-nodes must not be negative, got -1")
        try assertFails(loopModel, ["--max-fold-bytes=-1"], exit: 64, "--max-fold-bytes must not be negative, got -1")
        for (model, args) in [(ifModel, ["--max-subgraph-depth", "1"]), (loopModel, ["--max-nodes", "25"])] {
            let out = CLI.temporaryFolder().appendingPathComponent("out")
            let r = try CLI.run([model, "-o", out.path, "-q"] + args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.stderr)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.path), "\(args)")
        }
    }

    /// A fold over --max-fold-bytes is left to run time with a warning naming the node and the option; the IR
    /// still verifies.
    func testFoldLimitLeavesTheFoldWithAWarning() throws {
        let out = CLI.temporaryFolder().appendingPathComponent("out")
        let r = try CLI.run([classifier, "-o", out.path, "--max-fold-bytes", "64", "--verify"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("ovconvert: warning: \(classifier): Multiply 'fc6/Gemm/bias' left unfolded: its 128 bytes "
                                        + "would exceed the fold limit of 64 bytes; --max-fold-bytes N raises the limit"), r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.path))
        let plain = try CLI.run([classifier, "-o", CLI.temporaryFolder().appendingPathComponent("out").path])
        XCTAssertEqual(plain.code, 0, plain.stderr)
        XCTAssertFalse(plain.stderr.contains("fold limit"), plain.stderr)
    }

    /// An output that cannot be written exits 6 naming it and leaves nothing: under a regular file, and in /proc
    /// (which refuses new folders even to root).
    func testAnUnwritableTargetExits6() throws {
        let dir = CLI.temporaryFolder()
        let file = dir.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        try assertFails(yolo, [], output: file.appendingPathComponent("out"), exit: 6,
                        "ovconvert: error: parent \(file.path) of the output is not a folder")
        let proc = URL(fileURLWithPath: "/proc/ovconvert-test-\(getpid())")
        try assertFails(yolo, [], output: proc, exit: 6, "ovconvert: error: cannot write the output folder \(proc.path): creating its "
                        + "temporary folder /proc/.\(proc.lastPathComponent).tmp-")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["file"])
    }

    /// A read-only output parent exits 6 with the system's reason and leaves nothing (not as root, which writes
    /// into a folder whatever its permission bits).
    func testAReadOnlyParentExits6() throws {
        guard geteuid() != 0 else { throw XCTSkip("running as root, which writes into a folder whatever its permission bits") }
        let readOnly = CLI.temporaryFolder().appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path) }
        try assertFails(yolo, [], output: readOnly.appendingPathComponent("out"), exit: 6, "Permission denied")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: readOnly.path), [])
    }

    /// A full disk: a 128 KiB tmpfs (mounting needs root, as in CI's container; skipped otherwise) takes a small
    /// model's output but not yolo_tiny's 270 KB .bin: exit 6 naming the file, nothing left, and the folder a
    /// --force conversion was to replace byte for byte as it was.
    func testAFullDiskExits6LeavingTheOldOutput() throws {
        let mountPoint = CLI.temporaryFolder()
        let mount = try CLI.start(["-t", "tmpfs", "-o", "size=128k", "tmpfs", mountPoint.path],
                                  executable: URL(fileURLWithPath: "/bin/mount")).wait()
        guard mount.code == 0, !mount.signaled else {
            throw XCTSkip("cannot mount a small tmpfs (needs root and mount permission): \(mount.stderr)")
        }
        defer { _ = try? CLI.start([mountPoint.path], executable: URL(fileURLWithPath: "/bin/umount")).wait() }
        // Both models named m, so the small one's files are the ones --force may replace.
        let small = CLI.temporaryFolder().appendingPathComponent("m.onnx"), big = CLI.temporaryFolder().appendingPathComponent("m.onnx")
        try FileManager.default.copyItem(atPath: CLI.testdata.appendingPathComponent("channel_shuffle.onnx").path, toPath: small.path)
        try FileManager.default.copyItem(atPath: yolo, toPath: big.path)
        let out = mountPoint.appendingPathComponent("out")
        let first = try CLI.run([small.path, "-o", out.path, "-q"])
        XCTAssertEqual(first.code, 0, first.stderr)
        func files(_ folder: URL) throws -> [String: Data] {
            try Dictionary(uniqueKeysWithValues: FileManager.default.contentsOfDirectory(atPath: folder.path).map {
                ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
            })
        }
        let before = try files(out)
        XCTAssertEqual(before.keys.sorted(), ["m.bin", "m.mapping", "m.xml"])
        for (target, args) in [(out, ["--force"]), (mountPoint.appendingPathComponent("other"), [])] {
            let r = try CLI.run([big.path, "-o", target.path] + args)
            XCTAssertEqual(r.code, 6, r.stderr)
            XCTAssertEqual(r.stderr, "ovconvert: error: cannot write \(target.path)/m.bin: No space left on device; nothing was written "
                + "(an existing output folder is left as it was)\n")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mountPoint.path), ["out"])
            XCTAssertEqual(try files(out), before)
        }
    }
}
