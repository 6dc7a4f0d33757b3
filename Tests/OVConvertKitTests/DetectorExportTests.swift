import Foundation
import XCTest
import OpenVINOIR
import OVIR
import Passes
@testable import OVConvertKit

/// `--nms`, `--names` and the Ultralytics-loadable folder, through `Converter` on the fixtures.
///
/// testdata/yolo_tiny.onnx is an Ultralytics-style export: input images [1,3,128,128], output output0 [1,84,336]
/// (4 box channels, 80 classes, 336 = 16² + 8² + 4² boxes), metadata_props with task 'detect', imgsz [128, 128],
/// the 80 COCO names and args {'batch': 1, 'half': False, 'dynamic': False, 'simplify': True, 'opset': 17, 'nms': False}.
/// testdata/classifier_opset9.onnx has no metadata and one output prob [1,10].
final class DetectorExportTests: XCTestCase {
    private let yolo = ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path
    private let classifier = ConverterTests.testdata.appendingPathComponent("classifier_opset9.onnx").path
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-detector-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func options(_ model: String, _ out: String, nms: NMSOptions? = nil, names: String? = nil, half: Bool = false) -> ConversionOptions {
        var o = ConversionOptions(modelPath: model, outputFolder: folder.appendingPathComponent(out).path)
        o.nms = nms
        o.namesFile = names
        o.half = half
        return o
    }

    private func convert(_ model: String, _ out: String, nms: NMSOptions? = nil, names: String? = nil, half: Bool = false) throws -> ConversionReport {
        try Converter(options(model, out, nms: nms, names: names, half: half)).run()
    }

    private func files(_ out: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(out).path).sorted()
    }

    private func text(_ out: String, _ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(out).appendingPathComponent(name), encoding: .utf8)
    }

    private func ir(_ out: String, _ stem: String) throws -> Graph {
        try IRReader().read(xmlURL: folder.appendingPathComponent(out).appendingPathComponent("\(stem).xml"))
    }

    /// Asserts that converting fails for `reason` with a message containing `phrases`, and leaves no folder.
    private func assertRefused(_ options: ConversionOptions, _ reason: ConversionFailure.Reason, _ phrases: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Converter(options).run(), file: file, line: line) { error in
            let f = error as? ConversionFailure
            XCTAssertEqual(f?.reason, reason, "\(error)", file: file, line: line)
            for p in phrases { XCTAssertTrue(f?.message.contains(p) == true, "'\(p)' missing from: \(error)", file: file, line: line) }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: options.resolvedOutputFolder), "a refused conversion left its folder",
                       file: file, line: line)
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }) ?? []
        XCTAssertEqual(leftovers, [], "temporary folders left behind", file: file, line: line)
    }

    /// The first and last COCO names, as the fixture's metadata lists them.
    private let firstNames = "  0: 'person'\n  1: 'bicycle'\n  2: 'car'\n"
    private let labelsStart = "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign"

    // MARK: --nms on the ONNX fixture

    func testNMSOnTheYOLOFixture() throws {
        let report = try convert(yolo, "nms", nms: NMSOptions())
        XCTAssertEqual(try files("nms"), ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"])
        XCTAssertTrue(report.wroteMetadata)
        XCTAssertEqual(report.files.map { ($0.path as NSString).lastPathComponent },
                       ["yolo_tiny.xml", "yolo_tiny.bin", "yolo_tiny.mapping", "metadata.yaml"])
        XCTAssertEqual(report.outputs.map(\.name), ["output0"])
        XCTAssertEqual(report.outputs[0].type, TensorType(.f32, .fixed([1, 300, 6])))
        let nms = try XCTUnwrap(report.nms)
        XCTAssertEqual(nms.output, "output0")
        XCTAssertEqual(nms.before, TensorType(.f32, .fixed([1, 84, 336])))
        XCTAssertEqual(nms.after, TensorType(.f32, .fixed([1, 300, 6])))
        XCTAssertEqual(nms.layout, "yolov8")
        XCTAssertEqual(nms.classes, 80, "from the 80 names")
        XCTAssertEqual(nms.extra, 0)

        // The XML: MulticlassNms inside, the output [1,300,6], model_info as Ultralytics' OpenVINO export writes it.
        let types = try ConverterInputShapeTests.layerTypes(folder.appendingPathComponent("nms/yolo_tiny.xml"))
        XCTAssertTrue(types.contains("MulticlassNms"), "\(types.sorted())")
        XCTAssertTrue(types.contains("ScatterNDUpdate") && types.contains("TopK"), "\(types.sorted())")
        let graph = try ir("nms", "yolo_tiny")
        try graph.verify()
        XCTAssertEqual(graph.results.map(\.name), ["output0"])
        XCTAssertEqual(graph.results[0].inputs[0].type, TensorType(.f32, .fixed([1, 300, 6])))
        XCTAssertEqual(graph.results[0].inputs[0].names, ["output0"])
        guard case .value(let labels)? = graph.rtInfo["model_info", "labels"] else { return XCTFail("no model_info labels") }
        XCTAssertTrue(labels.hasPrefix(labelsStart), labels)
        XCTAssertTrue(labels.hasSuffix(" hair_drier toothbrush"), labels)
        XCTAssertEqual(labels.split(separator: " ").count, 80)
        XCTAssertEqual(graph.rtInfo["model_info", "model_type"], .value("YOLO"))
        XCTAssertEqual(graph.rtInfo["model_info", "iou_threshold"], .value("0.7"))
        XCTAssertEqual(graph.rtInfo["model_info", "confidence_threshold"], .value("0.25"))
        XCTAssertEqual(graph.rtInfo["model_info", "resize_type"], .value("fit_to_window_letterbox"))
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "nms"], .value("True"))
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "max_det"], .value("300"))

        // metadata.yaml: the export's entries, this conversion's args, end2end true.
        let yaml = try text("nms", "metadata.yaml")
        XCTAssertTrue(yaml.hasPrefix("description: 'Ultralytics YOLOv8-tiny-fixture model (random weights) for ovconvert tests'\n"
            + "author: 'Ultralytics'\n"), yaml)
        XCTAssertTrue(yaml.contains("\ntask: 'detect'\nbatch: 1\nimgsz:\n- 128\n- 128\nnames:\n" + firstNames), yaml)
        // the args the export had, updated in place (half, dynamic, nms), int8 added; then channels and end2end
        XCTAssertTrue(yaml.hasSuffix("  79: 'toothbrush'\nargs:\n  batch: 1\n  half: false\n  dynamic: false\n  simplify: true\n"
            + "  opset: 17\n  nms: true\n  int8: false\nchannels: 3\nend2end: true\n"), yaml)
    }

    /// Options reach the IR: conf, iou, max_det, agnostic; with a dynamic batch and size the output keeps them dynamic.
    func testNMSOptionsAndDynamicShapes() throws {
        var o = NMSOptions()
        o.confidence = 0.4
        o.iou = 0.5
        o.maxDetections = 20
        o.agnostic = true
        let dynamic = ConverterTests.testdata.appendingPathComponent("yolo_tiny_dynamic.onnx").path
        let report = try convert(dynamic, "dyn", nms: o)
        XCTAssertEqual(report.outputs[0].type, TensorType(.f32, .ranked([.dynamic, .fixed(20), .fixed(6)])))
        let graph = try ir("dyn", "yolo_tiny_dynamic")
        let op = try XCTUnwrap(graph.nodes.compactMap { $0.op as? MulticlassNms }.first)
        XCTAssertEqual(op.keepTopK, 20)
        XCTAssertEqual(op.iouThreshold, 0.5, accuracy: 1e-6)
        XCTAssertEqual(op.scoreThreshold, 0.4, accuracy: 1e-6)
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "agnostic"], .value("True"))
        XCTAssertEqual(graph.rtInfo["model_info", "confidence_threshold"], .value("0.4"))
        // agnostic: MulticlassNms sees one class (the best scores [B, 1, N])
        XCTAssertFalse(graph.nodes.contains { $0.name.hasSuffix("/nms/is_best_class") })
        let yaml = try text("dyn", "metadata.yaml")
        // the batch and size are dynamic: batch and imgsz from the export's metadata, dynamic true
        XCTAssertTrue(yaml.contains("\nbatch: 1\nimgsz:\n- 128\n- 128\n"), yaml)
        XCTAssertTrue(yaml.contains("\n  dynamic: true\n"), yaml)
    }

    /// The YOLOv5-layout and segment fixtures: [?, N, 85] and [?, 116, N] with 80 names (32 mask coefficients ride along).
    func testYOLOv5AndSegmentFixtures() throws {
        let v5 = try convert(ConverterTests.testdata.appendingPathComponent("yolo_tiny_v5.onnx").path, "v5", nms: NMSOptions())
        XCTAssertEqual(v5.nms?.layout, "yolov5")
        XCTAssertEqual(v5.nms?.classes, 80)
        XCTAssertEqual(v5.outputs[0].type, TensorType(.f32, .ranked([.dynamic, .fixed(300), .fixed(6)])))
        let seg = try convert(ConverterTests.testdata.appendingPathComponent("yolo_tiny_seg.onnx").path, "seg", nms: NMSOptions())
        XCTAssertEqual(seg.nms?.layout, "yolov8")
        XCTAssertEqual(seg.nms?.classes, 80)
        XCTAssertEqual(seg.nms?.extra, 32)
        XCTAssertEqual(seg.outputs[0].type, TensorType(.f32, .ranked([.dynamic, .fixed(300), .fixed(38)])))
        XCTAssertTrue(try text("seg", "metadata.yaml").contains("\ntask: 'segment'\n"))
    }

    // MARK: Refusals

    func testNMSOnTheClassifierIsRefusedAndWritesNothing() {
        assertRefused(options(classifier, "cls", nms: NMSOptions()), .nmsNotApplicable,
                      ["\(classifier): --nms: no output is a YOLO-style detection head", "'prob' f32[1,10]: not 3-D"])
    }

    /// Options `problem` rejects fail before any work.
    func testBadNMSOptionsAreRefusedBeforeAnyWork() {
        var o = NMSOptions()
        o.iou = 0
        assertRefused(options(yolo, "bad", nms: o), .badOptions, ["--nms: --iou must be in (0, 1], got 0.0"])
    }

    // MARK: Re-processing an IR

    /// An IR written without --nms takes --nms (its metadata from the metadata.yaml beside it); the result,
    /// re-processed with --nms again, is refused: its metadata.yaml says end2end, and without that file its graph
    /// still shows that it already selects its boxes.
    func testReprocessingAnIRWithNMSAndRefusingItTwice() throws {
        _ = try convert(yolo, "plain")
        let plainXML = folder.appendingPathComponent("plain/yolo_tiny.xml").path
        let report = try convert(plainXML, "again", nms: NMSOptions())
        XCTAssertEqual(report.outputs[0].type, TensorType(.f32, .fixed([1, 300, 6])))
        XCTAssertEqual(report.nms?.classes, 80)
        XCTAssertEqual(try files("again"), ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"])
        let yaml = try text("again", "metadata.yaml")
        XCTAssertTrue(yaml.contains("\nnames:\n" + firstNames), yaml)
        XCTAssertTrue(yaml.hasSuffix("\nend2end: true\n"), yaml)
        let graph = try ir("again", "yolo_tiny")
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "framework"], .value("openvino_ir"))
        XCTAssertEqual(graph.nodes.filter { $0.op is MulticlassNms }.count, 1)

        let twice = folder.appendingPathComponent("again/yolo_tiny.xml").path
        assertRefused(options(twice, "thrice", nms: NMSOptions()), .nmsNotApplicable,
                      ["\(twice): --nms: the model's metadata says its head already ends in final detections"])
        // without its metadata.yaml the graph itself tells: it has the MulticlassNms node
        let bare = folder.appendingPathComponent("bare")
        try FileManager.default.createDirectory(at: bare, withIntermediateDirectories: true)
        for name in ["yolo_tiny.xml", "yolo_tiny.bin"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent("again").appendingPathComponent(name), to: bare.appendingPathComponent(name))
        }
        assertRefused(options(bare.appendingPathComponent("yolo_tiny.xml").path, "bare_out", nms: NMSOptions()), .nmsNotApplicable,
                      ["already selects its boxes: it has MulticlassNms node 'output0/nms/multiclass_nms'"])
    }

    /// A task without axis-aligned boxes per class is refused by the metadata, before the head is looked at:
    /// the plain IR's metadata.yaml edited to say task 'obb' (rotated boxes) or 'classify'.
    func testTasksWithoutBoxesPerClassAreRefused() throws {
        _ = try convert(yolo, "plain")
        let yamlURL = folder.appendingPathComponent("plain/metadata.yaml")
        let original = try String(contentsOf: yamlURL, encoding: .utf8)
        XCTAssertTrue(original.contains("\ntask: 'detect'\n"), original)
        let xml = folder.appendingPathComponent("plain/yolo_tiny.xml").path
        for (task, phrase) in [("obb", "the model's task is 'obb'; NMS applies to detect, segment and pose models (rotated boxes need rotated IoU)"),
                               ("classify", "the model's task is 'classify'; NMS applies to detect, segment and pose models")] {
            try original.replacingOccurrences(of: "\ntask: 'detect'\n", with: "\ntask: '\(task)'\n").write(to: yamlURL, atomically: true, encoding: .utf8)
            assertRefused(options(xml, "out_\(task)", nms: NMSOptions()), .nmsNotApplicable, ["\(xml): --nms: " + phrase])
        }
    }

    /// Re-processing the --nms IR without --nms (here --half) keeps what its metadata.yaml must say: the model
    /// ends in final detections (end2end, args nms), so Ultralytics' loader does not run NMS on them again. So
    /// does the IR alone, without its metadata.yaml (its rt_info still records the ONNX export's 'nms': False).
    func testReprocessingAnNMSIRKeepsItEndToEnd() throws {
        _ = try convert(yolo, "nms", nms: NMSOptions())
        let bare = folder.appendingPathComponent("bare")
        try FileManager.default.createDirectory(at: bare, withIntermediateDirectories: true)
        for name in ["yolo_tiny.xml", "yolo_tiny.bin"] {
            try FileManager.default.copyItem(at: folder.appendingPathComponent("nms").appendingPathComponent(name), to: bare.appendingPathComponent(name))
        }
        for (source, out) in [("nms/yolo_tiny.xml", "half"), ("bare/yolo_tiny.xml", "bare_half")] {
            let report = try convert(folder.appendingPathComponent(source).path, out, half: true)
            XCTAssertEqual(report.outputs[0].type, TensorType(.f32, .fixed([1, 300, 6])))
            let yaml = try text(out, "metadata.yaml")
            XCTAssertTrue(yaml.contains("\n  half: true\n"), "\(source): \(yaml)")
            XCTAssertTrue(yaml.contains("\n  nms: true\n"), "\(source): \(yaml)")
            XCTAssertTrue(yaml.hasSuffix("\nend2end: true\n"), "\(source): \(yaml)")
            XCTAssertTrue(yaml.contains("\nnames:\n" + firstNames), "\(source): \(yaml)")
        }
    }

    // MARK: metadata.yaml and --names

    /// The fixture is an Ultralytics export: metadata.yaml is written without --nms too, saying nms and end2end false.
    /// The classifier has no metadata: nothing beside the three files.
    func testMetadataIsWrittenForUltralyticsExportsOnly() throws {
        let report = try convert(yolo, "plain")
        XCTAssertTrue(report.wroteMetadata)
        XCTAssertNil(report.nms)
        XCTAssertEqual(report.outputs[0].type, TensorType(.f32, .fixed([1, 84, 336])))
        let yaml = try text("plain", "metadata.yaml")
        XCTAssertTrue(yaml.contains("\ntask: 'detect'\nbatch: 1\nimgsz:\n- 128\n- 128\nnames:\n" + firstNames), yaml)
        XCTAssertTrue(yaml.hasSuffix("\n  nms: false\n  int8: false\nchannels: 3\nend2end: false\n"), yaml)
        // model_info without thresholds
        let graph = try ir("plain", "yolo_tiny")
        XCTAssertNotNil(graph.rtInfo["model_info", "labels"])
        XCTAssertNil(graph.rtInfo["model_info", "iou_threshold"])

        let cls = try convert(classifier, "cls")
        XCTAssertFalse(cls.wroteMetadata)
        XCTAssertEqual(try files("cls"), ["classifier_opset9.bin", "classifier_opset9.mapping", "classifier_opset9.xml"])
        XCTAssertNil(try ir("cls", "classifier_opset9").rtInfo["model_info"])
    }

    /// --names replaces the export's names in metadata.yaml and the labels; with --nms it also gives the class
    /// count: two names leave 84 - 4 - 2 = 78 channels to ride along, rows of 6 + 78 = 84.
    func testNamesFileOverridesTheNames() throws {
        let plain = folder.appendingPathComponent("names.txt")
        try Data((0..<80).map { "thing \($0)\n" }.joined().utf8).write(to: plain)
        _ = try convert(yolo, "named", names: plain.path)
        let yaml = try text("named", "metadata.yaml")
        XCTAssertTrue(yaml.contains("\nnames:\n  0: 'thing 0'\n  1: 'thing 1'\n"), yaml)
        XCTAssertTrue(yaml.contains("\n  79: 'thing 79'\nargs:\n"), yaml)
        XCTAssertFalse(yaml.contains("person"), yaml)
        guard case .value(let labels)? = try ir("named", "yolo_tiny").rtInfo["model_info", "labels"] else { return XCTFail("no labels") }
        XCTAssertTrue(labels.hasPrefix("thing_0 thing_1 thing_2 "), labels)
        XCTAssertEqual(try ir("named", "yolo_tiny").rtInfo["conversion_parameters", "names"], .value("names.txt"))

        // Re-processing that IR keeps its names: the metadata.yaml beside it, not the export's metadata its rt_info
        // records from the ONNX model (still the COCO names).
        let reprocessed = try convert(folder.appendingPathComponent("named/yolo_tiny.xml").path, "named_nms", nms: NMSOptions())
        XCTAssertEqual(reprocessed.nms?.classes, 80)
        let again = try text("named_nms", "metadata.yaml")
        XCTAssertTrue(again.contains("\nnames:\n  0: 'thing 0'\n  1: 'thing 1'\n"), again)
        XCTAssertFalse(again.contains("person"), again)

        let two = folder.appendingPathComponent("two.yaml")
        try Data("- cat\n- dog\n".utf8).write(to: two)
        let report = try convert(yolo, "two", nms: NMSOptions(), names: two.path)
        XCTAssertEqual(report.nms?.classes, 2)
        XCTAssertEqual(report.nms?.extra, 78)
        XCTAssertEqual(report.outputs[0].type, TensorType(.f32, .fixed([1, 300, 84])))
        XCTAssertTrue(try text("two", "metadata.yaml").contains("\nnames:\n  0: 'cat'\n  1: 'dog'\nargs:\n"))
    }

    /// --names on a model without metadata writes metadata.yaml from scratch, in Ultralytics' key order.
    func testNamesFileOnAModelWithoutMetadata() throws {
        let names = folder.appendingPathComponent("classes.yaml")
        try Data("names:\n  0: a\n  1: b\n".utf8).write(to: names)
        let report = try convert(classifier, "cls", names: names.path)
        XCTAssertTrue(report.wroteMetadata)
        let yaml = try text("cls", "metadata.yaml")
        let keys = yaml.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.hasPrefix("-") }.map { String($0.prefix { $0 != ":" }) }
        XCTAssertEqual(keys, ["description", "author", "version", "stride", "task", "batch", "imgsz", "names", "args", "channels", "end2end"])
        XCTAssertTrue(yaml.hasPrefix("description: 'classifier_opset9 converted by ovconvert'\nauthor: 'ovconvert'\n"), yaml)
        XCTAssertTrue(yaml.contains("\nimgsz:\n- 32\n- 32\nnames:\n  0: 'a'\n  1: 'b'\n"), yaml)
    }

    /// A bad --names file fails before anything is written.
    func testBadNamesFileIsRefused() throws {
        let bad = folder.appendingPathComponent("bad.yaml")
        try Data("0: a\n2: c\n".utf8).write(to: bad)
        assertRefused(options(yolo, "bad", names: bad.path), .badOptions, ["--names \(bad.path): class indices must be 0 to 1, each once"])
    }
}
