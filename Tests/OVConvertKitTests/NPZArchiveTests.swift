import Foundation
import OVIR
import XCTest
@testable import OVConvertKit

final class NPZArchiveTests: XCTestCase {
    static let npz = ConverterTests.testdata.appendingPathComponent("npz")

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
}
