import Foundation
import OVIR
import XCTest
@testable import TorchScriptFrontend

final class SafetensorsFileTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("SafetensorsFileTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: - Helpers

    private func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// Writes `bytes` as a new file and returns its path.
    private func writeRaw(_ bytes: [UInt8], name: String = "weights.safetensors") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `[u64 LE header length][header][data]`.
    private func write(header: String, data: [UInt8] = []) throws -> String {
        let h = Array(header.utf8)
        return try writeRaw(le64(UInt64(h.count)) + h + data)
    }

    private func assertBad(_ path: String, _ phrases: String..., file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try SafetensorsFile(path: path)
            XCTFail("opened without error", file: file, line: line)
        } catch let e as TorchScriptFrontendError {
            XCTAssertEqual(e.kind, .badWeights, file: file, line: line)
            XCTAssertTrue(e.message.hasPrefix(path + ": "), "message does not name the file: \(e.message)", file: file, line: line)
            for phrase in phrases {
                XCTAssertTrue(e.message.contains(phrase), "'\(e.message)' lacks '\(phrase)'", file: file, line: line)
            }
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }

    private func assertBadHeader(_ header: String, data: [UInt8] = [], _ phrases: String...,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try write(header: header, data: data)
        do {
            _ = try SafetensorsFile(path: path)
            XCTFail("opened \(header) without error", file: file, line: line)
        } catch let e as TorchScriptFrontendError {
            XCTAssertEqual(e.kind, .badWeights, file: file, line: line)
            XCTAssertTrue(e.message.hasPrefix(path + ": "), "message does not name the file: \(e.message)", file: file, line: line)
            for phrase in phrases {
                XCTAssertTrue(e.message.contains(phrase), "'\(e.message)' lacks '\(phrase)'", file: file, line: line)
            }
        }
    }

    // MARK: - Good files

    func testReadsEntriesMetadataAndMappedTensors() throws {
        // 296 bytes of JSON padded with 8 spaces to 304, a multiple of 8 as the Rust writer does.
        let json = #"{"__metadata__":{"format":"pt","graph":"frozen"},"const/w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"#
            + #""const/s":{"dtype":"I64","shape":[],"data_offsets":[24,32]},"const/e":{"dtype":"F16","shape":[0,4],"data_offsets":[32,32]},"#
            + #""const/b":{"dtype":"BOOL","shape":[2],"data_offsets":[32,34]}}"#
        XCTAssertEqual(json.utf8.count, 296)
        let header = json + "        "
        let data: [UInt8] = [
            0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0xC0, 0xBF,  // 1, 2, -1.5
            0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x40,  // 0.5, 0, 3
            0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 7 as i64
            0x01, 0x00,  // true, false
        ]
        let path = try write(header: header, data: data)
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.path, path)
        XCTAssertEqual(file.metadata, ["format": "pt", "graph": "frozen"])
        let start = 8 + 304
        XCTAssertEqual(file.entries, [
            "const/w": SafetensorsEntry(dtype: "F32", shape: [2, 3], range: start..<(start + 24)),
            "const/s": SafetensorsEntry(dtype: "I64", shape: [], range: (start + 24)..<(start + 32)),
            "const/e": SafetensorsEntry(dtype: "F16", shape: [0, 4], range: (start + 32)..<(start + 32)),
            "const/b": SafetensorsEntry(dtype: "BOOL", shape: [2], range: (start + 32)..<(start + 34)),
        ])

        let w = try XCTUnwrap(file.tensor("const/w"))
        XCTAssertEqual(w.elementType, .f32)
        XCTAssertEqual(w.dims, [2, 3])
        guard case .mapped(_, let range) = w.storage else { return XCTFail("not a mapped slice") }
        XCTAssertEqual(range, start..<(start + 24))
        XCTAssertEqual(w.doubleValues(), [1, 2, -1.5, 0.5, 0, 3])

        let s = try XCTUnwrap(file.tensor("const/s"))
        XCTAssertEqual(s.elementType, .i64)
        XCTAssertEqual(s.dims, [])
        XCTAssertEqual(s.intValues(), [7])

        let e = try XCTUnwrap(file.tensor("const/e"))
        XCTAssertEqual(e.elementType, .f16)
        XCTAssertEqual(e.dims, [0, 4])
        XCTAssertEqual(e.byteCount, 0)

        let b = try XCTUnwrap(file.tensor("const/b"))
        XCTAssertEqual(b.elementType, .boolean)
        XCTAssertEqual(b.bytes, [1, 0])

        XCTAssertNil(try file.tensor("const/missing"))
    }

    func testUnpaddedHeaderGivesUnalignedDataThatStillReads() throws {
        let header = #"{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#  // 54 bytes: data starts at 62
        XCTAssertEqual(header.utf8.count, 54)
        let file = try SafetensorsFile(path: try write(header: header, data: [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]))  // 1.5
        XCTAssertEqual(file.entries["x"]?.range, 62..<70)
        XCTAssertEqual(try file.tensor("x")?.doubleValues(), [1.5])
    }

    func testEmptyHeaderAndWhitespace() throws {
        let empty = try SafetensorsFile(path: try write(header: "{}"))
        XCTAssertTrue(empty.entries.isEmpty)
        XCTAssertTrue(empty.metadata.isEmpty)
        let spaced = try SafetensorsFile(path: try write(header: "{ \"__metadata__\" : { \"k\" : \"v\\u00e9\\n\" } }      "))
        XCTAssertEqual(spaced.metadata, ["k": "vé\n"])
    }

    func testEveryMappableDtype() throws {
        let table: [(dtype: String, bytes: Int, type: ElementType)] = [
            ("BOOL", 1, .boolean), ("U8", 1, .u8), ("I8", 1, .i8), ("I16", 2, .i16), ("U16", 2, .u16), ("I32", 4, .i32), ("U32", 4, .u32),
            ("I64", 8, .i64), ("U64", 8, .u64), ("F16", 2, .f16), ("BF16", 2, .bf16), ("F32", 4, .f32), ("F64", 8, .f64),
            ("F8_E4M3", 1, .f8e4m3), ("F8_E5M2", 1, .f8e5m2), ("F8_E8M0", 1, .f8e8m0),
        ]
        var entries: [String] = []
        var offset = 0
        for row in table {
            entries.append(#""t_\#(row.dtype)":{"dtype":"\#(row.dtype)","shape":[],"data_offsets":[\#(offset),\#(offset + row.bytes)]}"#)
            offset += row.bytes
        }
        let file = try SafetensorsFile(path: try write(header: "{" + entries.joined(separator: ",") + "}", data: Array(repeating: 1, count: offset)))
        for row in table {
            let t = try XCTUnwrap(file.tensor("t_\(row.dtype)"), row.dtype)
            XCTAssertEqual(t.elementType, row.type, row.dtype)
            XCTAssertEqual(t.dims, [], row.dtype)
            XCTAssertEqual(t.byteCount, row.bytes, row.dtype)
        }
    }

    func testDtypesWithoutAnElementTypeFailOnlyWhenRead() throws {
        let header = #"{"c":{"dtype":"C64","shape":[],"data_offsets":[0,8]},"q":{"dtype":"F8_E4M3FNUZ","shape":[2],"data_offsets":[8,10]},"#
            + #""f":{"dtype":"F4","shape":[2],"data_offsets":[10,11]},"s":{"dtype":"F6_E2M3","shape":[4],"data_offsets":[11,14]}}"#
        let path = try write(header: header, data: Array(repeating: 0, count: 14))
        let file = try SafetensorsFile(path: path)
        XCTAssertEqual(file.entries.count, 4)
        for (key, dtype) in [("c", "C64"), ("q", "F8_E4M3FNUZ"), ("f", "F4"), ("s", "F6_E2M3")] {
            XCTAssertThrowsError(try file.tensor(key)) { error in
                guard let e = error as? TorchScriptFrontendError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.kind, .badWeights)
                XCTAssertTrue(e.message.hasPrefix(path + ": "), e.message)
                XCTAssertTrue(e.message.contains("'\(key)'") && e.message.contains(dtype), e.message)
            }
        }
    }

    // MARK: - The file and the header length

    func testMissingFileAndDirectory() {
        assertBad(folder.appendingPathComponent("absent.safetensors").path, "No such file")
        assertBad(folder.path, "is a directory")
    }

    func testTruncatedLength() throws {
        assertBad(try writeRaw([]), "0 bytes is too short")
        assertBad(try writeRaw([2, 0, 0, 0, 0]), "5 bytes is too short")
    }

    func testHeaderLengthTooBig() throws {
        assertBad(try writeRaw(le64(100_000_001) + Array("{}".utf8)), "header length 100000001 is larger than the limit of 100000000")
        assertBad(try writeRaw(le64(UInt64.max) + Array("{}".utf8)), "header length 18446744073709551615 is larger than the limit")
    }

    func testHeaderLengthPastTheEnd() throws {
        assertBad(try writeRaw(le64(64) + Array("{}".utf8)), "header length 64 runs past the end of the file (10 bytes)")
        assertBad(try writeRaw(le64(3) + Array("{}".utf8)), "header length 3 runs past the end of the file (10 bytes)")
    }

    // MARK: - Header syntax

    func testNotJSON() throws {
        try assertBadHeader(#"{"a": }"#, "not valid JSON", "at byte 14")
        try assertBadHeader(#"{"a": {"dtype": "F32",}}"#, "not valid JSON")
        try assertBadHeader(#"{'a': 1}"#, "not valid JSON", "expected a string key")
        try assertBadHeader(#"{"a": 01}"#, "not valid JSON", "leading zero")
        try assertBadHeader(#"{"a": tru}"#, "not valid JSON")
        try assertBadHeader(#"{"a": "x"#, "not valid JSON", "unterminated string")
        try assertBadHeader("{\"a\u{01}\": 1}", "not valid JSON", "control character")
        try assertBadHeader(#"{"a\q": 1}"#, "not valid JSON", "invalid escape")
        try assertBadHeader(#"{"\ud800": 1}"#, "not valid JSON", "lone surrogate")
        try assertBadHeader(#"{"a": "#, "not valid JSON", "unexpected end of the header")
    }

    func testInvalidUTF8() throws {
        let path = try writeRaw(le64(8) + [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])  // {"\xFF\xFE":1}
        assertBad(path, "not valid UTF-8")
    }

    func testNotAnObject() throws {
        try assertBadHeader("[1, 2]", "not a JSON object")
        try assertBadHeader(" {}", "not a JSON object")
        try assertBadHeader(#""{}""#, "not a JSON object")
        try assertBadHeader("", "not a JSON object")
    }

    func testTrailingGarbage() throws {
        try assertBadHeader("{} x", "trailing bytes")
        try assertBadHeader("{}}", "trailing bytes")
        try assertBadHeader("{}\u{0}\u{0}", "trailing bytes")
    }

    func testDeepNestingIsRefused() throws {
        try assertBadHeader(#"{"a":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}", "nesting deeper")
    }

    func testDuplicateKeys() throws {
        let e = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        try assertBadHeader(#"{"a":\#(e),"a":\#(e)}"#, data: [0, 0, 0, 0], "duplicate key 'a'")
        try assertBadHeader(#"{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "duplicate key 'dtype'")
        try assertBadHeader(#"{"__metadata__":{"format":"pt","format":"np"}}"#, "duplicate key 'format'")
        try assertBadHeader(#"{"__metadata__":{},"__metadata__":{}}"#, "duplicate key '__metadata__'")
    }

    // MARK: - Header schema

    func testMetadataMustMapStringsToStrings() throws {
        try assertBadHeader(#"{"__metadata__":{"format":1}}"#, "__metadata__ value for 'format' is not a string")
        try assertBadHeader(#"{"__metadata__":{"inputs":["x"]}}"#, "__metadata__ value for 'inputs' is not a string")
        try assertBadHeader(#"{"__metadata__":"pt"}"#, "__metadata__ is not an object")
    }

    func testEntryFields() throws {
        try assertBadHeader(#"{"w":[1]}"#, "tensor 'w': the entry is not an object")
        try assertBadHeader(#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "tensor 'w': the entry has no dtype")
        try assertBadHeader(#"{"w":{"dtype":"F32","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "tensor 'w': the entry has no shape")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1]}}"#, data: [0, 0, 0, 0], "tensor 'w': the entry has no data_offsets")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"strides":[1]}}"#, data: [0, 0, 0, 0],
                            "tensor 'w': unexpected field 'strides'")
        try assertBadHeader(#"{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "tensor 'w': dtype is not a string")
    }

    func testBadDtype() throws {
        try assertBadHeader(#"{"w":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "tensor 'w': unknown dtype 'F33'")
        try assertBadHeader(#"{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "unknown dtype 'f32'")
    }

    func testBadShapes() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                            "tensor 'w': shape holds the negative value -1")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8),
                            "tensor 'w': shape holds the non-integer 2.0")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1e1],"data_offsets":[0,40]}}"#, data: Array(repeating: 0, count: 40), "non-integer 1e1")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":"1","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "tensor 'w': shape is not an array")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                            "tensor 'w': shape [4611686018427387904, 4] has too many elements")
        try assertBadHeader(#"{"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0],
                            "tensor 'w': shape [2305843009213693952] has too many elements")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0], "too large")
        try assertBadHeader(#"{"w":{"dtype":"F6_E3M2","shape":[1],"data_offsets":[0,1]}}"#, data: [0], "not a whole number of bytes")
    }

    func testDataOffsetsOfTheWrongType() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":"0,4"}}"#, data: [0, 0, 0, 0], "tensor 'w': data_offsets is not an array")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: [0, 0, 0, 0], "data_offsets has 1 numbers, not 2")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}"#, data: [0, 0, 0, 0], "data_offsets has 3 numbers, not 2")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,"4"]}}"#, data: [0, 0, 0, 0], "data_offsets holds a non-number")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0.0,4]}}"#, data: [0, 0, 0, 0], "data_offsets holds the non-integer 0.0")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}"#, data: [0, 0, 0, 0], "data_offsets holds the negative value -4")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551616]}}"#, data: [0, 0, 0, 0], "too large")
    }

    // MARK: - Data layout

    func testByteCountMismatch() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8),
                            "tensor 'w': data_offsets [0, 8] hold 8 bytes but F32 [3] needs 12")
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[],"data_offsets":[0,0]}}"#, "tensor 'w': data_offsets [0, 0] hold 0 bytes but F32 [] needs 4")
    }

    func testOffsetsRunningBackwards() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8),
                            "tensor 'w': data_offsets [8, 4] end before they begin")
    }

    func testOffsetsPastTheEnd() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0],
                            "tensor 'w': data_offsets [0, 8] run past the end of the data section (4 bytes)")
    }

    func testOffsetsOverlapping() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        try assertBadHeader(header, data: Array(repeating: 0, count: 12), "tensor 'b' (data_offsets [4, 12]) overlaps tensor 'a' ([0, 8])")
        let inside = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}"#
        try assertBadHeader(inside, data: Array(repeating: 0, count: 8), "tensor 'e' (data_offsets [4, 4]) overlaps tensor 'a'")
    }

    func testOffsetsWithHoles() throws {
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        try assertBadHeader(header, data: Array(repeating: 0, count: 12), "tensor 'b' starts at data offset 8, leaving a hole: tensor 'a' ends at 4")
    }

    func testOffsetsNotStartingAtZero() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Array(repeating: 0, count: 8),
                            "tensor 'w' starts at data offset 4, leaving a hole: the data must start at offset 0")
    }

    func testBytesAfterTheLastTensor() throws {
        try assertBadHeader(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 6),
                            "the data section has 6 bytes but the tensors cover 4 (2 bytes unaccounted for)")
        try assertBadHeader("{}", data: [1], "the data section has 1 bytes but the tensors cover 0")
    }

    func testEmptyTensorsMayShareABoundary() throws {
        let header = #"{"e1":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"#
            + #""e2":{"dtype":"I8","shape":[3,0],"data_offsets":[4,4]}}"#
        let file = try SafetensorsFile(path: try write(header: header, data: [0, 0, 0, 0]))
        XCTAssertEqual(file.entries.count, 3)
        XCTAssertEqual(try file.tensor("e2")?.dims, [3, 0])
    }
}
