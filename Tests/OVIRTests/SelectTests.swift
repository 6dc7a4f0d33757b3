import XCTest
@testable import OVIR

final class SelectTests: XCTestCase {
    func testAKnownConditionPicksTheKnownBranchValue() {
        // interleave = (kv_heads % kv_heads == 0 && false) ? heads / kv_heads : 1 -> 1
        let three = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([3]))
        let zero = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([0]))
        let remainder = InferenceInput(TensorType(.i64, .fixed([1])), value: FloorMod().inferValue([three, three]))
        XCTAssertEqual(remainder.value, [.fixed(0)])
        let divisible = InferenceInput(TensorType(.boolean, .fixed([1])), value: Equal().inferValue([remainder, zero]))
        XCTAssertEqual(divisible.value, [.fixed(1)])
        let no = InferenceInput(TensorType(.boolean, .fixed([1])), constant: .boolean([false]))
        let cond = InferenceInput(TensorType(.boolean, .fixed([1])), value: LogicalAnd().inferValue([no, divisible]))
        XCTAssertEqual(cond.value, [.fixed(0)])
        let one = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([1]))
        XCTAssertEqual(Select().inferValue([cond, three, one]), [.fixed(1)])
        // An unknown condition gives nothing.
        let unknown = InferenceInput(TensorType(.boolean, .fixed([1])))
        XCTAssertNil(Select().inferValue([unknown, three, one]))
    }
}
