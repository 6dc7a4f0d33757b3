import Foundation
import OVIR
import XCTest
@testable import OVConvertKit
import Calibration

final class InputFeedsTests: XCTestCase {
    /// ml_dtypes arrays of testdata/npz/ml_dtypes.npz (Tools/make_npz_fixtures.py): f8 = [0.5, -3] float8_e4m3fn
    /// and i4 = [-1, 7, -8] int4, saved as '<V1' one element per byte, take the type of the input they feed.
    func testUntypedArraysAreRetypedByTheInput() throws {
        let path = ConverterTests.testdata.appendingPathComponent("npz/ml_dtypes.npz").path
        let arrays = Dictionary(uniqueKeysWithValues: try NPZArchive(contentsOf: path).arrays.map { ($0.name, $0.tensor) })
        // e4m3: 0.5 = 0 0110 000 = 0x30, -3 = 1 1000 100 = 0xC4
        XCTAssertEqual(InputFeeds.retype(arrays["f8"]!, as: .f8e4m3), Tensor(.f8e4m3, dims: [2], bytes: [0x30, 0xC4]))
        // int4 nibbles F, 7, 8 packed first-in-low-half: 0x7F, 0x08
        XCTAssertEqual(InputFeeds.retype(arrays["i4"]!, as: .i4), Tensor(.i4, dims: [3], bytes: [0x7F, 0x08]))
        XCTAssertNil(InputFeeds.retype(arrays["i4"]!, as: .f32), "only types NumPy lacks are retyped")
    }
}
