import XCTest
@testable import Passes

final class SymbolicDimTests: XCTestCase {
    private let b = SymbolicDim.symbol(1), h = SymbolicDim.symbol(2)

    /// 2·b × 3·h = 6·b·h (symbols sorted), and a static product is a static size.
    func testProductsMultiplyCoefficientsAndCollectSymbols() {
        let p = SymbolicDim(coefficient: 2, symbols: [2]) * SymbolicDim(coefficient: 3, symbols: [1])
        XCTAssertEqual(p, SymbolicDim(coefficient: 6, symbols: [1, 2]))
        XCTAssertNil(p?.value)
        XCTAssertEqual(SymbolicDim.product([.fixed(4), .fixed(5)])?.value, 20)
        XCTAssertEqual(SymbolicDim.product([]), .fixed(1))
        XCTAssertNil(SymbolicDim.fixed(Int.max) * .fixed(2))
    }

    /// b·400·384 / (b·6·64) = 400; a symbol or factor the dividend lacks, or an inexact quotient, gives nil.
    func testDivisionIsExactOrNothing() {
        let total = SymbolicDim.product([b, .fixed(400), .fixed(384)])!
        XCTAssertEqual(total.divided(by: SymbolicDim.product([b, .fixed(6), .fixed(64)])!), .fixed(400))
        XCTAssertEqual(total.divided(by: .fixed(400)), SymbolicDim(coefficient: 384, symbols: [1]))
        XCTAssertNil(total.divided(by: h))
        XCTAssertNil(total.divided(by: .fixed(7)))
        XCTAssertNil(SymbolicDim.fixed(4).divided(by: .fixed(0)))
        // b·b / b = b
        XCTAssertEqual((b * b)!.divided(by: b), b)
    }

    /// A size times a negative number is no size: nil. Times 0 it is 0; Int.min / -1 overflows: nil.
    func testNoNegativeSizes() {
        XCTAssertNil(b * .fixed(-1))
        XCTAssertEqual(b * .fixed(0), .fixed(0))
        XCTAssertEqual(SymbolicDim.fixed(-2) * .fixed(3), .fixed(-6))
        XCTAssertNil(SymbolicDim(coefficient: 4, symbols: [1]).divided(by: .fixed(-2)))
        XCTAssertNil(SymbolicDim.fixed(.min).divided(by: .fixed(-1)))
    }

    func testDescription() {
        XCTAssertEqual(SymbolicDim(coefficient: 3, symbols: [1, 2]).description, "3*s1*s2")
        XCTAssertEqual(b.description, "s1")
        XCTAssertEqual(SymbolicDim.fixed(7).description, "7")
    }
}
