import XCTest
@testable import OVIR

final class SqueezeTests: XCTestCase {
    private func infer(_ shapes: [Shape], axes: [Int]? = nil) throws -> Shape {
        var inputs = [InferenceInput(TensorType(.f32, shapes[0]))]
        if shapes.count > 1 {
            inputs.append(InferenceInput(TensorType(.i64, shapes[1]), constant: axes.map { .i64($0) }))
        }
        return try Squeeze().inferTypes(inputs)[0].shape
    }

    func testKnownAxes() throws {
        XCTAssertEqual(try infer([.fixed([1, 3, 1, 2]), .fixed([1])], axes: [-2]), .fixed([1, 3, 2]))
        XCTAssertThrowsError(try infer([.fixed([1, 3]), .fixed([1])], axes: [1]))
    }

    func testAxesOfUnknownValueGiveTheRankOnly() throws {
        XCTAssertEqual(try infer([.fixed([1, 3, 1]), .fixed([2])]), .dynamic(rank: 1))
    }

    /// The onnx fuzz target's finding (CI, 2026-12-03): two axes of unknown value squeezed from a rank-1 input
    /// made a shape of rank -1, and the Array constructor trapped.
    func testMoreAxesThanDimsThrows() {
        XCTAssertThrowsError(try infer([.fixed([3]), .fixed([2])])) { error in
            XCTAssertTrue("\(error)".contains("2 axes to squeeze from rank 1"), "\(error)")
        }
    }
}
