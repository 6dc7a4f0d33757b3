import Foundation
import OVIR
import XCTest
@testable import Calibration

final class NPZArchiveTests: XCTestCase {
    static let npz = CalibrationTestData.root.appendingPathComponent("npz")

    private func read(_ name: String) throws -> [String: Tensor] {
        let archive = try NPZArchive(contentsOf: Self.npz.appendingPathComponent(name).path)
        return Dictionary(uniqueKeysWithValues: archive.arrays.map { ($0.name, $0.tensor) })
    }

    /// Tools/make_npz_fixtures.py: a = arange(6, f32).reshape(2, 3), b = [1, -2] i64, flag = [T, F, T],
    /// h = [0.5, -2] f16, scalar = 7 u8.
    private func checkFixtureArrays(_ arrays: [String: Tensor]) {
        XCTAssertEqual(arrays["a"], .f32([0, 1, 2, 3, 4, 5], dims: [2, 3]))
        XCTAssertEqual(arrays["b"], .i64([1, -2]))
        XCTAssertEqual(arrays["flag"], .boolean([true, false, true]))
        XCTAssertEqual(arrays["h"]?.elementType, .f16)
        XCTAssertEqual(arrays["h"]?.doubleValues(), [0.5, -2])
        XCTAssertEqual(arrays["scalar"], Tensor(.u8, dims: [], integers: [UInt8(7)]))
    }

    func testReadsNumpySavez() throws {
        let arrays = try read("savez.npz")
        XCTAssertEqual(arrays.keys.sorted(), ["a", "b", "flag", "h", "scalar"])
        checkFixtureArrays(arrays)
    }

    func testReadsNumpySavezCompressed() throws {
        checkFixtureArrays(try read("savez_compressed.npz"))
    }

    func testFortranOrderArraysComeBackRowMajor() throws {
        XCTAssertEqual(try read("fortran.npz")["m"], .f32([0, 1, 2, 3, 4, 5], dims: [2, 3]))
    }

    func testBigEndianAndStringArraysAreRefusedNamingTheEntry() {
        XCTAssertThrowsError(try read("bigendian.npz")) { error in
            XCTAssertTrue("\(error)".contains("bigendian.npz: x.npy: dtype '>f4' is big-endian"), "\(error)")
        }
        XCTAssertThrowsError(try read("strings.npz")) { error in
            XCTAssertTrue("\(error)".contains("s.npy: dtype '<U1' is not supported"), "\(error)")
        }
    }

    func testDamagedDataFailsTheCRCCheck() throws {
        var bytes = try [UInt8](Data(contentsOf: Self.npz.appendingPathComponent("savez.npz")))
        // The first entry (a.npy: a 128-byte .npy header, then 24 data bytes) starts after its local header
        // (30 bytes + name + extra); flip a byte of its data.
        let nameLength = Int(bytes[26]) | Int(bytes[27]) << 8, extraLength = Int(bytes[28]) | Int(bytes[29]) << 8
        bytes[30 + nameLength + extraLength + 130] ^= 0xFF
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("damaged-\(UUID().uuidString).npz")
        try Data(bytes).write(to: url)
        XCTAssertThrowsError(try NPZArchive(contentsOf: url.path)) { error in
            XCTAssertTrue("\(error)".contains("CRC mismatch"), "\(error)")
        }
    }

    func testNotAZipFileIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(UUID().uuidString).npz")
        try Data("just text, not a zip archive".utf8).write(to: url)
        XCTAssertThrowsError(try NPZArchive(contentsOf: url.path)) { error in
            XCTAssertTrue("\(error)".contains("no end-of-central-directory record"), "\(error)")
        }
    }

    func testWrittenArchiveReadsBackWithNamesOrderAndValues() throws {
        let arrays: [(name: String, tensor: Tensor)] = [
            ("out/0", .f32([1.5, -2], dims: [1, 2])),
            ("idx", .i64([3])),
            ("s", Tensor(.i8, dims: [], integers: [Int8(-1)])),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("written-\(UUID().uuidString).npz")
        try NPZArchive(arrays: arrays).write(to: url.path)
        let back = try NPZArchive(contentsOf: url.path).arrays
        XCTAssertEqual(back.map(\.name), ["out/0", "idx", "s"])
        XCTAssertEqual(back.map(\.tensor), arrays.map(\.tensor))
    }

    /// ml_dtypes arrays (Tools/make_npz_fixtures.py): bf = [1, -2.5] bfloat16 saved as '<V2';
    /// f8 = [0.5, -3] float8_e4m3fn and i4 = [-1, 7, -8] int4 saved as '<V1', one element per byte
    /// (retyped by the input they feed: InputFeedsTests).
    func testMLDtypesArraysAreReadAsBF16OrUntypedBytes() throws {
        let archive = try NPZArchive(contentsOf: Self.npz.appendingPathComponent("ml_dtypes.npz").path)
        let arrays = Dictionary(uniqueKeysWithValues: archive.arrays.map { ($0.name, $0.tensor) })
        // bfloat16 1.0 = 0x3F80, -2.5 = 0xC020 (little-endian bytes)
        XCTAssertEqual(arrays["bf"], Tensor(.bf16, dims: [2], bytes: [0x80, 0x3F, 0x20, 0xC0]))
        XCTAssertEqual(archive.untyped, ["f8", "i4"])
        // e4m3: 0.5 = 0 0110 000 = 0x30, -3 = 1 1000 100 = 0xC4; int4 -1, 7, -8 one per byte
        XCTAssertEqual(arrays["f8"], Tensor(.u8, dims: [2], bytes: [0x30, 0xC4]))
        XCTAssertEqual(arrays["i4"], Tensor(.u8, dims: [3], bytes: [0x0F, 0x07, 0x08]))
    }

    /// The inputs with which the npz fuzz target (Tools/fuzz/npz.swift) crashed the reader or made it allocate past
    /// the fuzzers' limit (testdata/fuzz/npz/), each with a part of the error it must now be refused with.
    static let fuzzFindings: [String: String] = [
        // A deflated entry whose header claims 1.3 GB: allocated up front, before inflating its 85 bytes.
        "deflated_entry_claims_1_3_gb.npz": "says 1347092738 bytes, more than its 85 deflated bytes can hold",
        // A ZIP64 end-of-central-directory locator pointing at offset ~2^63: adding the record's size overflowed.
        "zip64_end_record_offset_overflows.npz": "bad ZIP64 end-of-central-directory record",
    ]

    func testFuzzFindingsAreRefusedWithAnError() throws {
        let folder = CalibrationTestData.root.appendingPathComponent("fuzz/npz")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(names, Self.fuzzFindings.keys.sorted(), "every file of testdata/fuzz/npz has an expected message here")
        for name in names {
            XCTAssertThrowsError(try NPZArchive(contentsOf: folder.appendingPathComponent(name).path), name) { error in
                XCTAssertTrue("\(error)".contains(Self.fuzzFindings[name] ?? "?"), "\(name): \(error)")
            }
        }
    }
}
