import XCTest
import OVIR
@testable import Evaluator

/// ROIAlign-9 on a 4×4 map whose pixel (y, x) holds 4y + x: bilinear interpolation reproduces that plane inside the
/// map, so an average over a bin's samples is the plane at the bin's centre, and a max the plane at its last sample.
final class ROIAlignTests: XCTestCase {
    private let plane = Tensor.f32((0..<16).map(Float.init), dims: [1, 1, 4, 4])

    private func pool(_ op: ROIAlign, _ rois: [[Float]], data: Tensor? = nil, batch: [Int]? = nil) throws -> [Float] {
        let out = try evaluate(op, [data ?? plane, .f32(rois.flatMap { $0 }, dims: [rois.count, 4]),
                                    .i64(batch ?? Array(repeating: 0, count: rois.count), dims: [rois.count])])[0]
        XCTAssertEqual(out.dims, [rois.count, (data ?? plane).dims[1], op.pooledH, op.pooledW])
        return floats(out)
    }

    private func op(_ h: Int = 1, _ w: Int = 1, ratio: Int = 2, scale: Double = 1, mode: ROIAlign.Mode = .avg,
                    aligned: ROIAlign.AlignedMode = .asymmetric) -> ROIAlign {
        ROIAlign(pooledH: h, pooledW: w, samplingRatio: ratio, spatialScale: scale, mode: mode, alignedMode: aligned)
    }

    func testBinsAverageTheirSamples() throws {
        // region [0, 2]²: one bin centred at (1, 1) = 5; 2×2 bins centred at 0.5 and 1.5
        assertClose(try pool(op(), [[0, 0, 2, 2]]), [5])
        assertClose(try pool(op(2, 2, ratio: 1), [[0, 0, 2, 2]]), [2.5, 3.5, 6.5, 7.5])
    }

    func testAlignedModesPlaceTheCornersDifferently() throws {
        // region [2, 6]² at scale 0.5: asymmetric [1, 3] (centre 2: 10), half_pixel_for_nn [0.5, 2.5] (centre 1.5: 7.5),
        // half_pixel [0.75, 2.75] (centre 1.75: 8.75)
        assertClose(try pool(op(scale: 0.5), [[2, 2, 6, 6]]), [10])
        assertClose(try pool(op(scale: 0.5, aligned: .halfPixelForNN), [[2, 2, 6, 6]]), [7.5])
        assertClose(try pool(op(scale: 0.5, aligned: .halfPixel), [[2, 2, 6, 6]]), [8.75])
        // an empty region is widened to 1×1 by asymmetric only: one sample at 1.5 (7.5), or at 0.5 (2.5)
        assertClose(try pool(op(ratio: 1), [[1, 1, 1, 1]]), [7.5])
        assertClose(try pool(op(ratio: 1, aligned: .halfPixelForNN), [[1, 1, 1, 1]]), [2.5])
    }

    func testSamplingRatioZeroTakesTheBinSizeRoundedUp() throws {
        // region x in [0, 3], y in [0, 0] (widened to 1): sampling_ratio 0 takes 3 samples along x (last at 2.5) and 1
        // along y (0.5), so the max is 2 + 2.5; sampling_ratio 2 takes 2×2, the last at (0.75, 2.25): 3 + 2.25
        assertClose(try pool(op(ratio: 0, mode: .max), [[0, 0, 3, 0]]), [4.5])
        assertClose(try pool(op(ratio: 2, mode: .max), [[0, 0, 3, 0]]), [5.25])
        // An empty region that is not widened has bins of size 0 and so no samples: OpenVINO's reference (and ONNX's)
        // pools 0; the CPU plugin of 2026.4.1 gives NaN there (0 / 0).
        assertClose(try pool(op(ratio: 0, aligned: .halfPixelForNN), [[1, 1, 1, 1]]), [0])
    }

    func testSamplesAtAndBeyondTheEdges() throws {
        // Row [1, 3] (H = 1), 5 bins of one sample at x = -1.5, -0.5, 0.5, 1.5, 2.5: beyond [-1, W] reads 0, -0.5
        // clamps to 0, 0.5 halves the pixels, 1.5 is past the last column and reads it.
        let row = Tensor.f32([1, 3], dims: [1, 1, 1, 2])
        assertClose(try pool(op(1, 5, ratio: 1), [[-2, 0, 3, 1]], data: row), [0, 1, 2, 3, 0])
    }

    func testMaxStartsFromZeroAndBatchIndicesPickTheImage() throws {
        // OpenVINO's reference (and its CPU plugin, measured with 2026.4.1) pools a bin of negative samples to 0 in max mode
        let negative = Tensor.f32(Array(repeating: -1, count: 4), dims: [1, 1, 2, 2])
        assertClose(try pool(op(mode: .max), [[0, 0, 1, 1]], data: negative), [0])
        assertClose(try pool(op(mode: .avg), [[0, 0, 1, 1]], data: negative), [-1])
        let two = Tensor.f32([5, 7], dims: [2, 1, 1, 1])
        assertClose(try pool(op(), [[0, 0, 1, 1], [0, 0, 1, 1]], data: two, batch: [1, 0]), [7, 5])
        XCTAssertThrowsError(try pool(op(), [[0, 0, 1, 1]], data: two, batch: [2])) {
            XCTAssertTrue("\($0)".contains("batch index 2"), "\($0)")
        }
    }
}
