import XCTest
@testable import OVIR

final class GatherTests: XCTestCase {
    private func infer(_ data: Shape, _ indices: Shape, axis: Int?, batchDims: Int = 0) throws -> Shape {
        let inputs = [InferenceInput(TensorType(.f32, data)), InferenceInput(TensorType(.i64, indices)),
                      InferenceInput(TensorType(.i64, .fixed([])), constant: axis.map { .scalar(i64: $0) })]
        return try Gather(batchDims: batchDims).inferTypes(inputs)[0].shape
    }

    func testIndicesReplaceTheAxis() throws {
        XCTAssertEqual(try infer(.fixed([4, 5, 6]), .fixed([2, 3]), axis: 1), .fixed([4, 2, 3, 6]))
        XCTAssertEqual(try infer(.fixed([4, 5, 6]), .fixed([]), axis: -1), .fixed([4, 5]))
        XCTAssertEqual(try infer(.fixed([4, 5, 6]), .fixed([2]), axis: nil), .dynamic(rank: 3))
    }

    /// Found while fixing the onnx fuzz target's Squeeze finding: a scalar data with scalar indices and an axis
    /// of unknown value made a shape of rank -1.
    func testScalarDataThrows() {
        XCTAssertThrowsError(try infer(.fixed([]), .fixed([]), axis: nil)) { error in
            XCTAssertTrue("\(error)".contains("cannot gather from a scalar"), "\(error)")
        }
    }
}
