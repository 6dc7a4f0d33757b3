import Foundation
import XCTest
@testable import OVConvertKit

/// `--names FILE`: the four forms a names file takes, and what is refused.
final class ClassNamesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes `text` to a file in the test's folder and reads it as `--names`.
    private func read(_ text: String, name: String = "names.yaml") throws -> [(index: Int, name: String)] {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return try ClassNames.read(path: url.path)
    }

    private func assertNames(_ text: String, _ names: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNoThrow(try {
            let got = try read(text)
            XCTAssertEqual(got.map(\.index), Array(0..<names.count), file: file, line: line)
            XCTAssertEqual(got.map(\.name), names, file: file, line: line)
        }(), file: file, line: line)
    }

    /// Asserts that the file is refused as a bad option, the message naming the file and containing `phrase`.
    private func assertRefused(_ text: String, _ phrase: String, file: StaticString = #filePath, line: UInt = #line) {
        let path = folder.appendingPathComponent("names.yaml").path
        XCTAssertThrowsError(try read(text), file: file, line: line) { error in
            let f = error as? ConversionFailure
            XCTAssertEqual(f?.reason, .badOptions, "\(error)", file: file, line: line)
            XCTAssertEqual(f?.exitCode, 64, file: file, line: line)
            XCTAssertTrue(f?.message.hasPrefix("--names \(path): ") == true, "\(error)", file: file, line: line)
            XCTAssertTrue(f?.message.contains(phrase) == true, "'\(phrase)' missing from: \(error)", file: file, line: line)
        }
    }

    func testYAMLList() {
        assertNames("- person\n- bicycle\n- traffic light\n", ["person", "bicycle", "traffic light"])
        assertNames("[cat, dog]", ["cat", "dog"])
    }

    /// A mapping of index to name, in any order.
    func testYAMLMapping() {
        assertNames("0: person\n2: car\n1: bicycle\n", ["person", "bicycle", "car"])
        assertNames("{1: dog, 0: cat}", ["cat", "dog"])
    }

    /// An Ultralytics dataset YAML: its `names` key, a mapping or a list; the other keys are ignored.
    func testDatasetYAML() {
        assertNames("""
            path: ../datasets/coco8
            train: images/train
            val: images/val
            names:
              0: person
              1: bicycle
              2: car
            """, ["person", "bicycle", "car"])
        assertNames("nc: 2\nnames: ['crack', 'hole']\n", ["crack", "hole"])
    }

    /// Plain text: one name a line, trimmed, blank lines skipped; names with spaces and Windows line ends.
    func testOneNameALine() {
        assertNames("person\nbicycle\ntraffic light\n", ["person", "bicycle", "traffic light"])
        assertNames("  person \n\n car\n", ["person", "car"])
        assertNames("person\r\ncar\r\n", ["person", "car"])
        assertNames("person", ["person"])
        // a line YAML would choke on is still a name
        assertNames("person\nstop: sign\n- x\n", ["person", "stop: sign", "- x"])
    }

    func testEmptyFileIsRefused() {
        assertRefused("", "names no class")
        assertRefused("\n  \n", "names no class")
    }

    func testDuplicateIndexIsRefused() {
        assertRefused("0: person\n1: car\n0: bicycle\n", "class 0 is named twice")
        assertRefused("names:\n  0: person\n  0: car\n", "class 0 is named twice")
        assertRefused("names: [a, b]\nnames: [c]\n", "key 'names' is given twice")
    }

    func testGapInIndicesIsRefused() {
        // 0 and 2: two names must be 0 and 1
        assertRefused("0: person\n2: car\n", "class indices must be 0 to 1, each once")
        assertRefused("names:\n  1: person\n", "class indices must be 0 to 0, each once")
    }

    func testNonStringNameIsRefused() {
        assertRefused("- person\n- [a, b]\n", "entry 1 is not a name")
        assertRefused("0: person\n1: {a: b}\n", "class 1 has no name")
        assertRefused("names:\n  0: person\n  1:\n    - x\n", "class 1 has no name")
    }

    func testKeyThatIsNoIndexIsRefused() {
        assertRefused("person: 0\n", "key 'person' is not a class index")
        assertRefused("-1: person\n", "key '-1' is not a class index")
    }

    func testUnreadableFileIsRefused() throws {
        let missing = folder.appendingPathComponent("missing.txt").path
        XCTAssertThrowsError(try ClassNames.read(path: missing)) { error in
            XCTAssertEqual((error as? ConversionFailure)?.reason, .badOptions)
            XCTAssertEqual((error as? ConversionFailure)?.message, "--names \(missing): cannot be read as UTF-8 text")
        }
        let binary = folder.appendingPathComponent("names.bin")
        try Data([0xFF, 0xFE, 0x00, 0x80]).write(to: binary)
        XCTAssertThrowsError(try ClassNames.read(path: binary.path)) { error in
            XCTAssertEqual((error as? ConversionFailure)?.message, "--names \(binary.path): cannot be read as UTF-8 text")
        }
    }
}
