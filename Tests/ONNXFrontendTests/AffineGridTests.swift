import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// AffineGrid run by the evaluator on grids small enough to write out: the base coordinates along an axis of s
/// points are -1 + (2i + 1)/s (cell centres) or, with align_corners, -1 + 2i/(s - 1) (the corners).
final class AffineGridTests: XCTestCase {
    /// theta is a graph input; size is an int64 initializer.
    private func model(theta: [Int], size: [Int], alignCorners: Bool = false) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 20
        m.input("theta", theta)
        m.initializer("size", int64: size.map(Int64.init), dims: [size.count])
        m.node("AffineGrid", ["theta", "size"], ["grid"], name: "affine",
               attributes: alignCorners ? [ModelBuilder.attribute("align_corners", int: 1)] : [])
        m.output("grid")
        return m
    }

    private func close(_ t: Tensor, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        let got = t.doubleValues() ?? []
        XCTAssertEqual(got.count, expected.count, "\(got)", file: file, line: line)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-6, "\(got)", file: file, line: line) }
    }

    private let identity2D = Tensor.f32([1, 0, 0, 0, 1, 0], dims: [1, 2, 3])

    func testTheIdentityGivesCellCentres() throws {
        // H = 2, W = 3: x in [-2/3, 0, 2/3], y in [-1/2, 1/2]; each point is (x, y).
        let g = try model(theta: [1, 2, 3], size: [1, 1, 2, 3]).importGraph()
        XCTAssertEqual(g.results[0].inputs[0].shape, .fixed([1, 2, 3, 2]))
        let grid = try Evaluator().run(g, inputs: ["theta": identity2D])[0]
        XCTAssertEqual(grid.dims, [1, 2, 3, 2])
        close(grid, [-2.0 / 3, -0.5, 0, -0.5, 2.0 / 3, -0.5,
                     -2.0 / 3, 0.5, 0, 0.5, 2.0 / 3, 0.5])
    }

    func testAlignCornersReachesMinusOneAndOne() throws {
        let grid = try Evaluator().run(try model(theta: [1, 2, 3], size: [1, 1, 2, 3], alignCorners: true).importGraph(),
                                       inputs: ["theta": identity2D])[0]
        close(grid, [-1, -1, 0, -1, 1, -1,
                     -1, 1, 0, 1, 1, 1])
    }

    func testThetaMapsEachPointAndEachBatchItem() throws {
        // Item 0: x' = 2y + 0.5, y' = x - 1; item 1 doubles the identity. H = 2, W = 3, corners aligned.
        let theta = Tensor.f32([0, 2, 0.5, 1, 0, -1,
                                2, 0, 0, 0, 2, 0], dims: [2, 2, 3])
        let grid = try Evaluator().run(try model(theta: [2, 2, 3], size: [2, 1, 2, 3], alignCorners: true).importGraph(),
                                       inputs: ["theta": theta])[0]
        XCTAssertEqual(grid.dims, [2, 2, 3, 2])
        close(grid, [-1.5, -2, -1.5, -1, -1.5, 0,
                     2.5, -2, 2.5, -1, 2.5, 0,
                     -2, -2, 0, -2, 2, -2,
                     -2, 2, 0, 2, 2, 2])
    }

    func testVolumesPutXFirstAndZLast() throws {
        // D = 1, H = 2, W = 2 (cell centres ±1/2, the single depth 0), translated by (0.1, 0.2, 0.3).
        let theta = Tensor.f32([1, 0, 0, 0.1, 0, 1, 0, 0.2, 0, 0, 1, 0.3], dims: [1, 3, 4])
        let grid = try Evaluator().run(try model(theta: [1, 3, 4], size: [1, 1, 1, 2, 2]).importGraph(), inputs: ["theta": theta])[0]
        XCTAssertEqual(grid.dims, [1, 1, 2, 2, 3])
        close(grid, [-0.4, -0.3, 0.3, 0.6, -0.3, 0.3,
                     -0.4, 0.7, 0.3, 0.6, 0.7, 0.3])
    }

    func testASingleAlignedPointSitsAtMinusOne() throws {
        // As ONNX's function body does for the depth of a 2-D grid: one point along an axis has step 0.
        let theta = Tensor.f32([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], dims: [1, 3, 4])
        let grid = try Evaluator().run(try model(theta: [1, 3, 4], size: [1, 1, 1, 1, 2], alignCorners: true).importGraph(),
                                       inputs: ["theta": theta])[0]
        close(grid, [-1, -1, -1, 1, -1, -1])
    }

    func testAMismatchedThetaIsRefusedNamingTheNode() throws {
        let error = model(theta: [1, 2, 3], size: [1, 1, 1, 2, 2]).importError() ?? ""
        XCTAssertTrue(error.contains("'affine'") && error.contains("[N, 3, 4]"), error)
    }
}
