import Calibration
import Foundation
import OVIR
import XCTest

/// The fixtures of testdata/calibration (Tools/make_calibration_fixtures.py) and helpers the tests share.
enum CalibrationTestData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("testdata")
    static let folder = root.appendingPathComponent("calibration")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))) }

    /// An .npy array the fixture script wrote.
    static func array(_ name: String) throws -> Tensor { try NPYFormat.decode(bytes(name), name: name) }

    /// A fresh empty folder.
    static func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("calibration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

/// Asserts that `body` throws a `CalibrationError` of `kind` whose message contains `text`.
func XCTAssertCalibrationError<T>(_ body: @autoclosure () throws -> T, _ kind: CalibrationError.Kind, _ text: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
        guard let error = error as? CalibrationError else { return XCTFail("not a CalibrationError: \(error)", file: file, line: line) }
        XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
        XCTAssertTrue(error.message.contains(text), "'\(error.message)' does not contain '\(text)'", file: file, line: line)
    }
}

/// The largest difference between two f32 tensors of the same dims.
func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    XCTAssertEqual(a.dims, b.dims)
    let x = a.doubleValues() ?? [], y = b.doubleValues() ?? []
    XCTAssertEqual(x.count, y.count)
    return Float(zip(x, y).map { abs($0 - $1) }.max() ?? 0)
}
