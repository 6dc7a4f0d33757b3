import XCTest
@testable import OVIR

final class ROIAlignTests: XCTestCase {
    private let op = ROIAlign(pooledH: 2, pooledW: 3, samplingRatio: 0, spatialScale: 0.0625, mode: .avg, alignedMode: .asymmetric)

    private func infer(_ op: ROIAlign, _ data: TensorType, _ rois: TensorType, _ indices: TensorType) throws -> [TensorType] {
        try op.inferTypes([InferenceInput(data), InferenceInput(rois), InferenceInput(indices)])
    }

    func testRegionsChannelsAndPooledSize() throws {
        // OpenVINO 2026.4.1 infers [?, 3, 2, 3] for data [1, 3, 8, 8], rois [?, 4], batch_indices [?] (i32), pooled 2×3.
        XCTAssertEqual(try infer(op, TensorType(.f32, .fixed([1, 3, 8, 8])), TensorType(.f32, .ranked([.dynamic, .fixed(4)])),
                                 TensorType(.i32, .ranked([.dynamic]))),
                       [TensorType(.f32, .ranked([.dynamic, .fixed(3), .fixed(2), .fixed(3)]))])
        // the region count comes from whichever of rois and batch_indices knows it
        XCTAssertEqual(try infer(op, TensorType(.f16, .dynamicRank), TensorType(.dynamic, .dynamicRank), TensorType(.i64, .fixed([5]))),
                       [TensorType(.f16, .ranked([.fixed(5), .dynamic, .fixed(2), .fixed(3)]))])
    }

    func testInputsThatCannotBePooledAreRefused() throws {
        let data = TensorType(.f32, .fixed([1, 3, 8, 8])), rois = TensorType(.f32, .fixed([5, 4])), indices = TensorType(.i64, .fixed([5]))
        for (d, r, b, message) in [
            (data, TensorType(.f32, .fixed([5, 5])), indices, "second dim must be 4"),
            (data, rois, TensorType(.i64, .fixed([4])), "count different regions"),
            (data, TensorType(.f16, .fixed([5, 4])), indices, "element types differ"),
            (data, rois, TensorType(.f32, .fixed([5])), "batch_indices must be integers"),
            (TensorType(.i32, .fixed([1, 3, 8, 8])), TensorType(.i32, .fixed([5, 4])), indices, "floating point"),
            (TensorType(.f32, .fixed([3, 8, 8])), rois, indices, "data must be 4-D"),
        ] {
            XCTAssertThrowsError(try infer(op, d, r, b)) { XCTAssertTrue("\($0)".contains(message), "\(message): \($0)") }
        }
        var bad = op
        bad.pooledW = 0
        XCTAssertThrowsError(try infer(bad, data, rois, indices)) { XCTAssertTrue("\($0)".contains("must be positive"), "\($0)") }
        bad = op
        bad.samplingRatio = -1
        XCTAssertThrowsError(try infer(bad, data, rois, indices)) { XCTAssertTrue("\($0)".contains("must not be negative"), "\($0)") }
    }

    func testAttributesAreSpelledAsOpenVINOSpellsThem() {
        // as openvino 2026.4.1 serializes ROIAlign-9: pooled_h, pooled_w, sampling_ratio, spatial_scale, mode, aligned_mode
        XCTAssertEqual(ROIAlign.fields.map(\.name), ["pooled_h", "pooled_w", "sampling_ratio", "spatial_scale", "mode", "aligned_mode"])
        XCTAssertEqual(ROIAlign.AlignedMode.allCases.map(\.rawValue), ["asymmetric", "half_pixel_for_nn", "half_pixel"])
        XCTAssertEqual(Col2Im.fields.map(\.name), ["strides", "dilations", "pads_begin", "pads_end"])
    }
}
