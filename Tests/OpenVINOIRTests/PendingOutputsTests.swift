import Foundation
@testable import OpenVINOIR
import XCTest

final class PendingOutputsTests: XCTestCase {
    /// abandonAll removes each recorded folder with what is in it; one with an aside name is renamed there first,
    /// so a file created through its old path afterwards fails instead of landing in a folder about to go.
    func testAbandonAllRemovesRecordedFolders() throws {
        let parent = try makeTemporaryFolder()
        let fm = FileManager.default
        let temporary = parent.appendingPathComponent(".out.tmp-1-a"), old = parent.appendingPathComponent(".out.old-1-b")
        let unrelated = parent.appendingPathComponent("out")
        for folder in [temporary, old, unrelated] {
            try fm.createDirectory(at: folder, withIntermediateDirectories: false)
            try Data("x".utf8).write(to: folder.appendingPathComponent("m.bin"))
        }
        let pending = PendingOutputs()
        pending.add(temporary, aside: parent.appendingPathComponent(".out.old-1-c"))
        pending.add(old)
        pending.add(parent.appendingPathComponent("never-created"))
        pending.add(unrelated)
        pending.remove(unrelated)
        XCTAssertEqual(pending.recorded.map(\.lastPathComponent), [".out.tmp-1-a", ".out.old-1-b", "never-created"])
        pending.abandonAll()  // keeps its lock: this instance is not used again
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: parent.path), ["out"])
        XCTAssertFalse(fm.createFile(atPath: temporary.appendingPathComponent("m.xml").path, contents: Data()))
    }
}
