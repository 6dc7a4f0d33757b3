import Foundation
import XCTest
@testable import ONNXFrontend

final class ExternalDataResolverTests: XCTestCase {
    /// A model whose initializer `w` ([4] f32) lives in external data described by `entries`.
    private func model(in folder: URL, _ entries: [String: String]) -> String {
        var b = ModelBuilder()
        var t = Onnx_TensorProto()
        t.name = "w"
        t.dataType = 1
        t.dims = [4]
        t.dataLocation = .external
        t.externalData = entries.sorted { $0.key < $1.key }.map { k, v in
            var e = Onnx_StringStringEntryProto()
            e.key = k
            e.value = v
            return e
        }
        b.graph.initializer.append(t)
        b.output("w", [4])
        return b.write(in: folder)
    }

    private func weights(_ values: [Float]) -> Data {
        Data(values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
    }

    private func loadError(_ path: String) -> ONNXFrontendError? {
        do {
            _ = try ONNXImporter().load(path: path)
            return nil
        } catch {
            return error as? ONNXFrontendError
        }
    }

    private func expectRejected(_ entries: [String: String], _ phrase: String, setup: (URL) throws -> Void = { _ in },
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = TempFolder.make().appendingPathComponent("model")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try setup(folder)
        let e = loadError(model(in: folder, entries))
        XCTAssertEqual(e?.kind, .badExternalData, e?.message ?? "no error", file: file, line: line)
        XCTAssertTrue(e?.message.contains("initializer 'w'") == true, e?.message ?? "", file: file, line: line)
        XCTAssertTrue(e?.message.contains(phrase) == true, "'\(e?.message ?? "")' lacks '\(phrase)'", file: file, line: line)
    }

    func testReadsWeightsAtAnOffset() throws {
        let folder = TempFolder.make()
        try (Data([0xAA, 0xBB]) + weights([1, 2, 3, 4])).write(to: folder.appendingPathComponent("w.bin"))
        let g = try ONNXImporter().load(path: model(in: folder, ["location": "w.bin", "offset": "2", "length": "16"])).graph
        XCTAssertEqual(g.results[0].inputs[0].constant?.doubleValues(), [1, 2, 3, 4])
    }

    func testAbsolutePath() throws {
        try expectRejected(["location": "/etc/passwd"], "absolute path")
    }

    func testParentDirectory() throws {
        try expectRejected(["location": "../secret.bin"], "leaves the model's folder")
        try expectRejected(["location": "sub/../../secret.bin"], "leaves the model's folder")
    }

    func testSymlinkLeadingOut() throws {
        let outside = TempFolder.make().appendingPathComponent("outside.bin")
        try weights([1, 2, 3, 4]).write(to: outside)
        try expectRejected(["location": "link.bin"], "outside the model's folder") { folder in
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("link.bin"), withDestinationURL: outside)
        }
    }

    func testPastTheEndOfTheFile() throws {
        try expectRejected(["location": "w.bin", "offset": "8", "length": "16"], "runs past the end") { folder in
            try self.weights([1, 2, 3, 4]).write(to: folder.appendingPathComponent("w.bin"))
        }
    }

    func testOffsetPlusLengthOverflow() throws {
        try expectRejected(["location": "w.bin", "offset": "9223372036854775800", "length": "16"], "runs past the end") { folder in
            try self.weights([1, 2, 3, 4]).write(to: folder.appendingPathComponent("w.bin"))
        }
        try expectRejected(["location": "w.bin", "offset": "18446744073709551615"], "not a valid size") { folder in
            try self.weights([1, 2, 3, 4]).write(to: folder.appendingPathComponent("w.bin"))
        }
    }

    func testMissingFileAndMemoryAddressTag() throws {
        try expectRejected(["location": "nothere.bin"], "does not exist")
        try expectRejected(["location": "*/_ORT_MEM_ADDR_/*", "offset": "140000000"], "in-memory address tag")
    }
}
