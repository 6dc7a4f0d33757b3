import Evaluator
import Foundation
import XCTest
import OVIR
@testable import ONNXFrontend

/// ONNX NonMaxSuppression through the evaluator. Three unit boxes in one image and class, scores 0.9, 0.8, 0.7:
/// b1 is b0 moved by 0.1 (IoU 0.9 / 1.1 = 0.82), b2 lies far from both.
final class DetectionTests: XCTestCase {
    private static let corners: [Float] = [0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 10, 1, 11]  // y1, x1, y2, x2
    private static let centers: [Float] = [0.5, 0.5, 1, 1, 0.6, 0.5, 1, 1, 10.5, 0.5, 1, 1]  // x, y, width, height

    private func model(maxBoxes: Int?, iou: Float?, score: Float?, attributes: [Onnx_AttributeProto] = []) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 11
        m.input("boxes", [1, 3, 4])
        m.input("scores", [1, 1, 3])
        var inputs = ["boxes", "scores"]
        if let maxBoxes { m.initializer("max", int64: [Int64(maxBoxes)], dims: [1]) }
        inputs.append(maxBoxes == nil ? "" : "max")
        if let iou { m.initializer("iou", [iou], dims: [1]) }
        inputs.append(iou == nil ? "" : "iou")
        if let score { m.initializer("score", [score], dims: [1]) }
        inputs.append(score == nil ? "" : "score")
        m.node("NonMaxSuppression", inputs, ["selected"], name: "nms", attributes: attributes)
        m.output("selected", elemType: 7)
        return m
    }

    private func select(_ m: ModelBuilder, boxes: [Float] = corners) throws -> Tensor {
        try Evaluator().run(try m.importGraph(), inputs: ["boxes": .f32(boxes, dims: [1, 3, 4]),
                                                          "scores": .f32([0.9, 0.8, 0.7], dims: [1, 1, 3])])[0]
    }

    func testOnlyTheSelectedRowsAreReturned() throws {
        // b1 is suppressed by b0; the output has two rows (batch, class, box), not a padded upper bound of three.
        let selected = try select(model(maxBoxes: 3, iou: 0.5, score: nil))
        XCTAssertEqual(selected.elementType, .i64)
        XCTAssertEqual(selected.dims, [2, 3])
        XCTAssertEqual(selected.intValues(), [0, 0, 0, 0, 0, 2])
    }

    func testCenterPointBoxesGiveTheSameSelection() throws {
        let selected = try select(model(maxBoxes: 3, iou: 0.5, score: nil, attributes: [ModelBuilder.attribute("center_point_box", int: 1)]),
                                  boxes: Self.centers)
        XCTAssertEqual(selected.intValues(), [0, 0, 0, 0, 0, 2])
    }

    func testScoreThresholdAndMaximumPerClass() throws {
        // IoU 0.95 keeps b1; the score threshold 0.75 drops b2.
        XCTAssertEqual(try select(model(maxBoxes: 3, iou: 0.95, score: 0.75)).intValues(), [0, 0, 0, 0, 0, 1])
        // At most one box per class: the best.
        XCTAssertEqual(try select(model(maxBoxes: 1, iou: 0.95, score: nil)).intValues(), [0, 0, 0])
    }

    func testAnIoUThresholdOfZeroKeepsBoxesThatDoNotIntersect() throws {
        // b1 intersects b0 (IoU 0.82 > 0) and goes; b2 does not (IoU 0 is not > 0) and stays.
        XCTAssertEqual(try select(model(maxBoxes: 3, iou: 0, score: nil)).intValues(), [0, 0, 0, 0, 0, 2])
    }

    func testAnIoUEqualToTheThresholdDoesNotSuppress() throws {
        // Unit boxes at (0, 0) and (0.5, 0.5): intersection 0.25, IoU 0.25 / 1.75 = 1/7, in f32 equal to the threshold
        // f32(1/7). ONNX suppresses only above the threshold, so both stay, with the threshold constant or fed.
        let boxes = Tensor.f32([0, 0, 1, 1, 0.5, 0.5, 1.5, 1.5], dims: [1, 2, 4]), scores = Tensor.f32([0.9, 0.8], dims: [1, 1, 2])
        let threshold = Float(1.0 / 7.0)
        for fed in [false, true] {
            var m = ModelBuilder()
            m.opset = 11
            m.input("boxes", [1, 2, 4])
            m.input("scores", [1, 1, 2])
            m.initializer("max", int64: [3], dims: [1])
            if fed { m.input("iou", [1]) } else { m.initializer("iou", [threshold], dims: [1]) }
            m.node("NonMaxSuppression", ["boxes", "scores", "max", "iou"], ["selected"], name: "nms")
            m.output("selected", elemType: 7)
            var feeds = ["boxes": boxes, "scores": scores]
            if fed { feeds["iou"] = .f32([threshold], dims: [1]) }
            let selected = try Evaluator().run(try m.importGraph(), inputs: feeds)[0]
            XCTAssertEqual(selected.intValues(), [0, 0, 0, 0, 0, 1], "threshold fed: \(fed)")
        }
    }

    func testWithoutAMaximumNothingIsSelected() throws {
        XCTAssertEqual(try select(model(maxBoxes: nil, iou: nil, score: nil)).dims, [0, 3])
    }

    func testCenterPointBoxMustBeZeroOrOne() throws {
        let error = model(maxBoxes: 3, iou: 0.5, score: nil, attributes: [ModelBuilder.attribute("center_point_box", int: 2)]).importError() ?? ""
        XCTAssertTrue(error.contains("center_point_box must be 0 or 1"), error)
        XCTAssertTrue(error.contains("NonMaxSuppression"), error)
    }

    // MARK: RoiAlign

    private func roiAlign(opset: Int, attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("X", [1, 1, 4, 4])
        m.input("rois", [1, 4])
        m.input("batch", [1], elemType: 7)
        m.node("RoiAlign", ["X", "rois", "batch"], ["Y"], name: "align", attributes: attributes)
        m.output("Y")
        return m
    }

    private func roiAlignOp(_ m: ModelBuilder) throws -> ROIAlign {
        try XCTUnwrap(try m.importGraph().nodes.lazy.compactMap { $0.op as? ROIAlign }.first)
    }

    func testRoiAlignAttributesAndONNXDefaults() throws {
        let m = roiAlign(opset: 16, attributes: [ModelBuilder.attribute("output_height", int: 2), ModelBuilder.attribute("output_width", int: 3),
                                                 ModelBuilder.attribute("sampling_ratio", int: 2), ModelBuilder.attribute("spatial_scale", float: 0.25)])
        XCTAssertEqual(try roiAlignOp(m), ROIAlign(pooledH: 2, pooledW: 3, samplingRatio: 2, spatialScale: 0.25, mode: .avg, alignedMode: .halfPixelForNN))
        // ONNX's defaults: 1×1 bins, adaptive sampling (0), scale 1
        XCTAssertEqual(try roiAlignOp(roiAlign(opset: 10, attributes: [])),
                       ROIAlign(pooledH: 1, pooledW: 1, samplingRatio: 0, spatialScale: 1, mode: .avg, alignedMode: .asymmetric))
        // the scale as the decimal the file spells (written to the IR as 0.1, not 0.10000000149011612)
        XCTAssertEqual(try roiAlignOp(roiAlign(opset: 16, attributes: [ModelBuilder.attribute("spatial_scale", float: 0.1)])).spatialScale, 0.1)
        for mode in ["avg", "max"] {
            let error = roiAlign(opset: 16, attributes: [ModelBuilder.attribute("mode", string: mode), ModelBuilder.attribute("output_width", int: 0),
                                                         ModelBuilder.attribute("sampling_ratio", int: 1)]).importError() ?? ""
            XCTAssertTrue(error.contains("'align'") && error.contains("1×0"), error)
        }
    }

    func testRoiAlignCoordinateTransformation() throws {
        // opset 16 defaults to half_pixel (corners x - 0.5, OpenVINO's half_pixel_for_nn); output_half_pixel, opset 10's only
        // behaviour, is asymmetric
        XCTAssertEqual(try roiAlignOp(roiAlign(opset: 16, attributes: [])).alignedMode, .halfPixelForNN)
        XCTAssertEqual(try roiAlignOp(roiAlign(opset: 22, attributes: [ModelBuilder.attribute("coordinate_transformation_mode", string: "output_half_pixel")])).alignedMode,
                       .asymmetric)
        let error = roiAlign(opset: 16, attributes: [ModelBuilder.attribute("coordinate_transformation_mode", string: "align_corners")]).importError() ?? ""
        XCTAssertTrue(error.contains("'align_corners'") && error.contains("'align'"), error)
        // region [1, 3]² on the 4×4 plane 4y + x, half_pixel: [0.5, 2.5]², its centre (1.5, 1.5) holds 7.5
        let y = try Evaluator().run(try roiAlign(opset: 16, attributes: [ModelBuilder.attribute("sampling_ratio", int: 2)]).importGraph(),
                                    inputs: ["X": .f32((0..<16).map(Float.init), dims: [1, 1, 4, 4]), "rois": .f32([1, 1, 3, 3], dims: [1, 4]),
                                             "batch": .i64([0], dims: [1])])[0]
        XCTAssertEqual(y.doubleValues() ?? [], [7.5])
    }

    private func roiAlignMax(_ x: Tensor, _ rois: [Float], h: Int, w: Int, attributes: [Onnx_AttributeProto]) throws -> [Double] {
        var m = ModelBuilder()
        m.opset = 16
        m.input("X", x.dims)
        m.input("rois", [rois.count / 4, 4])
        m.input("batch", [rois.count / 4], elemType: 7)
        m.node("RoiAlign", ["X", "rois", "batch"], ["Y"], name: "align",
               attributes: [ModelBuilder.attribute("mode", string: "max"), ModelBuilder.attribute("output_height", int: h),
                            ModelBuilder.attribute("output_width", int: w)] + attributes)
        m.output("Y")
        let graph = try m.importGraph()
        XCTAssertFalse(graph.nodes.contains { $0.op is ROIAlign }, "ROIAlign-9's max is not ONNX's")
        let y = try Evaluator().run(graph, inputs: ["X": x, "rois": .f32(rois, dims: [rois.count / 4, 4]),
                                                    "batch": .i64(Array(repeating: 0, count: rois.count / 4), dims: [rois.count / 4])])[0]
        XCTAssertEqual(y.dims, [rois.count / 4, x.dims[1], h, w])
        return y.doubleValues() ?? []
    }

    func testRoiAlignMaxTakesTheLargestWeightedNeighbour() throws {
        // One sample at the centre of [[1, 2], [3, 4]] weighs each pixel 1/4: ONNX's max is 4/4 (ROIAlign-9's would be
        // the interpolated 2.5), and for a map of -1 it is -1/4 (ROIAlign-9's would be 0).
        let attributes = [ModelBuilder.attribute("sampling_ratio", int: 1), ModelBuilder.attribute("coordinate_transformation_mode", string: "output_half_pixel")]
        XCTAssertEqual(try roiAlignMax(.f32([1, 2, 3, 4], dims: [1, 1, 2, 2]), [0, 0, 1, 1], h: 1, w: 1, attributes: attributes), [1])
        XCTAssertEqual(try roiAlignMax(.f32([-1, -1, -1, -1], dims: [1, 1, 2, 2]), [0, 0, 1, 1], h: 1, w: 1, attributes: attributes), [-0.25])
    }

    func testRoiAlignMaxMatchesONNXsReference() throws {
        // Expected values from onnx 1.23.2's ReferenceEvaluator (RoiAlign-16, mode max, output_half_pixel, sampling_ratio 2)
        // on X = [0, 12) - 5 as [1, 1, 3, 4]; the second region lies partly outside the map.
        let y = try roiAlignMax(.f32((0..<12).map { Float($0) - 5 }, dims: [1, 1, 3, 4]), [0.2, 0.1, 3.1, 2.3, -2, -1.5, 1, 1], h: 2, w: 2,
                                attributes: [ModelBuilder.attribute("sampling_ratio", int: 2),
                                             ModelBuilder.attribute("coordinate_transformation_mode", string: "output_half_pixel")])
        let expected = [0.26593753695487976, 1.3643749952316284, 2.8499999046325684, 4.9375, 0, 0, 0, 0]
        XCTAssertEqual(y.count, expected.count)
        for (a, e) in zip(y, expected) { XCTAssertEqual(a, e, accuracy: 1e-5) }
    }

    func testRoiAlignMaxWithAdaptiveSamplingIsRefused() throws {
        let error = roiAlign(opset: 16, attributes: [ModelBuilder.attribute("mode", string: "max")]).importError() ?? ""
        XCTAssertTrue(error.contains("'align'") && error.contains("mode 'max' with sampling_ratio 0"), error)
    }
}
