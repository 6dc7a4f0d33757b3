import XCTest
@testable import OVIR

final class MatMulTests: XCTestCase {
    private func infer(_ op: MatMul, _ a: Shape, _ b: Shape) throws -> Shape {
        try op.inferTypes([InferenceInput(TensorType(.f32, a)), InferenceInput(TensorType(.f32, b))])[0].shape
    }

    func testBatchBroadcastAndTranspose() throws {
        XCTAssertEqual(try infer(MatMul(), .fixed([2, 1, 3, 4]), .fixed([5, 4, 6])), .fixed([2, 5, 3, 6]))
        XCTAssertEqual(try infer(MatMul(transposeA: true, transposeB: true), .fixed([4, 3]), .fixed([6, 4])), .fixed([3, 6]))
    }

    func testOneDimensionalOperands() throws {
        XCTAssertEqual(try infer(MatMul(), .fixed([4]), .fixed([2, 4, 6])), .fixed([2, 6]))
        XCTAssertEqual(try infer(MatMul(), .fixed([3, 3, 4]), .fixed([4])), .fixed([3, 3]))
        XCTAssertEqual(try infer(MatMul(), .fixed([4]), .fixed([4])), .scalar)
        // Transposes do not apply to 1-D operands.
        XCTAssertEqual(try infer(MatMul(transposeA: true), .fixed([4]), .fixed([4, 2])), .fixed([2]))
    }

    func testDynamicDims() throws {
        XCTAssertEqual(try infer(MatMul(), .ranked([.dynamic, .fixed(3), .dynamic]), .fixed([7, 2])),
                       .ranked([.dynamic, .fixed(3), .fixed(2)]))
        XCTAssertEqual(try infer(MatMul(), .dynamicRank, .fixed([7, 2])), .dynamicRank)
    }

    func testMismatchedInnerDimensionThrows() {
        XCTAssertThrowsError(try infer(MatMul(), .fixed([3, 4]), .fixed([5, 6])))
    }
}
