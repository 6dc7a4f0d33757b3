import Foundation
import OVIR
import OpenVINOIR
import XCTest

/// The inputs with which the `ir` fuzz target (Tools/fuzz/ir.swift) crashed the reader, kept in testdata/fuzz/ir/ in
/// that target's format (`[u32 little-endian n][n bytes of XML][BIN]`), read as it reads them: each must now be
/// refused with a thrown error that says why.
final class IRReaderFuzzFindingsTests: XCTestCase {
    static let findings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/fuzz/ir")

    /// Each finding and a part of the message it must be refused with.
    static let expected: [String: String] = [
        // A Reshape whose constant target is [8.2e18, 4.1e18]: the element count overflowed Int (OVIR Reshape).
        "reshape_target_dims_overflow_element_count.ir": "too many elements",
        // A Pad with pads_end [1, -3, Int.max]: the padded size overflowed Int (OVIR Pad).
        "pad_sizes_overflow_dim.ir": "overflow",
    ]

    func testEveryFindingIsRefusedWithAnError() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.findings.path).filter { $0.hasSuffix(".ir") }.sorted()
        XCTAssertEqual(names, Self.expected.keys.sorted(), "every file of testdata/fuzz/ir has an expected message here")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ir-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: Self.findings.appendingPathComponent(name)))
            let declared = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
            let xmlEnd = 4 + min(declared, bytes.count - 4)
            let xml = folder.appendingPathComponent("model.xml")
            try Data(bytes[4..<xmlEnd]).write(to: xml)
            try Data(bytes[xmlEnd...]).write(to: folder.appendingPathComponent("model.bin"))
            XCTAssertThrowsError(try IRReader().read(xmlURL: xml), name) { error in
                XCTAssertTrue("\(error)".contains(Self.expected[name] ?? "?"), "\(name): \(error)")
            }
        }
    }
}
