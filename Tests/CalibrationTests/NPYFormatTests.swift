import OVIR
import XCTest
@testable import Calibration

final class NPYFormatTests: XCTestCase {
    func testEncodedHeaderIsNumpysAndDataIs64ByteAligned() throws {
        let bytes = try NPYFormat.encode(.f32([1, 2, 3]))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        XCTAssertEqual((10 + headerLength) % 64, 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), header)
        XCTAssertTrue(header.hasSuffix("\n"))
        XCTAssertEqual(bytes.count, 10 + headerLength + 12)
    }

    func testScalarAndMatrixShapesRoundTrip() throws {
        for tensor in [Tensor.scalar(f32: 2.5), .i64([1, 2, 3, 4, 5, 6], dims: [2, 3]), .boolean([], dims: [0, 4])] {
            XCTAssertEqual(try NPYFormat.decode(NPYFormat.encode(tensor), name: "t.npy"), tensor)
        }
    }

    func testHeaderVariantsNumpyMayWrite() throws {
        // Double quotes, keys in another order, no trailing comma, extra spaces.
        let header = NPYHeader.self
        let h = try header.init(parsing: "{\"shape\": ( 2 , 3 ), \"fortran_order\": False, \"descr\": \"<i4\"}")
        XCTAssertEqual(h.shape, [2, 3])
        XCTAssertEqual(h.descr, "<i4")
        XCTAssertFalse(h.fortranOrder)
        XCTAssertThrowsError(try header.init(parsing: "{'descr': '<f4', 'shape': (2,), }"))  // no fortran_order
    }

    func testDataSizeMustMatchTheShape() throws {
        var bytes = try NPYFormat.encode(.f32([1, 2, 3]))
        bytes.removeLast()
        XCTAssertThrowsError(try NPYFormat.decode(bytes, name: "x.npy")) { error in
            XCTAssertTrue("\(error)".contains("x.npy: holds 11 data bytes, shape [3] of <f4 needs 12"), "\(error)")
        }
    }
}
