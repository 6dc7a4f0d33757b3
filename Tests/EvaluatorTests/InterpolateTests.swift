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

    func testOtherModesAreRefused() {
        var op = interpolate(.scales, .asymmetric, .floor)
        op.mode = .linear
        XCTAssertThrowsError(try evaluate(op, [.f32([1, 2], dims: [1, 2]), .f32([1, 2])])) {
            XCTAssertTrue("\($0)".contains("mode linear"), "\($0)")
        }
    }
}
