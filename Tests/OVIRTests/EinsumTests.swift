import XCTest
@testable import OVIR

final class EinsumTests: XCTestCase {
    private func infer(_ equation: String, _ shapes: [Shape]) throws -> Shape {
        try Einsum(equation: equation).inferTypes(shapes.map { InferenceInput(TensorType(.f32, $0)) })[0].shape
    }

    func testExplicitOutput() throws {
        XCTAssertEqual(try infer("bij,bjk->bik", [.fixed([2, 3, 4]), .fixed([2, 4, 5])]), .fixed([2, 3, 5]))
        XCTAssertEqual(try infer("ij->ji", [.fixed([3, 4])]), .fixed([4, 3]))
        XCTAssertEqual(try infer("i,i", [.fixed([5]), .fixed([5])]), .scalar)
    }

    func testImplicitOutputIsSortedSingleLabels() throws {
        XCTAssertEqual(try infer("ba,ac", [.fixed([2, 3]), .fixed([3, 4])]), .fixed([2, 4]))
    }

    func testEllipsisBroadcasts() throws {
        XCTAssertEqual(try infer("...ii->...i", [.fixed([3, 5, 5])]), .fixed([3, 5]))
        XCTAssertEqual(try infer("...ij,...jk->...ik", [.fixed([2, 1, 3, 4]), .fixed([6, 4, 5])]), .fixed([2, 6, 3, 5]))
    }

    func testMismatchedLabelThrows() {
        XCTAssertThrowsError(try infer("ij,jk->ik", [.fixed([2, 3]), .fixed([4, 5])]))
    }
}
