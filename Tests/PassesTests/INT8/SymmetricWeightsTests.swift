import XCTest
@testable import Passes

final class SymmetricWeightsTests: XCTestCase {
    // [3, 3] per row: row 0 [63.5, -127, 0.5], max 127 -> scale 1, q [64 (half to even), -127, 0 (half to even)];
    // row 1 all zero -> scale 1, q 0; row 2 [1, -0.6, 0.3] -> scale 1/127, q [127, -76.2 -> -76, 38.1 -> 38].
    func testPerRowScalesRoundHalfToEvenWithinNarrowRange() {
        let w = SymmetricWeights(weights: [63.5, -127, 0.5, 0, 0, 0, 1, -0.6, 0.3], dims: [3, 3], channelAxes: 1)
        XCTAssertEqual(w.scales, [1, 1, Float(1) / 127])
        XCTAssertEqual(w.values, [64, -127, 0, 0, 0, 0, 127, -76, 38])
    }

    // [2, 2] per column: column 0 [2, -1.2] -> 2/127, q [127, -76.2 -> -76]; column 1 [0.13, 0.2] -> 0.2/127, q [82.55 -> 83, 127].
    func testPerColumnScales() {
        let w = SymmetricWeights(weights: [2, 0.13, -1.2, 0.2], dims: [2, 2], channelAxes: 0, columns: true)
        XCTAssertEqual(w.scales, [Float(2) / 127, Float(0.2) / 127])
        XCTAssertEqual(w.values, [127, 83, -76, 127])
    }
}
