import Foundation
import XCTest
import OVIR
import Passes
import Calibration
@testable import OVConvertKit

/// `ConversionOptions.int8` through `Converter`: calibration on .npz samples, then QuantizeINT8 after the passes.
final class ConverterINT8Tests: XCTestCase {
    private let yolo = ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path
    private let classifier = ConverterTests.testdata.appendingPathComponent("classifier_opset9.onnx").path

    private func temp() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-int8-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Two samples in `folder/data`: the fixture's photograph-like images and an all-0.5 image.
    private func samples(in dir: URL) throws -> [URL] {
        let folder = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let first = folder.appendingPathComponent("a.npz"), second = folder.appendingPathComponent("b.npz")
        try FileManager.default.copyItem(at: ConverterTests.testdata.appendingPathComponent("npz/yolo_tiny_images.npz"), to: first)
        let gray = Tensor.f32(Array(repeating: 0.5, count: 3 * 128 * 128), dims: [1, 3, 128, 128])
        try NPZArchive(arrays: [(name: "images", tensor: gray)]).write(to: second.path)
        return [first, second]
    }

    func testYOLOFixtureIsQuantizedWithTheHeadKeptFloat() throws {
        let dir = temp()
        let done = ProgressLog()
        var options = ConversionOptions(modelPath: yolo, outputFolder: dir.appendingPathComponent("out").path)
        _ = try samples(in: dir)
        options.int8 = INT8Options(data: .path(dir.appendingPathComponent("data").path, CalibrationOptions()), progress: { finished, total in done.record("\(finished)/\(total)") })
        let report = try Converter(options).run()
        let pass = try XCTUnwrap(report.passes.last)
        XCTAssertEqual(pass.name, "QuantizeINT8")
        XCTAssertTrue(pass.result.changed)
        XCTAssertTrue(pass.result.skipped.contains("Convolution '/model.22/dfl/conv/Conv': detection post-processing"), "\(pass.result.skipped)")
        let counts = Dictionary(uniqueKeysWithValues: report.opCounts.map { ($0.op, $0.count) })
        // Every Convolution but DFL's reads an i8 weight through Convert -> Multiply.
        XCTAssertEqual(counts["Convolution"], 60)
        XCTAssertEqual(counts["Convert"], 59)
        XCTAssertGreaterThan(counts["FakeQuantize"] ?? 0, 0)
        XCTAssertEqual(done.values.sorted(), ["1/2", "2/2"])
        let xml = try String(contentsOfFile: dir.appendingPathComponent("out/yolo_tiny.xml").path, encoding: .utf8)
        for entry in ["<int8 value=\"True\"/>", "<int8_samples value=\"2\"/>", "<int8_ranges value=\"minmax\"/>"] {
            XCTAssertTrue(xml.contains(entry), "\(entry) missing from the IR's rt_info")
        }
    }

    func testASampleThatDoesNotFitTheInputIsNamed() throws {
        let dir = temp()
        _ = try samples(in: dir)
        let wrong = dir.appendingPathComponent("data/c.npz")
        try NPZArchive(arrays: [(name: "pixels", tensor: .f32([0], dims: [1]))]).write(to: wrong.path)
        var options = ConversionOptions(modelPath: yolo, outputFolder: dir.appendingPathComponent("out").path)
        options.int8 = INT8Options(data: .path(dir.appendingPathComponent("data").path, CalibrationOptions()))
        XCTAssertThrowsError(try Converter(options).run()) { error in
            let failure = error as? ConversionFailure
            XCTAssertEqual(failure?.reason, .calibrationData)
            XCTAssertTrue("\(error)".contains("sample 3 of 3: \(wrong.path): has no array for input 'images'"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    func testNoSamplesIsAnError() throws {
        var options = ConversionOptions(modelPath: yolo, outputFolder: temp().appendingPathComponent("out").path)
        options.int8 = INT8Options(data: .samples(InMemorySamples([])))
        XCTAssertThrowsError(try Converter(options).run()) { XCTAssertEqual(($0 as? ConversionFailure)?.reason, .calibrationData) }
    }

    /// A folder of images calibrates through the Ultralytics preprocessing; fewer than 32 samples is a warning.
    func testImageFolderCalibrates() throws {
        let dir = temp()
        let images = dir.appendingPathComponent("images/nested")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for name in ["photo_16x12.jpg", "rgb_7x5.png", "gray_16x12.jpg"] {
            try FileManager.default.copyItem(at: Self.calibration.appendingPathComponent(name), to: images.appendingPathComponent(name))
        }
        var options = ConversionOptions(modelPath: yolo, outputFolder: dir.appendingPathComponent("out").path)
        options.int8 = INT8Options(data: .path(dir.appendingPathComponent("images").path, CalibrationOptions()))
        let report = try Converter(options).run()
        XCTAssertEqual(report.passes.last?.name, "QuantizeINT8")
        XCTAssertTrue(report.warnings.contains { $0.contains("only 3 samples; ranges from fewer than 32 are unreliable") }, "\(report.warnings)")
        let xml = try String(contentsOfFile: dir.appendingPathComponent("out/yolo_tiny.xml").path, encoding: .utf8)
        XCTAssertTrue(xml.contains("<int8_samples value=\"3\"/>"), "int8_samples missing")
    }

    /// An Ultralytics dataset YAML: `path` plus a `val` folder of images.
    func testDatasetYAMLCalibrates() throws {
        let dir = temp()
        let val = dir.appendingPathComponent("set/images/val")
        try FileManager.default.createDirectory(at: val, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.calibration.appendingPathComponent("photo_16x12.jpg"), to: val.appendingPathComponent("a.jpg"))
        let yaml = dir.appendingPathComponent("set.yaml")
        try Data("path: \(dir.appendingPathComponent("set").path)\ntrain: images/val\nval: images/val\nnames:\n  0: thing\n".utf8).write(to: yaml)
        var options = ConversionOptions(modelPath: yolo, outputFolder: dir.appendingPathComponent("out").path)
        options.int8 = INT8Options(data: .path(yaml.path, CalibrationOptions()))
        XCTAssertEqual(try Converter(options).run().passes.last?.name, "QuantizeINT8")
    }

    /// Data that cannot be used exits `calibrationData`, naming the folder or file, and writes nothing.
    func testUnusableDataIsNamed() throws {
        let dir = temp()
        let broken = dir.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.calibration.appendingPathComponent("photo_16x12.jpg"), to: broken.appendingPathComponent("a.jpg"))
        try Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2, 3]).write(to: broken.appendingPathComponent("b.jpg"))
        let oneChannel = dir.appendingPathComponent("gray")
        try FileManager.default.createDirectory(at: oneChannel, withIntermediateDirectories: true)
        try Data(NPYFormat.encode(.f32(Array(repeating: 0, count: 128 * 128), dims: [1, 1, 128, 128])))
            .write(to: oneChannel.appendingPathComponent("a.npy"))
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            (dir.appendingPathComponent("missing").path, "missing: no such folder or file"),
            (empty.path, "holds no images (.jpg, .jpeg, .png) or arrays (.npy, .npz)"),
            (broken.path, "broken/b.jpg"),
            (oneChannel.path, "gray/a.npy: the array is f32 [1,1,128,128]; input 'images' takes f32 [1,3,128,128]"),
        ]
        for (data, phrase) in cases {
            var options = ConversionOptions(modelPath: yolo, outputFolder: dir.appendingPathComponent("out").path)
            options.int8 = INT8Options(data: .path(data, CalibrationOptions()))
            XCTAssertThrowsError(try Converter(options).run(), data) { error in
                XCTAssertEqual((error as? ConversionFailure)?.reason, .calibrationData, "\(error)")
                XCTAssertTrue("\(error)".contains(phrase), "'\(phrase)' missing from: \(error)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
        }
    }

    /// `count` .npz samples of the classifier fixture's input `data` [1,3,32,32] in `folder`, values seeded by `seed`.
    private func classifierSamples(_ count: Int, in folder: URL, seed: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for k in 0..<count {
            let values = (0..<(3 * 32 * 32)).map { i in Float((i * 37 + (k + seed) * 101) % 255) / 255 }
            try NPZArchive(arrays: [(name: "data", tensor: .f32(values, dims: [1, 3, 32, 32]))])
                .write(to: folder.appendingPathComponent("\(k).npz").path)
        }
    }

    /// `--int8-held-out` is what `--int8-max-drop` measures on, all its files (it is not calibrated on).
    func testMaxDropMeasuresOnTheHeldOutData() throws {
        let dir = temp()
        try classifierSamples(4, in: dir.appendingPathComponent("calib"), seed: 0)
        try classifierSamples(3, in: dir.appendingPathComponent("val"), seed: 50)
        var options = ConversionOptions(modelPath: classifier, outputFolder: dir.appendingPathComponent("out").path)
        var int8 = INT8Options(data: .path(dir.appendingPathComponent("calib").path, CalibrationOptions()))
        int8.maxDrop = 0.5
        int8.heldOut = dir.appendingPathComponent("val").path
        options.int8 = int8
        let report = try Converter(options).run()
        let accuracy = try XCTUnwrap(report.int8?.accuracy)
        XCTAssertEqual(accuracy.samples, 3)
        XCTAssertTrue(accuracy.heldOut)
        XCTAssertEqual(report.int8?.samples, 4)
        XCTAssertFalse(report.warnings.contains { $0.contains("calibration samples too") }, "\(report.warnings)")
        let xml = try String(contentsOfFile: dir.appendingPathComponent("out/classifier_opset9.xml").path, encoding: .utf8)
        XCTAssertTrue(xml.contains("<int8_held_out value=\"val\"/>"), "int8_held_out missing from conversion_parameters")

        // Held-out data that calibration also uses is measured on, with a warning.
        int8.heldOut = dir.appendingPathComponent("calib").path
        options.int8 = int8
        options.outputFolder = dir.appendingPathComponent("out-same").path
        let same = try Converter(options).run()
        XCTAssertTrue(same.warnings.contains("--int8-held-out: 4 of its 4 samples are calibration samples too, which flatters INT8: "
            + "give data calibration does not use"), "\(same.warnings)")

        // A held-out path that is not there is named, under its option, and nothing is written.
        int8.heldOut = dir.appendingPathComponent("missing").path
        options.int8 = int8
        let second = dir.appendingPathComponent("out2").path
        options.outputFolder = second
        XCTAssertThrowsError(try Converter(options).run()) { error in
            XCTAssertEqual((error as? ConversionFailure)?.reason, .calibrationData)
            XCTAssertTrue("\(error)".contains("--int8-held-out: ") && "\(error)".contains("missing"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: second))
    }

    /// `--ignore` takes the ONNX node's name (`conv1/Conv`, made into Convolution `conv1/Conv/conv` and its bias Add);
    /// a name or type that matches nothing is a warning.
    func testIgnoreByTheSourceNodesNameAndUnknownNamesWarn() throws {
        let dir = temp()
        try classifierSamples(2, in: dir.appendingPathComponent("calib"), seed: 0)
        var options = ConversionOptions(modelPath: classifier, outputFolder: dir.appendingPathComponent("out").path)
        var int8 = INT8Options(data: .path(dir.appendingPathComponent("calib").path, CalibrationOptions()))
        int8.quantization.ignoredNames = ["conv1/Conv", "no/such/node"]
        int8.quantization.ignoredTypes = ["LSTMSequence"]
        options.int8 = int8
        let report = try Converter(options).run()
        XCTAssertTrue(report.int8?.keptFloat.contains("Convolution 'conv1/Conv/conv': ignored") == true, "\(report.int8?.keptFloat ?? [])")
        XCTAssertTrue(report.warnings.contains { $0.hasPrefix("--ignore: no node is named 'no/such/node'") }, "\(report.warnings)")
        XCTAssertTrue(report.warnings.contains("--ignore-types: the model has no LSTMSequence node"), "\(report.warnings)")
        XCTAssertFalse(report.warnings.contains { $0.contains("'conv1/Conv'") }, "\(report.warnings)")
    }

    private static let calibration = ConverterTests.testdata.appendingPathComponent("calibration")
}

/// Progress calls, recorded from any thread.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [String] = []
    func record(_ v: String) { lock.lock(); values.append(v); lock.unlock() }
}
