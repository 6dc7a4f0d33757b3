import XCTest
import Calibration
import OVIR
import Passes
@testable import OVConvertKit

/// `--int8-max-drop`: the drop metrics on hand-made outputs, and the search returning the node built to be sensitive.
final class INT8AccuracyControlTests: XCTestCase {
    private typealias Control = INT8AccuracyControl

    /// `[1, n, 6]` NMS rows (x1, y1, x2, y2, score, class), zero-padded to `rows`.
    private func nms(_ boxes: [[Float]], rows: Int = 4) -> Tensor {
        var values = boxes.flatMap { $0 }
        values += Array(repeating: 0, count: (rows - boxes.count) * 6)
        return .f32(values, dims: [1, rows, 6])
    }

    /// FP32 finds 3 boxes; INT8 finds one of them shifted slightly (IoU 0.82), one with another class, and a new one:
    /// 1 match of 3 + 3 boxes, F1 2/6, drop 2/3.
    func testDetectionDropIsOneMinusPooledF1() {
        let fp32 = nms([[0, 0, 10, 10, 0.9, 1], [20, 20, 30, 30, 0.8, 2], [40, 40, 50, 50, 0.7, 0]])
        let int8 = nms([[1, 0, 11, 10, 0.9, 1], [20, 20, 30, 30, 0.8, 3], [60, 60, 70, 70, 0.5, 0]])
        XCTAssertEqual(Control.drop(.detections, [[fp32, fp32]], [[int8, int8]]), 1 - 2.0 / 6, accuracy: 1e-9)
        // Pooled over samples: a second sample that agrees exactly adds 3 matches of 3 + 3.
        XCTAssertEqual(Control.drop(.detections, [[fp32], [fp32]], [[int8], [fp32]]), 1 - 2.0 * 4 / 12, accuracy: 1e-9)
        // No boxes anywhere is agreement.
        XCTAssertEqual(Control.drop(.detections, [[nms([])]], [[nms([])]]), 0)
    }

    /// F1 is averaged over the confidences 0.10, 0.15, ..., 0.50: FP32's second box scores 0.32, INT8's 0.22, so it is
    /// matched at 0.10-0.20, missed at 0.25 and 0.30 (1 match of 2 + 1: drop 1/3), and below both thresholds from 0.35.
    func testDetectionDropIsAveragedOverConfidences() {
        let fp32 = nms([[0, 0, 10, 10, 0.9, 1], [20, 20, 30, 30, 0.32, 2]])
        let int8 = nms([[0, 0, 10, 10, 0.9, 1], [20, 20, 30, 30, 0.22, 2]])
        XCTAssertEqual(Control.confidences.count, 9)
        XCTAssertEqual(Control.drop(.detections, [[fp32]], [[int8]]), 2.0 / 3 / 9, accuracy: 1e-9)
    }

    /// An expected box matches at most one detection, and IoU below 0.5 is no match.
    func testMatchesUseEachExpectedBoxOnceAndIoUHalf() {
        let e = [Control.Detection(box: (0, 0, 10, 10), score: 0.9, label: 0)]
        let twice = [Control.Detection(box: (0, 0, 10, 10), score: 0.9, label: 0), .init(box: (0, 0, 10, 9), score: 0.8, label: 0)]
        XCTAssertEqual(Control.matches(expected: e, actual: twice), 1)
        // IoU of [0,10] with [5,15] in x over full height: 50 / 150.
        XCTAssertEqual(Control.matches(expected: e, actual: [.init(box: (5, 0, 15, 10), score: 0.9, label: 0)]), 0)
        XCTAssertEqual(Control.iou((0, 0, 10, 10), (5, 0, 15, 10)), 1.0 / 3, accuracy: 1e-6)
    }

    /// Two rows of 3 classes: one top class changes.
    func testTop1DropCountsRowsWhoseTopClassChanged() {
        let fp32 = Tensor.f32([0.1, 0.7, 0.2, 0.5, 0.4, 0.1], dims: [2, 3])
        let int8 = Tensor.f32([0.1, 0.6, 0.3, 0.3, 0.4, 0.1], dims: [2, 3])
        XCTAssertEqual(Control.drop(.top1, [[fp32]], [[int8]]), 0.5)
    }

    /// ‖(0, 0, 1)‖ / ‖(3, 4, 0)‖ = 1/5, averaged with an exact output.
    func testRelativeErrorIsTheMeanL2Ratio() {
        let fp32 = Tensor.f32([3, 4, 0], dims: [1, 3]), int8 = Tensor.f32([3, 4, 1], dims: [1, 3])
        XCTAssertEqual(Control.relativeError([[fp32], [fp32]], [[int8], [fp32]], detections: false), 0.1, accuracy: 1e-9)
    }

    /// x → MatMul 'outlier' → MatMul 'plain' → [1, 8, 4]. 'outlier''s weight row 0 is all 100 but x's feature 0 is
    /// about 0.001, so the output comes from rows 1-3, whose weights (0.3 to 0.8) per-column 8-bit weights (step
    /// 100/127) round to 0 or 0.79: tens of percent off. 'plain''s weights are all near 1 and keep their values within
    /// 0.4%. Returning 'outlier' to float must come first; with a limit of 0, both return, and the drop is then
    /// exactly 0 (the FP32 graph).
    func testTheNodeBuiltToBeSensitiveReturnsFirst() throws {
        let graph = Graph(name: "two_matmuls")
        let x = try graph.addParameter("x", TensorType(.f32, .fixed([1, 8, 4])))
        var outlier = [Float](repeating: 0, count: 16)
        for r in 0..<4 {
            for c in 0..<4 { outlier[r * 4 + c] = r == 0 ? 100 : 0.3 + 0.1 * Float(r + c - 1) }
        }
        let plain: [Float] = (0..<16).map { k in 0.9 + 0.013 * Float(k) }
        let a = try graph.add(MatMul(), [x.output(), graph.constant(.f32(outlier, dims: [4, 4]), name: "wa")], name: "outlier")
        let b = try graph.add(MatMul(), [a.output(), graph.constant(.f32(plain, dims: [4, 4]), name: "wb")], name: "plain")
        try graph.addResult(b.output(), name: "y")
        func sample(_ k: Int) -> [String: Tensor] {
            let values: [Float] = (0..<32).map { i in i % 4 == 0 ? 0.001 : Float((i * 7 + k * 3) % 11) / 10 - 0.4 }
            return ["x": Tensor.f32(values, dims: [1, 8, 4])]
        }
        let samples = InMemorySamples((0..<6).map(sample))
        let plan = QuantizeINT8.plan(graph, options: QuantizationOptions())
        XCTAssertEqual(plan.weighted.map(\.name), ["outlier", "plain"])
        let statistics = try StatisticsCollector(graph: graph, points: plan.points).collect(count: samples.count, sample: samples.sample(at:))
        var ranges = QuantizationRanges()
        for (point, s) in statistics { ranges[point] = RangeEstimator.minMax.range(s) }

        let zero = try Control(graph: graph, ranges: ranges, options: QuantizationOptions(), samples: samples, maxDrop: 0).run()
        XCTAssertEqual(zero.metric, Control.Metric.relativeError)
        XCTAssertGreaterThan(zero.before, 0)
        XCTAssertEqual(zero.candidates, 2)
        XCTAssertEqual(zero.returned, ["outlier", "plain"])
        XCTAssertEqual(zero.after, 0)
        // Measured: none in float, 'outlier' alone (still a drop above 0), both (the FP32 graph).
        XCTAssertEqual(zero.measured.map(\.count), [0, 1, 2])
        XCTAssertEqual(zero.measured.last?.drop, 0)
        // The graph measured on is left as it was.
        XCTAssertFalse(graph.nodes.contains { $0.op is FakeQuantize })

        let loose = try Control(graph: graph, ranges: ranges, options: QuantizationOptions(), samples: samples, maxDrop: 1).run()
        XCTAssertEqual(loose.returned, [])
        XCTAssertEqual(loose.after, loose.before)
    }
}
