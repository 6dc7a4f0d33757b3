import XCTest
@testable import OVIR

final class ShapeWideningTests: XCTestCase {
    func testDimsThatDifferBecomeDynamicAndRanksThatDifferADynamicRank() {
        XCTAssertEqual(Shape.fixed([1, 4]).widened(toFit: .fixed([2, 4])), .ranked([.dynamic, .fixed(4)]))
        XCTAssertEqual(Shape.fixed([3]).widened(toFit: .fixed([3])), .fixed([3]))
        XCTAssertEqual(Shape.fixed([3]).widened(toFit: .fixed([3, 1])), .dynamicRank)
        XCTAssertEqual(Shape.dynamicRank.widened(toFit: .fixed([3])), .dynamicRank)
    }
}
