import XCTest
@testable import OVIR

final class ScatterOpsTests: XCTestCase {
    func testScatterUpdateOfAKnownVectorReplacesElements() {
        // zeros(4) with [-1] <- [?]: [0, 0, 0, ?]
        let zeros = InferenceInput(TensorType(.i64, .fixed([4])), constant: .i64([0, 0, 0, 0]))
        let indices = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([-1]))
        let updates = InferenceInput(TensorType(.i64, .fixed([1])), value: [.dynamic])
        let axis = InferenceInput(TensorType(.i64, .scalar), constant: .scalar(i64: 0))
        XCTAssertEqual(ScatterUpdate().inferValue([zeros, indices, updates, axis]), [.fixed(0), .fixed(0), .fixed(0), .dynamic])
    }
}
