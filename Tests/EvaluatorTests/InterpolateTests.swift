import XCTest
import OVIR
@testable import Evaluator

private func interpolate(_ calc: Interpolate.ShapeCalculationMode, _ coord: Interpolate.CoordinateTransformationMode,
                         _ nearest: Interpolate.NearestMode) -> Interpolate {
    var op = Interpolate()
    op.mode = .nearest
    op.shapeCalculationMode = calc
    op.coordinateTransformationMode = coord
    op.nearestMode = nearest
    return op
}

final class InterpolateTests: XCTestCase {
    func testNearestAsymmetricFloorScaleTwoAsInYolo() throws {
        // each pixel becomes a 2×2 block
        let x = Tensor.f32([1, 2, 3, 4], dims: [1, 1, 2, 2])
        let expected: [Float] = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]
        let op = interpolate(.scales, .asymmetric, .floor)
        let all = try evaluate(op, [x, .f32([1, 1, 2, 2])])[0]
        XCTAssertEqual(all.dims, [1, 1, 4, 4])
        XCTAssertEqual(floats(all), expected)
        let axes = try evaluate(op, [x, .f32([2, 2]), .i64([2, 3])])[0]
        XCTAssertEqual(axes.dims, [1, 1, 4, 4])
        XCTAssertEqual(floats(axes), expected)
    }

    func testNearestDownsamplingRoundingModes() throws {
        // 4 → 2 with half_pixel: source coords 0.5 and 2.5, a tie each time.
        let x = Tensor.f32([10, 11, 12, 13], dims: [1, 1, 1, 4])
        let floor = try evaluate(interpolate(.sizes, .halfPixel, .roundPreferFloor), [x, .i64([2]), .i64([3])])[0]
        XCTAssertEqual(floor.dims, [1, 1, 1, 2])
        XCTAssertEqual(floats(floor), [10, 12])
        let ceil = try evaluate(interpolate(.sizes, .halfPixel, .roundPreferCeil), [x, .i64([2]), .i64([3])])[0]
        XCTAssertEqual(floats(ceil), [11, 13])
        // align_corners 4 → 3: coords 0, 1.5, 3 -> round_prefer_floor 0, 1, 3
        let corners = try evaluate(interpolate(.sizes, .alignCorners, .roundPreferFloor), [x, .i64([3]), .i64([3])])[0]
        XCTAssertEqual(floats(corners), [10, 11, 13])
    }

    func testLinearONNXHalfPixelAndAlignCorners() throws {
        // [1, 2] → 4, half_pixel: coordinates -0.25, 0.25, 0.75, 1.25, clamped to the ends → 1, 1.25, 1.75, 2
        var op = interpolate(.sizes, .halfPixel, .roundPreferFloor)
        op.mode = .linearONNX
        let half = try evaluate(op, [.f32([1, 2], dims: [1, 2]), .i64([4]), .i64([1])])[0]
        XCTAssertEqual(half.dims, [1, 4])
        XCTAssertEqual(floats(half), [1, 1.25, 1.75, 2])
        // [1, 3] → 3 with align_corners: coordinates 0, 0.5, 1
        op.coordinateTransformationMode = .alignCorners
        XCTAssertEqual(floats(try evaluate(op, [.f32([1, 3], dims: [1, 2]), .i64([3]), .i64([1])])[0]), [1, 2, 3])
        // both axes of a 2×2, scale 2, asymmetric: row 0 is [1, 1.5, 2, 2], row 1 (coordinate 0.5) averages rows
        op.coordinateTransformationMode = .asymmetric
        op.shapeCalculationMode = .scales
        let grid = try evaluate(op, [.f32([1, 2, 3, 4], dims: [2, 2]), .f32([2, 2])])[0]
        XCTAssertEqual(floats(grid), [1, 1.5, 2, 2, 2, 2.5, 3, 3, 3, 3.5, 4, 4, 3, 3.5, 4, 4])
    }

    func testCubicAsymmetricByHand() throws {
        // [0, 1, 2, 3] → 8, asymmetric: output 1 sits at 0.5 with taps -1, 0, 1, 2 (the first clamped to 0);
        // Keys weights for a = -0.75 at distances 1.5 and 0.5 are -0.09375 and 0.59375:
        // 0.59375 · 1 - 0.09375 · 2 = 0.40625. Output 3 (at 1.5) reproduces the line: 1.5.
        var op = interpolate(.scales, .asymmetric, .floor)
        op.mode = .cubic
        let y = try evaluate(op, [.f32([0, 1, 2, 3], dims: [1, 4]), .f32([2]), .i64([1])])[0]
        XCTAssertEqual(y.dims, [1, 8])
        assertClose(Array(floats(y)[0...3]), [0, 0.40625, 1, 1.5])
    }

    func testLinearONNXAntialiasWidensTheFilterWhenDownsampling() throws {
        // [0, 1, 2, 3] → 2, half_pixel: coordinates 0.5 and 2.5. At scale 0.5 the triangle spans ±2 taps:
        // weights 0.25, 0.75, 0.75, 0.25 (normalized by 2) on taps -1..2 (−1 clamped to 0) → 0.375 + 0.25 = 0.625;
        // on taps 1..4 (4 clamped to 3): (0.25 · 1 + 0.75 · 2 + 0.75 · 3 + 0.25 · 3) / 2 = 2.375.
        var op = interpolate(.sizes, .halfPixel, .roundPreferFloor)
        op.mode = .linearONNX
        op.antialias = true
        let y = try evaluate(op, [.f32([0, 1, 2, 3], dims: [1, 4]), .i64([2]), .i64([1])])[0]
        assertClose(floats(y), [0.625, 2.375])
    }

    func testOpenVINOLinearModeIsATriangleInsideTheInput() throws {
        // [0, 10] → 4, half_pixel: coordinates -0.25, 0.25, 0.75, 1.25; taps outside the input drop out and the
        // rest are renormalized, so the ends repeat the edge values.
        var op = interpolate(.sizes, .halfPixel, .roundPreferFloor)
        op.mode = .linear
        let y = try evaluate(op, [.f32([0, 10], dims: [1, 2]), .i64([4]), .i64([1])])[0]
        assertClose(floats(y), [0, 2.5, 7.5, 10])
    }

    func testPadsAreZerosAddedBeforeResizing() throws {
        // [1, 2] padded by one zero each side is [0, 1, 2, 0]; sizes 8 doubles every element
        var op = interpolate(.sizes, .asymmetric, .floor)
        op.padsBegin = [0, 1]
        op.padsEnd = [0, 1]
        let same = try evaluate(op, [.f32([1, 2], dims: [1, 2]), .i64([4]), .i64([1])])[0]
        XCTAssertEqual(floats(same), [0, 1, 2, 0])
        let doubled = try evaluate(op, [.f32([1, 2], dims: [1, 2]), .i64([8]), .i64([1])])[0]
        XCTAssertEqual(floats(doubled), [0, 0, 1, 1, 2, 2, 0, 0])
    }

    func testNearestKeepsIntegerTypes() throws {
        let y = try evaluate(interpolate(.scales, .asymmetric, .floor), [.i64([7, 9], dims: [1, 2]), .f32([2]), .i64([1])])[0]
        XCTAssertEqual(y.elementType, .i64)
        XCTAssertEqual(y.intValues(), [7, 7, 9, 9])
    }

    func testPillowFiltersByHand() throws {
        // bilinear_pillow [0, 1, 2, 3] → 2: scale 2 widens the triangle to ±2 around centres 1 and 3;
        // taps 0, 1, 2 weigh 0.75, 0.75, 0.25 (÷ 1.75) → 5/7; taps 1, 2, 3 weigh 0.25, 0.75, 0.75 → 4/1.75
        var op = interpolate(.sizes, .halfPixel, .roundPreferFloor)
        op.mode = .bilinearPillow
        let down = try evaluate(op, [.f32([0, 1, 2, 3], dims: [1, 4]), .i64([1, 2]), .i64([0, 1])])[0]
        assertClose(floats(down), [5.0 / 7, 4 / 1.75])
        // [0, 10] → 4: centres 0.25, 0.75, 1.25, 1.75 over taps inside the input → 0, 2.5, 7.5, 10
        let up = try evaluate(op, [.f32([0, 10], dims: [1, 2]), .i64([1, 4]), .i64([0, 1])])[0]
        assertClose(floats(up), [0, 2.5, 7.5, 10])
        // bicubic_pillow with a = -0.5 at centre 0.25: taps 0 and 1 at distances 0.25 and 1.25 weigh
        // 0.8671875 and -0.0703125, so output 0 is 10 · -0.0703125 / 0.796875
        op.mode = .bicubicPillow
        op.cubeCoeff = -0.5
        let cubic = try evaluate(op, [.f32([0, 10], dims: [1, 2]), .i64([1, 4]), .i64([0, 1])])[0]
        assertClose([floats(cubic)[0]], [-0.8823529])
        // Pillow modes need exactly two axes
        XCTAssertThrowsError(try evaluate(op, [.f32([0, 10], dims: [1, 2]), .i64([4]), .i64([1])])) {
            XCTAssertTrue("\($0)".contains("exactly two axes"), "\($0)")
        }
    }
}
