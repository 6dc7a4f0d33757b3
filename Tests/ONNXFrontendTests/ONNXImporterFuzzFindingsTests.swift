import Foundation
import ONNXFrontend
import XCTest

/// ONNX models that crashed the import (testdata/fuzz/onnx/; also seeds of the `onnx` fuzz target,
/// Tools/fuzz/onnx.swift), each imported as that target and the CLI import it: it must now be refused with a
/// thrown error that says why.
final class ONNXImporterFuzzFindingsTests: XCTestCase {
    static let findings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/fuzz/onnx")

    /// Each model and a part of the message it must be refused with.
    static let expected: [String: String] = [
        // Reshape of x [1, 4] to the initializer [2^62, 4]: the element count overflowed Int in shape inference (the
        // ir target's finding, written as an ONNX model: `ovconvert` died of SIGILL on it).
        "reshape_target_dims_overflow_element_count.onnx": "too many elements",
        // Pad of x [1, 4] with pads [0, 1, 0, Int.max]: the padded size overflowed Int (likewise from the ir target).
        "pad_sizes_overflow_dim.onnx": "overflow",
        // Squeeze of x [3] by two axes of unknown value: the output rank, 1 - 2, trapped in an Array constructor
        // (the onnx target in CI's smoke run, 2026-12-03; rewritten by hand, since the input stayed on CI's machine).
        "squeeze_more_axes_than_dims.onnx": "2 axes to squeeze from rank 1",
    ]

    func testEveryFindingIsRefusedWithAnError() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.findings.path).filter { $0.hasSuffix(".onnx") }.sorted()
        XCTAssertEqual(names, Self.expected.keys.sorted(), "every file of testdata/fuzz/onnx has an expected message here")
        for name in names {
            let path = Self.findings.appendingPathComponent(name).path
            XCTAssertThrowsError(try ONNXImporter(allowNewerOpset: true).load(path: path), name) { error in
                XCTAssertTrue("\(error)".contains(Self.expected[name] ?? "?"), "\(name): \(error)")
            }
        }
    }
}
