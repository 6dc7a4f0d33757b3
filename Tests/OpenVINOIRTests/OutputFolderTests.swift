import Foundation
@testable import OpenVINOIR
import XCTest

final class OutputFolderTests: XCTestCase {
    private func contents(_ url: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
    }

    func testCreatesTheFolderAtomically() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("model_openvino_model")
        let value = try OutputFolder(destination).write { folder -> Int in
            XCTAssertEqual(folder.deletingLastPathComponent().standardizedFileURL, parent.standardizedFileURL)
            XCTAssertTrue(folder.lastPathComponent.hasPrefix(".model_openvino_model.tmp-\(getpid())-"), folder.lastPathComponent)
            XCTAssertFalse(FileManager.default.fileExists(atPath: destination.path))
            try Data("x".utf8).write(to: folder.appendingPathComponent("model.xml"))
            return 42
        }
        XCTAssertEqual(value, 42)
        XCTAssertEqual(try contents(parent), ["model_openvino_model"])
        XCTAssertEqual(try contents(destination), ["model.xml"])
    }

    func testExistingFolderWithoutForceIsAnErrorAndUntouched() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))
        var called = false
        XCTAssertThrowsError(try OutputFolder(destination).write { _ in called = true }) { error in
            XCTAssertEqual("\(error)", "output folder \(destination.standardizedFileURL.path) exists; use --force to overwrite")
        }
        XCTAssertFalse(called)
        XCTAssertEqual(try contents(parent), ["out"])
        XCTAssertEqual(try contents(destination), ["old.txt"])
    }

    func testErrorWhileWritingLeavesNothingBehind() throws {
        struct Boom: Error {}
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        XCTAssertThrowsError(try OutputFolder(destination).write { folder in
            try Data("half".utf8).write(to: folder.appendingPathComponent("model.xml"))
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try contents(parent), [])
    }

    func testErrorWithForceKeepsTheOldFolder() throws {
        struct Boom: Error {}
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))
        XCTAssertThrowsError(try OutputFolder(destination, force: true, replaceable: ["old.txt"]).write { _ in throw Boom() })
        XCTAssertEqual(try contents(parent), ["out"])
        XCTAssertEqual(try contents(destination), ["old.txt"])
    }

    func testForceReplacesTheOldFolder() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))
        try OutputFolder(destination, force: true, replaceable: ["old.txt"]).write { folder in
            try Data("new".utf8).write(to: folder.appendingPathComponent("new.txt"))
        }
        XCTAssertEqual(try contents(parent), ["out"])
        XCTAssertEqual(try contents(destination), ["new.txt"])
    }

    func testForceRefusesAFolderWithFilesItMayNotReplace() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        try Data("mine".utf8).write(to: destination.appendingPathComponent("model.onnx"))
        var ran = false
        XCTAssertThrowsError(try OutputFolder(destination, force: true, replaceable: ["m.xml"]).write { _ in ran = true }) { error in
            XCTAssertTrue("\(error)".contains("'model.onnx'"), "\(error)")
        }
        XCTAssertFalse(ran)
        XCTAssertEqual(try contents(destination), ["model.onnx"])
    }

    func testTemporaryFoldersOfKilledConversionsAreRemoved() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        let stale = parent.appendingPathComponent(".out.tmp-2147483646-beef")
        let unrelated = parent.appendingPathComponent(".other.tmp-2147483646-beef")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(at: unrelated, withIntermediateDirectories: false)
        try OutputFolder(destination).write { _ in }
        XCTAssertEqual(try contents(parent), [".other.tmp-2147483646-beef", "out"])
    }

    func testMissingParentIsAClearError() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("no/such/out")
        XCTAssertThrowsError(try OutputFolder(destination).write { _ in }) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertEqual(try contents(parent), [])
    }

    func testWritingAnIRIntoTheFolder() throws {
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("ir")
        let summary = try OutputFolder(destination).write { folder in
            try IRWriter().write(try makeSampleGraph(), xmlURL: folder.appendingPathComponent("m.xml"), binURL: folder.appendingPathComponent("m.bin"))
        }
        XCTAssertEqual(try contents(destination), ["m.bin", "m.xml"])
        XCTAssertEqual(summary.constants, 6)
    }

    /// A parent that is a file, and a parent where no folder can be made (/proc refuses even root): clear errors,
    /// nothing written.
    func testAParentThatIsAFileOrRefusesFoldersIsAClearError() throws {
        let parent = try makeTemporaryFolder()
        let file = parent.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        XCTAssertThrowsError(try OutputFolder(file.appendingPathComponent("out")).write { _ in }) { error in
            XCTAssertEqual("\(error)", "parent \(file.path) of the output is not a folder")
        }
        XCTAssertEqual(try contents(parent), ["file"])
        let proc = URL(fileURLWithPath: "/proc/ovconvert-\(getpid())")
        XCTAssertThrowsError(try OutputFolder(proc).write { _ in XCTFail("wrote into /proc") }) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot write the output folder \(proc.path): creating its temporary folder /proc/.ovconvert-"),
                          "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: proc.path))
    }

    /// While the body runs, its temporary folder is recorded for removal on interruption; after a write (or a
    /// failed one) nothing is; a --force replacement records nothing once done either.
    func testTheTemporaryFolderIsRecordedWhileItExists() throws {
        struct Boom: Error {}
        let parent = try makeTemporaryFolder()
        let destination = parent.appendingPathComponent("out")
        let pending = PendingOutputs()
        try OutputFolder(destination, pending: pending).write { folder in
            XCTAssertEqual(pending.recorded, [folder])
        }
        XCTAssertEqual(pending.recorded, [])
        try OutputFolder(destination, force: true, pending: pending).write { folder in
            XCTAssertEqual(pending.recorded, [folder])
        }
        XCTAssertEqual(pending.recorded, [])
        XCTAssertThrowsError(try OutputFolder(destination, force: true, pending: pending).write { _ in throw Boom() })
        XCTAssertEqual(pending.recorded, [])
        XCTAssertEqual(try contents(parent), ["out"])
    }
}
