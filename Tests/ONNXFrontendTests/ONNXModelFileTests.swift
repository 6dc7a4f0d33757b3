import Foundation
import XCTest
@testable import ONNXFrontend

final class ONNXModelFileTests: XCTestCase {
    private func loadError(_ path: String) -> ONNXFrontendError? {
        do {
            _ = try ONNXModelFile(path: path)
            return nil
        } catch {
            return error as? ONNXFrontendError
        }
    }

    private func expectBadFile(_ path: String, _ phrase: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let e = loadError(path) else { return XCTFail("loaded \(path)", file: file, line: line) }
        XCTAssertEqual(e.kind, .badFile, file: file, line: line)
        XCTAssertTrue(e.message.hasPrefix(path), "message does not name the file: \(e.message)", file: file, line: line)
        XCTAssertTrue(e.message.contains(phrase), "'\(e.message)' lacks '\(phrase)'", file: file, line: line)
    }

    func testMissingFile() {
        expectBadFile("/nonexistent/model.onnx", "no such file")
    }

    func testDirectory() {
        expectBadFile(TempFolder.make().path, "is a directory")
    }

    func testEmptyFile() throws {
        let url = TempFolder.make().appendingPathComponent("empty.onnx")
        try Data().write(to: url)
        expectBadFile(url.path, "empty")
    }

    func testTruncatedModel() throws {
        var b = ModelBuilder()
        b.initializer("w", Array(repeating: 1, count: 64), dims: [64])
        b.output("w", [64])
        let bytes = b.serialized()
        let url = TempFolder.make().appendingPathComponent("cut.onnx")
        try Data(bytes.prefix(bytes.count - 40)).write(to: url)
        expectBadFile(url.path, "not a valid ONNX model")
    }

    func testRandomBytes() throws {
        var rng = SplitMix(seed: 7)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let url = TempFolder.make().appendingPathComponent("noise.onnx")
        try Data(bytes).write(to: url)
        XCTAssertNotNil(loadError(url.path))
    }

    func testProtobufWithoutGraph() throws {
        let url = TempFolder.make().appendingPathComponent("nograph.onnx")
        try Data([0x08, 0x07]).write(to: url)  // ir_version = 7 and nothing else
        expectBadFile(url.path, "no graph")
    }

    func testRawDataIsLocatedInTheMappedFile() throws {
        var b = ModelBuilder()
        b.initializer("a", [1, 2, 3], dims: [3])
        b.initializer("b", [4, 5], dims: [2], raw: false)
        b.initializer("c", [6], dims: [1])
        let file = try ONNXModelFile(path: b.write())
        XCTAssertEqual(file.rawData.count, 2)
        let c = try XCTUnwrap(file.rawData[[7, 0, 5, 2]])
        XCTAssertEqual(Array(file.file.bytes[c]), withUnsafeBytes(of: Float(6).bitPattern.littleEndian, Array.init))
        XCTAssertNil(file.rawData[[7, 0, 5, 1]])
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
