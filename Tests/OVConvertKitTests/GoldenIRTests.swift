import Foundation
import XCTest
@testable import OVConvertKit

/// The IR written for the YOLO fixture, compared byte for byte with the committed snapshot.
/// After an intended change, re-record with `OVCONVERT_RECORD_GOLDEN=1 swift test --filter GoldenIRTests`
/// and review the diff of testdata/golden/.
final class GoldenIRTests: XCTestCase {
    func testYOLOFixtureMatchesTheGoldenIR() throws {
        let golden = ConverterTests.testdata.appendingPathComponent("golden")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try Converter(ConversionOptions(modelPath: ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path,
                                            outputFolder: out.path)).run()
        let record = ProcessInfo.processInfo.environment["OVCONVERT_RECORD_GOLDEN"] == "1"
        for name in ["yolo_tiny.xml", "yolo_tiny.mapping"] {
            let written = try Data(contentsOf: out.appendingPathComponent(name))
            let snapshot = golden.appendingPathComponent(name)
            if record {
                try written.write(to: snapshot)
                continue
            }
            guard let expected = try? Data(contentsOf: snapshot) else {
                return XCTFail("no snapshot \(snapshot.path); record it with OVCONVERT_RECORD_GOLDEN=1")
            }
            if written != expected {
                let a = String(decoding: written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let b = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                XCTFail("\(name) differs from the snapshot at line \(line + 1): got '\(line < a.count ? a[line] : "<end>")', expected '\(line < b.count ? b[line] : "<end>")'")
            }
        }
    }
}
