import XCTest
@testable import OVIR

final class TopKTests: XCTestCase {
    func testConstantKAndIndexType() throws {
        let op = TopK(axis: -1, mode: .max, sort: .value, indexElementType: .i64)
        let out = try op.inferTypes([InferenceInput(TensorType(.f32, .fixed([3, 4]))),
                                     InferenceInput(TensorType(.i64, .scalar), constant: .scalar(i64: 2))])
        XCTAssertEqual(out, [TensorType(.f32, .fixed([3, 2])), TensorType(.i64, .fixed([3, 2]))])
    }

    func testUnknownKKeepsRank() throws {
        let out = try TopK(axis: 0, mode: .min, sort: .none).inferTypes(
            [InferenceInput(TensorType(.f32, .fixed([3, 4]))), InferenceInput(TensorType(.i64, .scalar))])
        XCTAssertEqual(out[0].shape.rank, 2)
        XCTAssertEqual(out[0].shape.dims?[1], .fixed(4))
        XCTAssertEqual(out[1].elementType, .i32)
    }

    func testConstantKOverADynamicAxis() throws {
        let k = InferenceInput(TensorType(.i64, .scalar), constant: .scalar(i64: 2))
        // Unbounded axis: k, as OpenVINO infers it; bounded 1..5: min(1, 2)..min(5, 2) = 1..2
        let unbounded = try TopK(axis: 0, mode: .max, sort: .none).inferTypes([InferenceInput(TensorType(.f32, .ranked([.dynamic]))), k])
        XCTAssertEqual(unbounded[0].shape, .fixed([2]))
        let bounded = try TopK(axis: 0, mode: .max, sort: .none).inferTypes([InferenceInput(TensorType(.f32, .ranked([Dim(lower: 1, upper: 5)]))), k])
        XCTAssertEqual(bounded[0].shape, .ranked([Dim(lower: 1, upper: 2)]))
    }

    func testNonScalarKThrows() {
        XCTAssertThrowsError(try TopK().inferTypes([InferenceInput(TensorType(.f32, .fixed([3]))),
                                                    InferenceInput(TensorType(.i64, .fixed([1])))]))
    }
}
