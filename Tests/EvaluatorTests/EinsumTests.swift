import XCTest
import OVIR
@testable import Evaluator

final class EinsumTests: XCTestCase {
    private func einsum(_ equation: String, _ inputs: [Tensor]) throws -> Tensor {
        try evaluate(Einsum(equation: equation), inputs)[0]
    }

    func testMatMulOuterAndDot() throws {
        let a = Tensor.f32([1, 2, 3, 4], dims: [2, 2]), b = Tensor.f32([5, 6, 7, 8], dims: [2, 2])
        let mm = try einsum("ij,jk->ik", [a, b])
        XCTAssertEqual(mm.dims, [2, 2])
        XCTAssertEqual(floats(mm), [19, 22, 43, 50])  // [1·5+2·7, 1·6+2·8, 3·5+4·7, 3·6+4·8]
        let outer = try einsum("i,j->ij", [.f32([1, 2]), .f32([3, 4, 5])])
        XCTAssertEqual(outer.dims, [2, 3])
        XCTAssertEqual(floats(outer), [3, 4, 5, 6, 8, 10])
        // implicit output: "i,i" has no label used once, so a scalar 1·3 + 2·4
        let dot = try einsum("i,i", [.f32([1, 2]), .f32([3, 4])])
        XCTAssertEqual(dot.dims, [])
        XCTAssertEqual(floats(dot), [11])
    }

    func testTraceDiagonalSumAndImplicitTranspose() throws {
        let a = Tensor.f32([1, 2, 3, 4], dims: [2, 2])
        XCTAssertEqual(floats(try einsum("ii", [a])), [5])
        XCTAssertEqual(floats(try einsum("ii->i", [a])), [1, 4])
        XCTAssertEqual(floats(try einsum("ij->", [a])), [10])
        XCTAssertEqual(floats(try einsum("ij->j", [a])), [4, 6])
        // "ji" implicitly outputs "ij": the transpose
        let t = try einsum("ji", [.f32([1, 2, 3, 4, 5, 6], dims: [2, 3])])
        XCTAssertEqual(t.dims, [3, 2])
        XCTAssertEqual(floats(t), [1, 4, 2, 5, 3, 6])
    }

    func testEllipsisBroadcasts() throws {
        // batch of two [1,2] rows times one [2,1] column shared by the batch: [[1·1+2·1]], [[3+4]]
        let y = try einsum("...ij,...jk->...ik", [.f32([1, 2, 3, 4], dims: [2, 1, 2]), .f32([1, 1], dims: [2, 1])])
        XCTAssertEqual(y.dims, [2, 1, 1])
        XCTAssertEqual(floats(y), [3, 7])
        // the same with the column's ellipsis dim 1, broadcast against the batch of two
        let w = try einsum("...ij,...jk->...ik", [.f32([1, 2, 3, 4], dims: [2, 1, 2]), .f32([1, 1], dims: [1, 2, 1])])
        XCTAssertEqual(floats(w), [3, 7])
        // each row of a [3,2] dotted with [1,-1]; the ellipsis dim is kept
        let z = try einsum("...j,j->...", [.f32([1, 2, 3, 4, 5, 6], dims: [3, 2]), .f32([1, -1])])
        XCTAssertEqual(z.dims, [3])
        XCTAssertEqual(floats(z), [-1, -1, -1])
    }
}
