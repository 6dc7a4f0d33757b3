import Foundation
import XCTest
@testable import Calibration

final class DataFolderTests: XCTestCase {
    /// A dataset folder that is a symbolic link, holding a linked subfolder and a link back up to itself.
    func testSymbolicLinksAreFollowedAndEachRealFolderListedOnce() throws {
        let root = try CalibrationTestData.temporaryFolder()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/real/sub", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        for path in ["/real/a.png", "/real/sub/b.jpg", "/elsewhere/c.npy", "/elsewhere/d.tif"] {
            try Data([0]).write(to: URL(fileURLWithPath: root + path))
        }
        try fm.createSymbolicLink(atPath: root + "/real/linked", withDestinationPath: root + "/elsewhere")
        try fm.createSymbolicLink(atPath: root + "/real/sub/up", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: root + "/real/dangling.png", withDestinationPath: root + "/nowhere.png")
        try fm.createSymbolicLink(atPath: root + "/data", withDestinationPath: root + "/real")
        let listing = try DataFolder(listing: root + "/data/")
        XCTAssertEqual(listing.images, [root + "/data/a.png", root + "/data/sub/b.jpg"])
        XCTAssertEqual(listing.arrays, [root + "/data/linked/c.npy"])
        XCTAssertEqual(listing.skipped, [root + "/data/linked/d.tif"])
    }
}
