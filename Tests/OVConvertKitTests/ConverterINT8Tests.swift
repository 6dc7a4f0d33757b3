import Foundation
import XCTest
import OVIR
import Passes
import Calibration
@testable import OVConvertKit

/// `ConversionOptions.int8` through `Converter`: calibration on .npz samples, then QuantizeINT8 after the passes.
final class ConverterINT8Tests: XCTestCase {
    private let yolo = ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path

    private func temp() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-int8-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Two samples: the fixture's photograph-like images and an all-0.5 image.
    private func samples(in folder: URL) throws -> [URL] {
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
        options.int8 = INT8Options(samples: try samples(in: dir), progress: { finished, total in done.record("\(finished)/\(total)") })
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
        var urls = try samples(in: dir)
        let wrong = dir.appendingPathComponent("c.npz")
        try NPZArchive(arrays: [(name: "pixels", tensor: .f32([0], dims: [1]))]).write(to: wrong.path)
        urls.append(wrong)
        var options = ConversionOptions(modelPath: yolo, outputFolder: dir.appendingPathComponent("out").path)
        options.int8 = INT8Options(samples: urls)
        XCTAssertThrowsError(try Converter(options).run()) { error in
            let failure = error as? ConversionFailure
            XCTAssertEqual(failure?.reason, .badInputs)
            XCTAssertTrue("\(error)".contains("sample 3 of 3: \(wrong.path): has no array for input 'images'"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    func testNoSamplesIsAnError() throws {
        var options = ConversionOptions(modelPath: yolo, outputFolder: temp().appendingPathComponent("out").path)
        options.int8 = INT8Options(samples: [])
        XCTAssertThrowsError(try Converter(options).run()) { XCTAssertEqual(($0 as? ConversionFailure)?.reason, .badInputs) }
    }
}

/// Progress calls, recorded from any thread.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [String] = []
    func record(_ v: String) { lock.lock(); values.append(v); lock.unlock() }
}
