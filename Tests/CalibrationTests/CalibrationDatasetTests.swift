import Foundation
import OVIR
import XCTest
@testable import Calibration

final class CalibrationDatasetTests: XCTestCase {
    static let image = CalibrationInput(name: "images", type: TensorType(.f32, .ranked([.fixed(1), .fixed(3), .dynamic, .dynamic])))
    static let xy = [CalibrationInput(name: "x", type: TensorType(.f32, .fixed([1, 2]))),
                     CalibrationInput(name: "y", otherNames: ["y:0"], type: TensorType(.i64, .fixed([3])))]

    func testImageFolderIsSearchedRecursivelyInPathOrderAndSamplesAreLetterboxed() throws {
        let folder = CalibrationTestData.path("dataset/images/val")
        let data = try CalibrationDataset(path: folder, inputs: [Self.image], options: CalibrationOptions(imageSize: 16))
        XCTAssertEqual(data.files, [folder + "/b.png", folder + "/c.png", folder + "/sub/a.jpg"])
        XCTAssertEqual(data.kind, .images(ImageInputLayout(input: "images", height: 16, width: 16)))
        XCTAssertEqual(data.warnings, [], "three files of formats it reads: nothing skipped")
        // b.png is rgb_7x5.png: its sample is the reference letterbox to 16x16.
        let sample = try data.sample(at: 0)
        XCTAssertEqual(Array(sample.keys), ["images"])
        XCTAssertLessThanOrEqual(maxDifference(sample["images"]!, try CalibrationTestData.array("letterbox_7x5_to_16x16.npy")), 1.0001 / 255)
        XCTAssertEqual(try data.sample(at: 2)["images"]?.dims, [1, 3, 16, 16])
    }

    func testDatasetYAMLReadsValByDefaultAndTheSplitAsked() throws {
        let path = CalibrationTestData.path("dataset/coco_tiny.yaml")
        XCTAssertEqual(try CalibrationDataset(path: path, inputs: [Self.image]).files.map { ($0 as NSString).lastPathComponent }, ["b.png", "c.png", "a.jpg"])
        let train = try CalibrationDataset(path: path, inputs: [Self.image], options: CalibrationOptions(split: "train"))
        XCTAssertEqual(train.files.map { ($0 as NSString).lastPathComponent }, ["t.png", "c.png"])
        XCTAssertEqual(try train.sample(at: 1)["images"]?.dims, [1, 3, 640, 640])
    }

    func testSubsetIsSpreadEvenlyOverTheSortedFiles() {
        let files = (0..<10).map { "f\($0)" }
        XCTAssertEqual(CalibrationDataset.spread(files, count: 4), ["f0", "f2", "f5", "f7"])
        XCTAssertEqual(CalibrationDataset.spread(files, count: 10), files)
        XCTAssertEqual(CalibrationDataset.spread(files, count: 300), files)
    }

    func testSubsetCountsSamples() throws {
        let data = try CalibrationDataset(path: CalibrationTestData.path("dataset/images/val"), inputs: [Self.image],
                                          options: CalibrationOptions(subset: 2))
        XCTAssertEqual(data.count, 2)
        XCTAssertEqual(data.available, 3)
        XCTAssertCalibrationError(try CalibrationDataset(path: CalibrationTestData.path("dataset"), inputs: [Self.image],
                                                         options: CalibrationOptions(subset: 0)), .badOptions, "the subset must be at least 1 sample, not 0")
    }

    func testNPZFolderFeedsEachInputByName() throws {
        let data = try CalibrationDataset(path: CalibrationTestData.path("arrays"), inputs: Self.xy)
        XCTAssertEqual(data.kind, .arrays)
        XCTAssertEqual(data.count, 2)
        let second = try data.sample(at: 1)
        XCTAssertEqual(second["x"], .f32([0.25, 4], dims: [1, 2]))
        XCTAssertEqual(second["y"], .i64([-1, 0, 7]))
    }

    func testNPYFolderFeedsTheOnlyInput() throws {
        let input = CalibrationInput(name: "t", type: TensorType(.f32, .ranked([.dynamic, .fixed(2), .fixed(3)])))
        let data = try CalibrationDataset(path: CalibrationTestData.path("single"), inputs: [input])
        XCTAssertEqual(try data.sample(at: 1), ["t": .f32([10, 11, 12, 13, 14, 15], dims: [1, 2, 3])])
    }

    func testMissingEmptyMixedAndOtherPathsAreRefused() throws {
        XCTAssertCalibrationError(try CalibrationDataset(path: "/nonexistent/data", inputs: [Self.image]), .notFound,
                                  "/nonexistent/data: no such folder or file")
        let empty = try CalibrationTestData.temporaryFolder()
        try "x".write(toFile: empty + "/readme.md", atomically: true, encoding: .utf8)
        try "x".write(toFile: empty + "/photo.webp", atomically: true, encoding: .utf8)
        XCTAssertCalibrationError(try CalibrationDataset(path: empty, inputs: [Self.image]), .empty,
                                  "\(empty): holds no images (.jpg, .jpeg, .png) or arrays (.npy, .npz); it has 1 file of formats not read (.webp; JPEG and PNG are)")
        let mixed = try CalibrationTestData.temporaryFolder()
        try FileManager.default.copyItem(atPath: CalibrationTestData.path("rgb_7x5.png"), toPath: mixed + "/a.png")
        try FileManager.default.copyItem(atPath: CalibrationTestData.path("single/a.npy"), toPath: mixed + "/a.npy")
        XCTAssertCalibrationError(try CalibrationDataset(path: mixed, inputs: [Self.image]), .badOptions,
                                  "\(mixed): holds both images (1) and arrays (1): give a folder of one kind")
        XCTAssertCalibrationError(try CalibrationDataset(path: CalibrationTestData.path("rgb_7x5.png"), inputs: [Self.image]),
                                  .badOptions, "rgb_7x5.png: is neither a folder nor a dataset YAML (.yaml)")
    }

    func testHiddenFilesAreLeftOutAndSkippedFormatsWarned() throws {
        let folder = try CalibrationTestData.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/.cache", withIntermediateDirectories: true)
        for name in ["a.png", ".hidden.png", ".cache/b.png"] {
            try FileManager.default.copyItem(atPath: CalibrationTestData.path("rgb_7x5.png"), toPath: folder + "/" + name)
        }
        try "x".write(toFile: folder + "/c.BMP", atomically: true, encoding: .utf8)
        let data = try CalibrationDataset(path: folder, inputs: [Self.image])
        XCTAssertEqual(data.files, [folder + "/a.png"])
        XCTAssertEqual(data.warnings.first, "\(folder): skipped 1 file of formats not read (.bmp; JPEG and PNG are)")
    }

    func testWrongChannelCountIsRefusedWhenOpening() {
        let gray = CalibrationInput(name: "x", type: TensorType(.f32, .fixed([1, 1, 28, 28])))
        XCTAssertCalibrationError(try CalibrationDataset(path: CalibrationTestData.path("dataset/images/val"), inputs: [gray]),
                                  .mismatch, "input 'x' (f32 [1,1,28,28]) has 1 channel, not 3")
    }

    func testUnreadableImageIsNamedWhenItsSampleIsRead() throws {
        let folder = try CalibrationTestData.temporaryFolder()
        try FileManager.default.copyItem(atPath: CalibrationTestData.path("rgb_7x5.png"), toPath: folder + "/a.png")
        try Data("not a jpeg".utf8).write(to: URL(fileURLWithPath: folder + "/b.jpg"))
        let data = try CalibrationDataset(path: folder, inputs: [Self.image], options: CalibrationOptions(imageSize: 8))
        XCTAssertEqual(data.count, 2)
        XCTAssertNotNil(try data.sample(at: 0))
        XCTAssertCalibrationError(try data.sample(at: 1), .unreadable, "\(folder)/b.jpg: not a JPEG or PNG file")
    }
}
