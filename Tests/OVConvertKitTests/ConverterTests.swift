import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import OpenVINOIR
import OVIR
import Passes
@testable import OVConvertKit

final class ConverterTests: XCTestCase {
    /// The repository's testdata folder.
    static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata")

    private func temp() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-kit-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func convert(_ model: String, to folder: URL, force: Bool = false) throws -> ConversionReport {
        try Converter(ConversionOptions(modelPath: model, outputFolder: folder.path, force: force)).run()
    }

    /// The three files named after the model, and metadata.yaml, since the fixture is an Ultralytics export.
    func testYOLOFixtureConvertsToTheThreeFilesNamedAfterTheModel() throws {
        let out = temp().appendingPathComponent("yolo_tiny_openvino_model")
        let report = try convert(Self.testdata.appendingPathComponent("yolo_tiny.onnx").path, to: out)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(names, ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"])
        XCTAssertEqual(report.inputs.map(\.name), ["images"])
        XCTAssertEqual(report.outputs.map(\.name), ["output0"])
        let order = ["xml", "bin", "mapping", "yaml"]
        XCTAssertEqual(report.files.map(\.bytes), try names.sorted { a, b in
            order.firstIndex(of: (a as NSString).pathExtension)! < order.firstIndex(of: (b as NSString).pathExtension)!
        }.map { try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent($0).path)[.size] as! Int })
    }

    func testConvertingTwiceGivesByteIdenticalFiles() throws {
        let model = Self.testdata.appendingPathComponent("yolo_tiny.onnx").path
        let a = temp().appendingPathComponent("a"), b = temp().appendingPathComponent("b")
        _ = try convert(model, to: a)
        _ = try convert(model, to: b)
        for name in ["yolo_tiny.xml", "yolo_tiny.bin", "yolo_tiny.mapping"] {
            let x = try Data(contentsOf: a.appendingPathComponent(name)), y = try Data(contentsOf: b.appendingPathComponent(name))
            XCTAssertFalse(x.isEmpty, name)
            XCTAssertEqual(x, y, "\(name) differs between two conversions")
        }
    }

    func testWrittenModelReadsBackEqual() throws {
        let model = Self.testdata.appendingPathComponent("yolo_tiny.onnx").path
        let out = temp().appendingPathComponent("m")
        _ = try convert(model, to: out)
        let reread = try IRReader().read(xmlURL: out.appendingPathComponent("yolo_tiny.xml"))
        let options = ConversionOptions(modelPath: model)
        let imported = try Converter(options).translate()
        let original = imported.graph
        // What run adds for an Ultralytics export after translating: rt_info model_info.
        let detector = try DetectorExport(options: options, imported: imported)
        detector.recordModelInfo(original, detector.metadata(for: original, nms: nil), nms: nil)
        _ = try Pipeline.standard.run(on: original)
        XCTAssertNil(original.firstDifference(from: reread))
        try reread.verify()
    }

    func testExistingFolderNeedsForceAndForceReplacesOnlyOurOwnFiles() throws {
        let model = Self.testdata.appendingPathComponent("yolo_tiny.onnx").path
        let out = temp().appendingPathComponent("m")
        _ = try convert(model, to: out)
        XCTAssertThrowsError(try convert(model, to: out)) { error in
            XCTAssertEqual((error as? ConversionFailure)?.reason, .outputFolder)
            XCTAssertTrue("\(error)".contains("use --force"), "\(error)")
        }
        _ = try convert(model, to: out, force: true)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(),
                       ["metadata.yaml", "yolo_tiny.bin", "yolo_tiny.mapping", "yolo_tiny.xml"])
    }

    func testForceNeverDeletesFilesOvconvertDidNotWrite() throws {
        let dir = temp()
        let model = dir.appendingPathComponent("yolo_tiny.onnx")
        try FileManager.default.copyItem(at: Self.testdata.appendingPathComponent("yolo_tiny.onnx"), to: model)
        try Data("keep".utf8).write(to: dir.appendingPathComponent("mine.txt"))
        // -o pointing at the model's own folder, with --force: refused, everything kept.
        XCTAssertThrowsError(try convert(model.path, to: dir, force: true)) { error in
            XCTAssertEqual((error as? ConversionFailure)?.reason, .outputFolder)
            XCTAssertTrue("\(error)".contains("did not write"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["mine.txt", "yolo_tiny.onnx"])
        // -o pointing at a file: refused, the file kept.
        XCTAssertThrowsError(try convert(model.path, to: dir.appendingPathComponent("mine.txt"), force: true)) { error in
            XCTAssertTrue("\(error)".contains("is not a folder"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("mine.txt"), encoding: .utf8), "keep")
    }

    func testMissingParentFolderFailsBeforeConverting() throws {
        let model = Self.testdata.appendingPathComponent("yolo_tiny.onnx").path
        XCTAssertThrowsError(try convert(model, to: temp().appendingPathComponent("no/such/out"))) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
    }

    func testBadInputsGetAClearErrorAndNoOutputFolder() throws {
        let dir = temp()
        try Data().write(to: dir.appendingPathComponent("empty.onnx"))
        try Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }).write(to: dir.appendingPathComponent("noise.onnx"))
        let yolo = try Data(contentsOf: Self.testdata.appendingPathComponent("yolo_tiny.onnx"))
        try yolo.prefix(yolo.count / 2).write(to: dir.appendingPathComponent("truncated.onnx"))
        let cases: [(String, ConversionFailure.Reason, String)] = [
            ("missing.onnx", .badModelFile, "no such file"),
            ("empty.onnx", .badModelFile, "empty"),
            ("noise.onnx", .badModelFile, "not"),
            ("truncated.onnx", .badModelFile, "not a valid ONNX model"),
            (".", .badModelFile, "is a directory"),
        ]
        for (name, reason, phrase) in cases {
            let model = dir.appendingPathComponent(name).path
            let out = dir.appendingPathComponent("out-\(name)")
            XCTAssertThrowsError(try convert(model, to: out), name) { error in
                let f = error as? ConversionFailure
                XCTAssertEqual(f?.reason, reason, "\(name): \(error)")
                XCTAssertTrue(f?.message.contains(phrase) == true, "\(name): \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(name) left an output folder")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "temporary folders left behind")
    }
}

/// `--input`, `--batch`, `--imgsz` applied to the translated graph.
final class ConverterInputShapeTests: XCTestCase {
    private let dynamicYOLO = ConverterTests.testdata.appendingPathComponent("yolo_tiny_dynamic.onnx").path
    private let staticYOLO = ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path

    private func out() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-shapes-\(UUID().uuidString)").path
    }

    private func convert(_ model: String, input: [String] = [], batch: Int? = nil, imgsz: String? = nil) throws -> (ConversionReport, String) {
        let folder = out()
        let report = try Converter(ConversionOptions(modelPath: model, outputFolder: folder, input: input, batch: batch, imgsz: imgsz)).run()
        return (report, folder)
    }

    private func assertFails(_ model: String, input: [String] = [], batch: Int? = nil, imgsz: String? = nil,
                             _ reason: ConversionFailure.Reason, mentions phrases: [String], file: StaticString = #filePath, line: UInt = #line) {
        let folder = out()
        XCTAssertThrowsError(try Converter(ConversionOptions(modelPath: model, outputFolder: folder, input: input, batch: batch, imgsz: imgsz)).run(),
                             file: file, line: line) { error in
            let f = error as? ConversionFailure
            XCTAssertEqual(f?.reason, reason, "\(error)", file: file, line: line)
            for p in phrases { XCTAssertTrue(f?.message.contains(p) == true, "\(error)", file: file, line: line) }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "a failed conversion left \(folder)", file: file, line: line)
    }

    func testImageSizeAndBatchFixTheDynamicInputAndRecordTheChoices() throws {
        let (report, folder) = try convert(dynamicYOLO, batch: 1, imgsz: "128")
        XCTAssertEqual(report.inputs.map(\.type.shape), [.fixed([1, 3, 128, 128])])
        // Re-inference reaches the output through every path (x * sigmoid(x) reads two changed values).
        XCTAssertEqual(report.outputs.map(\.type.shape), [.fixed([1, 84, 336])])
        let graph = try IRReader().read(xmlURL: URL(fileURLWithPath: folder).appendingPathComponent("yolo_tiny_dynamic.xml"))
        try graph.verify()
        XCTAssertEqual(graph.parameters.map(\.outputTypes[0].shape), [.fixed([1, 3, 128, 128])])
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "batch"], .value("1"))
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "imgsz"], .value("128"))
        XCTAssertNil(graph.rtInfo["conversion_parameters", "input"])
    }

    func testDynamicDimsStayDynamicUnlessGiven() throws {
        let (report, _) = try convert(dynamicYOLO, imgsz: "128")
        XCTAssertEqual(report.inputs[0].type.shape, .ranked([.dynamic, .fixed(3), .fixed(128), .fixed(128)]))
        XCTAssertEqual(report.outputs[0].type.shape, .ranked([.dynamic, .fixed(84), .fixed(336)]))
        let (batched, _) = try convert(dynamicYOLO, batch: 2)
        XCTAssertEqual(batched.inputs[0].type.shape, .ranked([.fixed(2), .fixed(3), .dynamic, .dynamic]))
    }

    /// With H and W given, the traced fixture's shape subgraphs fold away: the view targets' batch pieces become
    /// 0 (ShapeSubgraphSimplification), the rest and the anchors become Consts. --verify compares the graph
    /// as translated, before the passes, with the IR read back.
    func testImageSizeLetsTheShapeSubgraphsFoldAndVerifyChecksThePasses() throws {
        let folder = out()
        let report = try Converter(ConversionOptions(modelPath: dynamicYOLO, outputFolder: folder, imgsz: "320",
                                                     verify: RoundTripVerifier())).run()
        XCTAssertEqual(report.passes.map(\.name), Pipeline.standard.passes.map(\.name))
        XCTAssertEqual(report.verification?.passed, true)
        let types = try Self.layerTypes(URL(fileURLWithPath: folder).appendingPathComponent("yolo_tiny_dynamic.xml"))
        XCTAssertFalse(types.contains("ShapeOf"), "\(types.sorted())")
        XCTAssertFalse(types.contains("Range") || types.contains("Broadcast"), "the anchors are constants at 320×320")
        // Without the size, the batch views lose their ShapeOf but the anchors still need theirs.
        let (_, dynamicFolder) = try convert(dynamicYOLO)
        let dynamicTypes = try Self.layerTypes(URL(fileURLWithPath: dynamicFolder).appendingPathComponent("yolo_tiny_dynamic.xml"))
        XCTAssertTrue(dynamicTypes.contains("ShapeOf") && dynamicTypes.contains("Range"))
    }

    /// At 640×640 the stride-8 grid is 80×80: its 25600-byte anchor and stride expansions exceed the
    /// folding budget, stay computed, and `-v` lists them.
    func testDeclinedFoldsAreListedInTheVerboseSummary() throws {
        let (report, _) = try convert(dynamicYOLO, imgsz: "640")
        let verbose = SummaryFormatter(verbose: true).format(report)
        XCTAssertTrue(verbose.contains("  pass    ConstantFolding: changed the graph"), verbose)
        XCTAssertTrue(verbose.contains("  pass    ConstantFolding skipped Broadcast '/model.22/ConstantOfShape': its 25600 bytes"), verbose)
        XCTAssertFalse(SummaryFormatter().format(report).contains("pass "))
    }

    /// The `type` of every `<layer>` in an IR XML file, read with Foundation's parser.
    static func layerTypes(_ xml: URL) throws -> Set<String> {
        final class Collector: NSObject, XMLParserDelegate {
            var types = Set<String>()
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "layer", let type = attributes["type"] { types.insert(type) }
            }
        }
        let parser = XMLParser(data: try Data(contentsOf: xml)), collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(xml.lastPathComponent) does not parse")
        return collector.types
    }

    func testNamedAndUnnamedInputEntries() throws {
        let (named, folder) = try convert(dynamicYOLO, input: ["images[1..8,3,128,128]"])
        XCTAssertEqual(named.inputs[0].type.shape, .ranked([Dim(lower: 1, upper: 8), .fixed(3), .fixed(128), .fixed(128)]))
        let graph = try IRReader().read(xmlURL: URL(fileURLWithPath: folder).appendingPathComponent("yolo_tiny_dynamic.xml"))
        XCTAssertEqual(graph.rtInfo["conversion_parameters", "input"], .value("images[1..8,3,128,128]"))
        let (unnamed, _) = try convert(dynamicYOLO, input: ["[1,3,128,128]"])
        XCTAssertEqual(unnamed.inputs[0].type.shape, .fixed([1, 3, 128, 128]))
        // Giving the static model its own shape is allowed and changes nothing.
        let (same, _) = try convert(staticYOLO, input: ["images[1,3,128,128]"])
        XCTAssertEqual(same.outputs[0].type.shape, .fixed([1, 84, 336]))
    }

    /// The fixture takes multiples of 32: at 100×100 the stride-32 map is 4×4 (100 → 50 → 25 → 13 → 7 → 4),
    /// upsampled to 8×8, and the neck's Concat with the 7×7 stride-16 map fails.
    func testAShapeThatBreaksInferenceNamesTheInputAndTheNode() {
        assertFails(dynamicYOLO, imgsz: "100", .inputShape,
                    mentions: ["input 'images'", "[?,3,100,100]", "node '/model.11/Concat'", "dim 7 at axis 2, expected 8"])
        assertFails(dynamicYOLO, input: ["images[1,3,100,100]"], .inputShape, mentions: ["node '/model.11/Concat'"])
    }

    func testShapesTheModelContradicts() {
        assertFails(dynamicYOLO, input: ["image[1,3,128,128]"], .inputShape, mentions: ["no input 'image'", "images [?,3,?,?]"])
        assertFails(dynamicYOLO, input: ["images[1,3,128]"], .inputShape, mentions: ["input 'images'", "rank 4, not 3"])
        assertFails(dynamicYOLO, input: ["images[1,1,128,128]"], .inputShape, mentions: ["input 'images'", "fixes dim 1 at 3"])
        assertFails(dynamicYOLO, input: ["[1,3,128,128],[1]"], .inputShape, mentions: ["2 unnamed entries", "1 input"])
        // Static dims are never changed after translation (the frontend may have folded them into constants).
        assertFails(staticYOLO, batch: 2, .inputShape, mentions: ["--batch 2", "input 'images'", "fixes dim 0 at 1"])
        assertFails(staticYOLO, imgsz: "64", .inputShape, mentions: ["--imgsz 64", "fixes dim 2 at 128"])
    }

    func testMalformedOptionsAreUsageErrors() {
        assertFails(dynamicYOLO, input: ["images[1,3,x,128]"], .badOptions, mentions: ["entry 'images[1,3,x,128]'", "dim 2 'x'"])
        assertFails(dynamicYOLO, imgsz: "64x64", .badOptions, mentions: ["--imgsz '64x64'"])
        assertFails(dynamicYOLO, batch: 0, .badOptions, mentions: ["--batch 0"])
    }
}

final class ConverterLargeWeightTests: XCTestCase {
    /// A 2 MiB initializer takes the kernel-copy path of the .bin writer; its bytes must arrive intact.
    func testLargeWeightsArriveByteForByte() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-large-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let count = 512 * 1024
        let values = (0..<count).map { Float($0 % 9973) * 0.5 - 7 }
        let model = dir.appendingPathComponent("big.onnx")
        try Data(TinyONNX.identityOfInitializer(name: "w", values: values)).write(to: model)
        let out = dir.appendingPathComponent("out")
        _ = try Converter(ConversionOptions(modelPath: model.path, outputFolder: out.path)).run()
        let bin = try Data(contentsOf: out.appendingPathComponent("big.bin"))
        XCTAssertEqual(bin.count, count * 4)
        let expected = values.withUnsafeBytes { Data($0) }
        XCTAssertEqual(bin, expected)
    }
}

/// Writes a minimal ONNX model by hand (protobuf wire format): one f32 initializer `name` as raw_data,
/// returned as the graph output. The Kit's tests do not see the frontend's generated types.
enum TinyONNX {
    static func identityOfInitializer(name: String, values: [Float]) -> [UInt8] {
        let raw = values.withUnsafeBytes { Array($0) }
        let tensor = field(1, varint: UInt64(values.count)) + field(2, varint: 1) + field(8, bytes: Array(name.utf8)) + field(9, bytes: raw)
        let tensorType = field(1, varint: 1) + field(2, bytes: field(1, bytes: field(1, varint: UInt64(values.count))))
        let valueInfo = field(1, bytes: Array(name.utf8)) + field(2, bytes: field(1, bytes: tensorType))
        let graph = field(2, bytes: Array("g".utf8)) + field(5, bytes: tensor) + field(12, bytes: valueInfo)
        let opset = field(2, varint: 17)
        return field(1, varint: 8) + field(7, bytes: graph) + field(8, bytes: opset)
    }

    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v, out: [UInt8] = []
        repeat {
            let b = UInt8(v & 0x7f)
            v >>= 7
            out.append(v == 0 ? b : b | 0x80)
        } while v != 0
        return out
    }

    static func field(_ n: UInt64, varint v: UInt64) -> [UInt8] { varint(n << 3) + varint(v) }
    static func field(_ n: UInt64, bytes b: [UInt8]) -> [UInt8] { varint(n << 3 | 2) + varint(UInt64(b.count)) + b }
}

final class ConverterHalfTests: XCTestCase {
    private func out() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-half-\(UUID().uuidString)").path
    }

    private func convert(_ name: String, half: Bool, verify: RoundTripVerifier? = nil) throws -> (ConversionReport, Graph) {
        var options = ConversionOptions(modelPath: ConverterTests.testdata.appendingPathComponent("\(name).onnx").path,
                                        outputFolder: out(), verify: verify)
        options.half = half
        let report = try Converter(options).run()
        let xml = URL(fileURLWithPath: report.outputFolder).appendingPathComponent("\(name).xml")
        return (report, try IRReader().read(xmlURL: xml))
    }

    /// half_guards.onnx: the 1e-12 epsilon and the -1e6 mask bias stay f32 and are listed; the 64×64 weight
    /// becomes an f16 Const read through a decompression Convert; the i64 ReduceMean axes are untouched. The
    /// Reshape to [1, 64] of a [1, 64] value is removed by ShapeSubgraphSimplification, so the fc bias and the
    /// mask bias are one Add apart and ConstantChainMerging adds them into one Const, `mask/Const`.
    func testHalfKeepsTheEpsilonAndTheLargeConstantInF32AndListsThem() throws {
        let (report, ir) = try convert("half_guards", half: true, verify: .half)
        XCTAssertEqual(report.verification?.passed, true)
        XCTAssertEqual(report.half?.compressed, 1)
        XCTAssertEqual(report.half?.keptInF32, ["'eps' []: 1e-12 flushes to 0 in f16",
                                                "'mask/Const' [64]: -1000000.0 is beyond f16's ±65504"])
        let summary = SummaryFormatter().format(report)
        XCTAssertTrue(summary.contains("  half    1 weight stored as f16, 2 kept in f32:\n  half    kept 'eps' []: 1e-12 flushes to 0 in f16\n"), summary)

        func constant(_ name: String) -> Tensor? { ir.nodes.first { $0.name == name }.flatMap { ($0.op as? Constant)?.tensor } }
        XCTAssertEqual(constant("eps")?.elementType, .f32)
        XCTAssertEqual(constant("mask/Const")?.elementType, .f32)
        XCTAssertEqual(constant("fc.weight_compressed")?.elementType, .f16)
        let decompress = try XCTUnwrap(ir.nodes.first { $0.name == "fc.weight" })
        XCTAssertEqual((decompress.op as? Convert)?.destinationType, .f32)
        XCTAssertEqual(decompress.rtInfo, [RTAttribute(name: "decompression")])
        XCTAssertEqual(decompress.inputs[0].node.name, "fc.weight_compressed")
        XCTAssertEqual(constant("mean_square/axes")?.elementType, .i64)
        XCTAssertNil(constant("shape"))
        XCTAssertEqual(ir.rtInfo["conversion_parameters", "half"], .value("True"))

        let (plain, fp32) = try convert("half_guards", half: false)
        XCTAssertNil(plain.half)
        XCTAssertFalse(fp32.nodes.contains { $0.op is Convert }, "without --half nothing is compressed")
        XCTAssertNil(fp32.rtInfo["conversion_parameters", "half"])
    }

    /// On the weight-dominated fixtures the .bin shrinks to at most 52% of the FP32 one, and --verify (at its
    /// --half tolerance) still passes.
    func testHalfHalvesTheBinOfWeightDominatedModels() throws {
        for name in ["yolo_tiny", "classifier_opset9"] {
            let (half, _) = try convert(name, half: true, verify: .half)
            let (full, _) = try convert(name, half: false)
            XCTAssertEqual(half.verification?.passed, true, name)
            let ratio = Double(half.files[1].bytes) / Double(full.files[1].bytes)
            XCTAssertLessThanOrEqual(ratio, 0.52, "\(name): \(half.files[1].bytes) / \(full.files[1].bytes) bytes")
        }
    }
}
