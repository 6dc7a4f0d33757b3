import XCTest
import OVIR
@testable import Evaluator

/// GridSample-9 on images small enough to follow by hand. A grid value v maps to the pixel coordinate
/// (v + 1)(L - 1)/2 with align_corners and ((v + 1)L - 1)/2 without.
final class GridSampleTests: XCTestCase {
    /// One image of one channel, and a grid of `points` (x, y) in one row.
    private func sample(_ op: GridSample, _ image: [Float], h: Int, w: Int, _ points: [(Float, Float)]) throws -> [Float] {
        let grid = Tensor.f32(points.flatMap { [$0.0, $0.1] }, dims: [1, 1, points.count, 2])
        let out = try evaluate(op, [.f32(image, dims: [1, 1, h, w]), grid])
        XCTAssertEqual(out[0].dims, [1, 1, 1, points.count])
        return floats(out[0])
    }

    func testBilinearWithAndWithoutAlignedCorners() throws {
        let image: [Float] = [1, 2, 3, 4]  // [[1, 2], [3, 4]]
        // aligned: the corners are pixel centers; (0, 0) is the middle (2.5); (0, -1) between 1 and 2
        let aligned = try sample(GridSample(alignCorners: true, mode: .bilinear, paddingMode: .zeros), image, h: 2, w: 2,
                                 [(-1, -1), (1, 1), (0, 0), (0, -1)])
        assertClose(aligned, [1, 4, 2.5, 1.5])
        // not aligned: (-1, -1) is pixel (-0.5, -0.5), a quarter of pixel (0, 0) and three quarters of padding
        let zeros = try sample(GridSample(alignCorners: false, mode: .bilinear, paddingMode: .zeros), image, h: 2, w: 2, [(0, 0), (-1, -1)])
        assertClose(zeros, [2.5, 0.25])
        let border = try sample(GridSample(alignCorners: false, mode: .bilinear, paddingMode: .border), image, h: 2, w: 2, [(-1, -1)])
        assertClose(border, [1])
    }

    func testPaddingOfIndicesOutsideTheRow() throws {
        // Row [1, 2, 3] (H = 1), nearest. Without align_corners x = 4/3, 2, -4/3 are pixels 3, 4, -1:
        // reflection (period 6, i -> 5 - i past the end) reads pixels 2, 1, 0; border clamps to 2, 2, 0.
        let row: [Float] = [1, 2, 3]
        let points: [(Float, Float)] = [(4.0 / 3, 0), (2, 0), (-4.0 / 3, 0)]
        func run(_ padding: GridSample.PaddingMode, aligned: Bool = false, _ p: [(Float, Float)] = points) throws -> [Float] {
            try sample(GridSample(alignCorners: aligned, mode: .nearest, paddingMode: padding), row, h: 1, w: 3, p)
        }
        XCTAssertEqual(try run(.reflection), [3, 2, 1])
        XCTAssertEqual(try run(.border), [3, 3, 1])
        XCTAssertEqual(try run(.zeros), [0, 0, 0])
        // With align_corners pixel = x + 1 and the period is 2(W - 1) = 4: pixels 3, -1, 4 read 1, 1, 0.
        XCTAssertEqual(try run(.reflection, aligned: true, [(2, 0), (-2, 0), (3, 0)]), [2, 2, 1])
    }

    func testNearestRoundsHalfToEven() throws {
        // aligned, W = 3: x = -0.5 is pixel 0.5 (rounds to 0), x = 0.5 is pixel 1.5 (rounds to 2)
        let out = try sample(GridSample(alignCorners: true, mode: .nearest, paddingMode: .zeros), [1, 2, 3], h: 1, w: 3, [(-0.5, 0), (0.5, 0)])
        XCTAssertEqual(out, [1, 3])
    }

    func testBicubicUsesTheCubicKernelOfMinusThreeQuarters() throws {
        // Halfway between pixels 1 and 2 the weights of pixels 0...3 are [-0.09375, 0.59375, 0.59375, -0.09375]
        // (A = -0.75); at a pixel they are [0, 1, 0, 0]. Row [0, 0, 1, 0], aligned: x = 0 is pixel 1.5, x = 1/3 pixel 2.
        let a: Float = -0.75, r: Float = 0.5
        let near = ((a + 2) * r - (a + 3)) * r * r + 1
        XCTAssertEqual(near, 0.59375)
        let out = try sample(GridSample(alignCorners: true, mode: .bicubic, paddingMode: .zeros), [0, 0, 1, 0], h: 1, w: 4,
                             [(0, 0), (1.0 / 3, 0)])
        assertClose(out, [0.59375, 1])
    }
}
