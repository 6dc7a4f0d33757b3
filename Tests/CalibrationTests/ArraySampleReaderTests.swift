import OVIR
import XCTest
@testable import Calibration

final class ArraySampleReaderTests: XCTestCase {
    private let x = CalibrationInput(name: "x", type: TensorType(.f32, .fixed([1, 2])))
    private let y = CalibrationInput(name: "y", otherNames: ["y:0"], type: TensorType(.i64, .fixed([3])))

    private func write(_ arrays: [(name: String, tensor: Tensor)]) throws -> String {
        let path = try CalibrationTestData.temporaryFolder() + "/s.npz"
        try NPZArchive(arrays: arrays).write(to: path)
        return path
    }

    func testArraysMayUseAnInputsOtherName() throws {
        let path = try write([("x", .f32([1, 2], dims: [1, 2])), ("y:0", .i64([1, 2, 3]))])
        XCTAssertEqual(try ArraySampleReader(inputs: [x, y]).read(path: path), ["x": .f32([1, 2], dims: [1, 2]), "y": .i64([1, 2, 3])])
    }

    func testMissingExtraAndMistypedArraysAreNamed() throws {
        let missing = try write([("x", .f32([1, 2], dims: [1, 2]))])
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x, y]).read(path: missing), .mismatch,
                                  "\(missing): has no array for input 'y' (i64 [3]); it holds 'x'")
        let extra = try write([("x", .f32([1, 2], dims: [1, 2])), ("z", .f32([1]))])
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x]).read(path: extra), .mismatch,
                                  "\(extra): array 'z' matches no model input; the inputs are 'x' (f32 [1,2])")
        let mistyped = try write([("x", .i64([1, 2], dims: [1, 2]))])
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x]).read(path: mistyped), .mismatch,
                                  "\(mistyped): array 'x' is i64 [1,2]; input 'x' takes f32 [1,2]")
        let misshaped = try write([("x", .f32([1, 2], dims: [2, 1]))])
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x]).read(path: misshaped), .mismatch, "array 'x' is f32 [2,1]; input 'x' takes f32 [1,2]")
        let twice = try write([("y", .i64([1, 2, 3])), ("y:0", .i64([1, 2, 3]))])
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [y]).read(path: twice), .mismatch, "arrays 'y' and 'y:0' both name input 'y'")
    }

    func testNPYFeedsOnlyAModelWithOneInputAndDamagedFilesAreNamed() throws {
        let npy = CalibrationTestData.path("single/a.npy")
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x, y]).read(path: npy), .mismatch,
                                  "\(npy): an .npy array feeds a model with one input; this one has 2")
        let folder = try CalibrationTestData.temporaryFolder()
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: folder + "/bad.npy"))
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: folder + "/bad.npz"))
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x]).read(path: folder + "/bad.npy"), .unreadable,
                                  "\(folder)/bad.npy: not an .npy array (bad magic)")
        XCTAssertCalibrationError(try ArraySampleReader(inputs: [x]).read(path: folder + "/bad.npz"), .unreadable,
                                  "\(folder)/bad.npz: not a ZIP (.npz) file")
    }
}
