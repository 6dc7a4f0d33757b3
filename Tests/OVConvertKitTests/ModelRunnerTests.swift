import Calibration
import Foundation
import OVIR
import XCTest
@testable import OVConvertKit

final class ModelRunnerTests: XCTestCase {
    private let yolo = ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path
    private let images = ConverterTests.testdata.appendingPathComponent("npz/yolo_tiny_images.npz").path

    private func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-run-\(UUID().uuidString)-\(name)").path
    }

    private func failure(_ body: () throws -> Any) -> ConversionFailure? {
        do {
            _ = try body()
            return nil
        } catch {
            return error as? ConversionFailure
        }
    }

    func testRunsTheONNXModelAndWritesItsOutputsNamedAfterTheModel() throws {
        let out = temp("out.npz")
        let report = try ModelRunner(modelPath: yolo, inputsPath: images, outputPath: out).run()
        XCTAssertEqual(report.inputs.map(\.name), ["images"])
        XCTAssertEqual(report.outputs.map(\.name), ["output0"])
        XCTAssertEqual(report.outputs[0].tensor.dims, [1, 84, 336])
        let written = try NPZArchive(contentsOf: out).arrays
        XCTAssertEqual(written.map(\.name), ["output0"])
        XCTAssertEqual(written[0].tensor, report.outputs[0].tensor)
    }

    /// The IR written by the converter evaluates to what the ONNX model evaluates to.
    func testRunsTheWrittenIRToTheSameOutputs() throws {
        let folder = temp("ir")
        _ = try Converter(ConversionOptions(modelPath: yolo, outputFolder: folder)).run()
        let fromONNX = try ModelRunner(modelPath: yolo, inputsPath: images).run()
        let fromIR = try ModelRunner(modelPath: folder + "/yolo_tiny.xml", inputsPath: images, repeats: 2).run()
        XCTAssertEqual(fromIR.runSeconds.count, 2)
        XCTAssertEqual(fromIR.outputs.map(\.name), ["output0"])
        let a = try XCTUnwrap(fromONNX.outputs[0].tensor.doubleValues()), b = try XCTUnwrap(fromIR.outputs[0].tensor.doubleValues())
        XCTAssertEqual(a.count, b.count)
        XCTAssertLessThanOrEqual(zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0, 1e-5)
    }

    func testNPZThatDoesNotFitTheInputsIsRefusedNamingArrayAndInput() throws {
        let cases: [(arrays: [(name: String, tensor: Tensor)], message: String)] = [
            ([("pictures", .f32(Array(repeating: 0, count: 3 * 128 * 128), dims: [1, 3, 128, 128]))],
             "has no array for input 'images' (f32 [1,3,128,128]); the model's inputs are 'images' (f32 [1,3,128,128]), the file holds 'pictures'"),
            ([("images", .f32(Array(repeating: 0, count: 3 * 64 * 64), dims: [1, 3, 64, 64]))],
             "array 'images' has shape [1,3,64,64], input 'images' takes [1,3,128,128]"),
            ([("images", Tensor(.f64, dims: [1, 3, 128, 128], values: Array(repeating: 0.0, count: 3 * 128 * 128)))],
             "array 'images' is f64 [1,3,128,128], input 'images' takes f32 [1,3,128,128]"),
            ([("images", .f32(Array(repeating: 0, count: 3 * 128 * 128), dims: [1, 3, 128, 128])), ("extra", .i64([1]))],
             "array 'extra' matches no model input; the inputs are 'images' (f32 [1,3,128,128])"),
        ]
        for (arrays, message) in cases {
            let path = temp("in.npz")
            try NPZArchive(arrays: arrays).write(to: path)
            let f = try XCTUnwrap(failure { try ModelRunner(modelPath: self.yolo, inputsPath: path).run() })
            XCTAssertEqual(f.reason, .badInputs)
            XCTAssertEqual(f.message, "\(path): \(message)")
        }
    }

    func testMissingFilesHaveTheirOwnExitCodes() throws {
        XCTAssertEqual(failure { try ModelRunner(modelPath: self.yolo, inputsPath: self.temp("none.npz")).run() }?.reason, .badInputs)
        XCTAssertEqual(failure { try ModelRunner(modelPath: self.temp("none.xml")).run() }?.reason, .badModelFile)
        XCTAssertEqual(failure { try ModelRunner(modelPath: self.temp("none.onnx")).run() }?.reason, .badModelFile)
    }

    /// An IR that cannot be read is a bad model file; the message names the file once, then the layer.
    func testAnUnreadableIRNamesTheFileAndTheLayer() throws {
        let folder = temp("ir")
        _ = try Converter(ConversionOptions(modelPath: yolo, outputFolder: folder)).run()
        let xml = URL(fileURLWithPath: folder).appendingPathComponent("yolo_tiny.xml")
        let text = try String(contentsOf: xml, encoding: .utf8)
        try text.replacingOccurrences(of: "type=\"Swish\"", with: "type=\"Bogus\"").write(to: xml, atomically: true, encoding: .utf8)
        let f = try XCTUnwrap(failure { try ModelRunner(modelPath: xml.path).run() })
        XCTAssertEqual(f.reason, .badModelFile)
        XCTAssertTrue(f.message.hasPrefix("\(xml.path): layer "), f.message)
        XCTAssertTrue(f.message.hasSuffix(": unknown op type 'Bogus' version 'opset4'"), f.message)
    }

    func testVerifyInputsAreUsedAndChecked() throws {
        let report = try Converter(ConversionOptions(modelPath: yolo, outputFolder: temp("v"), verify: RoundTripVerifier(),
                                                     verifyInputs: images)).run()
        XCTAssertEqual(report.verification?.inputs, ["images f32 [1,3,128,128] from --verify-inputs"])
        XCTAssertEqual(report.verification?.passed, true)

        let wrong = temp("wrong.npz")
        try NPZArchive(arrays: [("x", .f32([1]))]).write(to: wrong)
        let folder = temp("w")
        let f = failure { try Converter(ConversionOptions(modelPath: self.yolo, outputFolder: folder, verify: RoundTripVerifier(),
                                                          verifyInputs: wrong)).run() }
        XCTAssertEqual(f?.reason, .badInputs)
        XCTAssertTrue(f?.message.hasPrefix("--verify-inputs: \(wrong): has no array for input 'images'") ?? false, f?.message ?? "")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }
}
