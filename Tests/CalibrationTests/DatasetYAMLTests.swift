import XCTest
@testable import Calibration

final class DatasetYAMLTests: XCTestCase {
    func testPathIsRelativeToTheYAMLAndSplitsToThePath() throws {
        let yaml = try DatasetYAML(text: "path: ../data\ntrain: images/train\nval: [images/val, /abs/list.txt]\ntest:\n", file: "/cfg/coco.yaml")
        XCTAssertEqual(yaml.root, "/cfg/../data")
        XCTAssertEqual(yaml.splits, ["train": ["/cfg/../data/images/train"], "val": ["/cfg/../data/images/val", "/abs/list.txt"]])
        XCTAssertEqual(try yaml.chooseSplit(nil), "val")
        XCTAssertEqual(try yaml.chooseSplit("train"), "train")
    }

    func testNoPathMeansTheYAMLsFolderAndNoValMeansTrain() throws {
        let yaml = try DatasetYAML(text: "train: imgs\nnames: [a, b]\n", file: "data.yaml")
        XCTAssertEqual(yaml.splits, ["train": ["./imgs"]])
        XCTAssertEqual(try yaml.chooseSplit(nil), "train")
        XCTAssertCalibrationError(try yaml.chooseSplit("val"), .badOptions, "data.yaml: has no split 'val' (it has train)")
        XCTAssertCalibrationError(try DatasetYAML(text: "path: x\nnames: [a]\n", file: "n.yaml").chooseSplit(nil), .empty,
                                  "n.yaml: names neither val nor train")
    }

    func testMalformedYAMLIsRefusedNamingTheFile() {
        XCTAssertCalibrationError(try DatasetYAML(text: "val: [unclosed\n", file: "bad.yaml"), .unreadable, "bad.yaml: not valid YAML")
        XCTAssertCalibrationError(try DatasetYAML(text: "- a\n- b\n", file: "list.yaml"), .unreadable, "list.yaml: is not a YAML mapping")
        XCTAssertCalibrationError(try DatasetYAML(text: "", file: "empty.yaml"), .unreadable, "empty.yaml: is not a YAML mapping")
        XCTAssertCalibrationError(try DatasetYAML(text: "path: {a: 1}\nval: v\n", file: "p.yaml"), .unreadable, "p.yaml: path is not a folder name")
        XCTAssertCalibrationError(try DatasetYAML(text: "val: {a: 1}\n", file: "v.yaml"), .unreadable,
                                  "v.yaml: val holds something other than folder or list names")
    }

    /// testdata/calibration/dataset/coco_tiny.yaml: val a folder (searched recursively, notes.txt left out),
    /// train a .txt list with a ./ line and a plain relative one.
    func testFolderAndListSplitsOfTheFixture() throws {
        let folder = CalibrationTestData.path("dataset")
        let yaml = try DatasetYAML(path: folder + "/coco_tiny.yaml")
        XCTAssertEqual(try yaml.images(split: "val").images,
                       ["images/val/b.png", "images/val/c.png", "images/val/sub/a.jpg"].map { folder + "/./" + $0 })
        XCTAssertEqual(try yaml.images(split: "train").images,
                       [folder + "/./images/train/t.png", folder + "/./images/val/c.png"])
    }

    func testMissingFoldersAndBadListsAreNamed() throws {
        let folder = try CalibrationTestData.temporaryFolder()
        try "a.jpg\nnotes\n".write(toFile: folder + "/list.txt", atomically: true, encoding: .utf8)
        try "x".write(toFile: folder + "/file.bin", atomically: true, encoding: .utf8)
        let yaml = try DatasetYAML(text: "train: missing\nval: list.txt\ntest: file.bin\n", file: folder + "/d.yaml")
        XCTAssertCalibrationError(try yaml.images(split: "train"), .notFound, "\(folder)/d.yaml: train names \(folder)/missing, which does not exist")
        XCTAssertCalibrationError(try yaml.images(split: "val"), .unreadable, "(the val list of \(folder)/d.yaml): 'notes' is not an image file name")
        XCTAssertCalibrationError(try yaml.images(split: "test"), .badOptions, "which is neither a folder nor a .txt list")
    }
}
