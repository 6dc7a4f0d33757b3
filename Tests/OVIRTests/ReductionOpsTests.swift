import XCTest
@testable import OVIR

final class ReductionOpsTests: XCTestCase {
    private func infer<O: ReductionOp>(_ op: O, _ data: Shape, axes: [Int]?) throws -> TensorType {
        let axesInput = axes.map { InferenceInput(TensorType(.i64, .fixed([$0.count])), constant: .i64($0)) }
            ?? InferenceInput(TensorType(.i64, .fixed([1])))
        return try op.inferTypes([InferenceInput(TensorType(.f32, data)), axesInput])[0]
    }

    func testConstantAxes() throws {
        XCTAssertEqual(try infer(ReduceSum(keepDims: false), .fixed([2, 3, 4]), axes: [-1, 0]).shape, .fixed([3]))
        XCTAssertEqual(try infer(ReduceMean(keepDims: true), .fixed([2, 3, 4]), axes: [1]).shape, .fixed([2, 1, 4]))
        XCTAssertEqual(try infer(ReduceMax(keepDims: false), .fixed([2, 3]), axes: []).shape, .fixed([2, 3]))
    }

    func testUnknownAxes() throws {
        XCTAssertEqual(try infer(ReduceSum(keepDims: true), .fixed([2, 3]), axes: nil).shape, .dynamic(rank: 2))
        XCTAssertEqual(try infer(ReduceSum(keepDims: false), .fixed([2, 3]), axes: nil).shape, .dynamicRank)
    }

    func testLogicalReductionIsBoolean() throws {
        XCTAssertEqual(try infer(ReduceLogicalOr(keepDims: false), .fixed([2, 3]), axes: [0]), TensorType(.boolean, .fixed([3])))
    }

    func testAxisOutOfRangeThrows() {
        XCTAssertThrowsError(try infer(ReduceSum(), .fixed([2, 3]), axes: [2]))
    }
}
