import XCTest
import OVIR
@testable import Evaluator

final class MatMulTests: XCTestCase {
    func testTwoByThreeTimesThreeByTwoByHand() throws {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
        let a = Tensor.f32([1, 2, 3, 4, 5, 6], dims: [2, 3]), b = Tensor.f32([7, 8, 9, 10, 11, 12], dims: [3, 2])
        let y = try evaluate(MatMul(), [a, b])[0]
        XCTAssertEqual(y.dims, [2, 2])
        XCTAssertEqual(floats(y), [58, 64, 139, 154])
        // Aᵀ given as [3,2] with transpose_a, Bᵀ given as [2,3] with transpose_b: same product.
        var op = MatMul()
        op.transposeA = true
        op.transposeB = true
        let at = Tensor.f32([1, 4, 2, 5, 3, 6], dims: [3, 2]), bt = Tensor.f32([7, 9, 11, 8, 10, 12], dims: [2, 3])
        XCTAssertEqual(floats(try evaluate(op, [at, bt])[0]), [58, 64, 139, 154])
    }

    func testBatchBroadcastAndVectors() throws {
        // A [2,1,2,2] batches against B [3,2,2]: output [2,3,2,2], item (i,j) = A_i · B_j.
        let a = iota([2, 1, 2, 2], offset: 1), b = iota([3, 2, 2], scale: -1)
        let y = try evaluate(MatMul(), [a, b])[0]
        XCTAssertEqual(y.dims, [2, 3, 2, 2])
        let av = a.elements(Float.self), bv = b.elements(Float.self)
        var expected: [Float] = []
        for i in 0..<2 { for j in 0..<3 { for r in 0..<2 { for c in 0..<2 {
            expected.append((0..<2).reduce(0) { $0 + av[i * 4 + r * 2 + $1] * bv[j * 4 + $1 * 2 + c] })
        } } } }
        XCTAssertEqual(floats(y), expected)
        // vector · matrix and matrix · vector drop the promoted axis
        let v = try evaluate(MatMul(), [.f32([1, 2]), .f32([1, 2, 3, 4], dims: [2, 2])])[0]
        XCTAssertEqual(v.dims, [2])
        XCTAssertEqual(floats(v), [7, 10])
        let w = try evaluate(MatMul(), [.f32([1, 2, 3, 4], dims: [2, 2]), .f32([1, 2])])[0]
        XCTAssertEqual(w.dims, [2])
        XCTAssertEqual(floats(w), [5, 11])
    }

    func testIntegersByHandTransposedAndWrapping() throws {
        // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]], also with both transposes
        let y = try evaluate(MatMul(), [.i32([1, 2, 3, 4, 5, 6], dims: [2, 3]), .i32([7, 8, 9, 10, 11, 12], dims: [3, 2])])[0]
        XCTAssertEqual(y.elementType, .i32)
        XCTAssertEqual(y.intValues(), [58, 64, 139, 154])
        var op = MatMul()
        op.transposeA = true
        op.transposeB = true
        let t = try evaluate(op, [.i64([1, 4, 2, 5, 3, 6], dims: [3, 2]), .i64([7, 9, 11, 8, 10, 12], dims: [2, 3])])[0]
        XCTAssertEqual(t.intValues(), [58, 64, 139, 154])
        // u8: 16 · 16 + 1 · 1 = 257 wraps to 1
        let u = try evaluate(MatMul(), [Tensor(.u8, dims: [1, 2], bytes: [16, 1]), Tensor(.u8, dims: [2, 1], bytes: [16, 1])])[0]
        XCTAssertEqual(u.intValues(), [1])
    }

    /// A product large enough to be split across the cores by columns (GEMM.swift), both with B as given and
    /// transposed: every element against a plain triple loop over small integers (exact in f32).
    func testLargeProductSplitByColumnsMatchesThePlainLoop() throws {
        let (m, k, n) = (64, 256, 260)
        let av = (0..<(m * k)).map { Float($0 % 7) - 3 }, bv = (0..<(k * n)).map { Float($0 % 5) - 2 }
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += av[i * k + p] * bv[p * n + j] } } }
        XCTAssertEqual(floats(try evaluate(MatMul(), [.f32(av, dims: [m, k]), .f32(bv, dims: [k, n])])[0]), expected)
        var bt = [Float](repeating: 0, count: k * n)
        for p in 0..<k { for j in 0..<n { bt[j * k + p] = bv[p * n + j] } }
        var op = MatMul()
        op.transposeB = true
        XCTAssertEqual(floats(try evaluate(op, [.f32(av, dims: [m, k]), .f32(bt, dims: [n, k])])[0]), expected)
    }
}
