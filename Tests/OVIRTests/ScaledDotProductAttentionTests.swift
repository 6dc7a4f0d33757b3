import XCTest
@testable import OVIR

/// ScaledDotProductAttention-13's shape rules, as OpenVINO's shape_infer states them: rank 3 or more, batch dims
/// broadcast across query, key, value and mask, output [batch, L, Ev].
final class ScaledDotProductAttentionTests: XCTestCase {
    private func infer(_ shapes: [Shape], causal: Bool = false, mask: ElementType = .f32) throws -> TensorType {
        let inputs = shapes.enumerated().map { k, s in InferenceInput(TensorType(k == 3 ? mask : .f32, s)) }
        return try ScaledDotProductAttention(causal: causal).inferTypes(inputs)[0]
    }

    func testOutputIsBatchByLByEv() throws {
        XCTAssertEqual(try infer([.fixed([1, 2, 3, 4]), .fixed([1, 2, 5, 4]), .fixed([1, 2, 5, 6])]), TensorType(.f32, .fixed([1, 2, 3, 6])))
        // The spec's example 3: batch dims broadcast (1,6,5), (2,2,2)... here (1,6,5), (4,1,5), (4,6,1) -> (4,6,5).
        XCTAssertEqual(try infer([.fixed([1, 6, 5, 3, 8]), .fixed([4, 1, 5, 7, 8]), .fixed([4, 6, 1, 7, 2]),
                                  .fixed([1, 1, 3, 7]), .scalar]).shape, .fixed([4, 6, 5, 3, 2]))
        XCTAssertEqual(try infer([.ranked([.fixed(1), .dynamic, .fixed(80)]), .ranked([.fixed(1), .dynamic, .fixed(80)]),
                                  .ranked([.fixed(1), .dynamic, .fixed(80)])]).shape, .ranked([.fixed(1), .dynamic, .fixed(80)]))
        XCTAssertEqual(try infer([.dynamicRank, .fixed([1, 5, 4]), .fixed([1, 5, 6])]).shape, .dynamicRank)
    }

    func testMaskForms() throws {
        let qkv: [Shape] = [.fixed([2, 3, 4]), .fixed([2, 5, 4]), .fixed([2, 5, 6])]
        // [L or 1, S] rows, a scalar zero, a boolean mask; a causal op ignores the mask's shape.
        for mask in [Shape.fixed([1, 3, 5]), .fixed([2, 1, 5]), .fixed([3, 5]), .scalar] {
            XCTAssertEqual(try infer(qkv + [mask]).shape, .fixed([2, 3, 6]), "\(mask)")
        }
        XCTAssertEqual(try infer(qkv + [.fixed([2, 3, 5])], mask: .boolean).shape, .fixed([2, 3, 6]))
        XCTAssertEqual(try infer(qkv + [.fixed([7])], causal: true).shape, .fixed([2, 3, 6]))
        XCTAssertThrowsError(try infer(qkv + [.fixed([2, 3, 4])]))
        XCTAssertThrowsError(try infer(qkv + [.fixed([5])]))
    }

    func testRankAndDimMismatchesThrow() {
        XCTAssertThrowsError(try infer([.fixed([3, 4]), .fixed([5, 4]), .fixed([5, 6])]))
        XCTAssertThrowsError(try infer([.fixed([1, 3, 4]), .fixed([1, 5, 3]), .fixed([1, 5, 6])]))
        XCTAssertThrowsError(try infer([.fixed([1, 3, 4]), .fixed([1, 5, 4]), .fixed([1, 6, 6])]))
        XCTAssertThrowsError(try infer([.fixed([2, 3, 4]), .fixed([3, 5, 4]), .fixed([1, 5, 6])]))
        XCTAssertThrowsError(try infer([.fixed([1, 3, 4]), .fixed([1, 5, 4]), .fixed([1, 5, 6]), .scalar, .fixed([2])]))
    }
}
