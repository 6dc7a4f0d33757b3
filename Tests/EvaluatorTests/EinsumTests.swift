import XCTest
import OVIR
@testable import Evaluator

final class EinsumTests: XCTestCase {
    func testMatMulTransposeAndInnerProductByHand() throws {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        let a = Tensor.f32([1, 2, 3, 4, 5, 6], dims: [2, 3]), b = Tensor.f32([7, 8, 9, 10, 11, 12], dims: [3, 2])
        let y = try evaluate(Einsum(equation: "ij,jk->ik"), [a, b])[0]
        XCTAssertEqual(y.dims, [2, 2])
        XCTAssertEqual(floats(y), [58, 64, 139, 154])
        XCTAssertEqual(floats(try evaluate(Einsum(equation: "ij->ji"), [a])[0]), [1, 4, 2, 5, 3, 6])
        // implicit output: i appears twice, so 1·4 + 2·5 + 3·6 = 32 is a scalar
        let dot = try evaluate(Einsum(equation: "i,i"), [.f32([1, 2, 3]), .f32([4, 5, 6])])[0]
        XCTAssertEqual(dot.dims, [])
        XCTAssertEqual(floats(dot), [32])
        // implicit output of "ij" keeps i and j in alphabetical order; "ji" transposes
        XCTAssertEqual(floats(try evaluate(Einsum(equation: "ji"), [a])[0]), [1, 4, 2, 5, 3, 6])
    }

    func testDiagonalTraceAndSum() throws {
        let m = Tensor.f32([1, 2, 3, 4], dims: [2, 2])
        XCTAssertEqual(floats(try evaluate(Einsum(equation: "ii->i"), [m])[0]), [1, 4])
        XCTAssertEqual(floats(try evaluate(Einsum(equation: "ii"), [m])[0]), [5])
        // row sums 3, 7
        XCTAssertEqual(floats(try evaluate(Einsum(equation: "ij->i"), [m])[0]), [3, 7])
    }

    func testBatchAndEllipsisBroadcast() throws {
        // batch 0: [1,2]·[[1,0],[0,1]] = [1,2]; batch 1: [3,4]·[[0,1],[1,0]] = [4,3]
        let a = Tensor.f32([1, 2, 3, 4], dims: [2, 1, 2]), b = Tensor.f32([1, 0, 0, 1, 0, 1, 1, 0], dims: [2, 2, 2])
        XCTAssertEqual(floats(try evaluate(Einsum(equation: "bij,bjk->bik"), [a, b])[0]), [1, 2, 4, 3])
        // "...i,...i->...": rows [1,2,3] and [4,5,6] each dotted with [1,1,2]: 9 and 21
        let rows = Tensor.f32([1, 2, 3, 4, 5, 6], dims: [2, 3])
        let y = try evaluate(Einsum(equation: "...i,...i->..."), [rows, .f32([1, 1, 2])])[0]
        XCTAssertEqual(y.dims, [2])
        XCTAssertEqual(floats(y), [9, 21])
    }

    func testIntegersAndF64() throws {
        let y = try evaluate(Einsum(equation: "ij,jk->ik"), [.i32([1, 2, 3, 4, 5, 6], dims: [2, 3]), .i32([7, 8, 9, 10, 11, 12], dims: [3, 2])])[0]
        XCTAssertEqual(y.elementType, .i32)
        XCTAssertEqual(y.intValues(), [58, 64, 139, 154])
        // f64 sums in Double: 0.1 · 1 + 0.2 · 1 = 0.30000000000000004
        let d = try evaluate(Einsum(equation: "i,i"), [Tensor(.f64, dims: [2], values: [0.1, 0.2]), Tensor(.f64, dims: [2], values: [1.0, 1.0])])[0]
        XCTAssertEqual(d.elementType, .f64)
        XCTAssertEqual(d.elements(Double.self), [0.30000000000000004])
    }
}
