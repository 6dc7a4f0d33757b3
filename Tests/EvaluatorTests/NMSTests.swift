import XCTest
import OVIR
@testable import Evaluator

/// MulticlassNms-9 and NonMaxSuppression-9 on small hand-worked cases.
///
/// Most cases use four boxes (x1, y1, x2, y2), the same in both images:
///   b0 [0, 0, 10, 10], b1 [1, 0, 11, 10], b2 [0, 5, 10, 15], b3 [20, 20, 30, 30];
///   IoU(b0, b1) = 90 / 110 = 0.82, IoU(b0, b2) = 50 / 150 = 0.33, IoU(b1, b2) = 45 / 155 = 0.29, b3 overlaps none.
/// Scores [2 images, 2 classes, 4 boxes]:
///   image 0: class 0 [0.9, 0.8, 0.7, 0.1], class 1 [0.2, 0.6, 0.3, 0.95]
///   image 1: class 0 [0.1, 0.1, 0.1, 0.4], class 1 [0.5, 0.5, 0.0, 0.0]
/// With IoU threshold 0.5 and score threshold 0.25:
///   image 0 class 0: b0 0.9 kept, b1 0.8 suppressed by b0, b2 0.7 kept, b3 0.1 below the threshold;
///   image 0 class 1: b3 0.95, b1 0.6, b2 0.3 kept (b0 0.2 below);
///   image 1 class 0: b3 0.4 kept; image 1 class 1: b0 and b1 tie at 0.5, b0 (lower index) first, b1 suppressed.
final class NMSTests: XCTestCase {
    private let quadBoxes = Tensor.f32([0, 0, 10, 10, 1, 0, 11, 10, 0, 5, 10, 15, 20, 20, 30, 30,
                                        0, 0, 10, 10, 1, 0, 11, 10, 0, 5, 10, 15, 20, 20, 30, 30], dims: [2, 4, 4])
    private let quadScores = Tensor.f32([0.9, 0.8, 0.7, 0.1, 0.2, 0.6, 0.3, 0.95,
                                         0.1, 0.1, 0.1, 0.4, 0.5, 0.5, 0.0, 0.0], dims: [2, 2, 4])

    private func multiclass(_ configure: (inout MulticlassNms) -> Void = { _ in }) -> MulticlassNms {
        var op = MulticlassNms()
        op.iouThreshold = 0.5
        op.scoreThreshold = 0.25
        op.sortResultType = .score
        configure(&op)
        return op
    }

    /// One image, one class: boxes [N, 4] flattened and their scores.
    private func single(_ op: MulticlassNms, _ boxes: [Float], _ scores: [Float]) throws -> [Tensor] {
        try evaluate(op, [.f32(boxes, dims: [1, scores.count, 4]), .f32(scores, dims: [1, 1, scores.count])])
    }

    // MARK: MulticlassNms

    func testMulticlassTwoImagesByScore() throws {
        // image 0 by score: (c1 0.95 b3) (c0 0.9 b0) (c0 0.7 b2) (c1 0.6 b1) (c1 0.3 b2); image 1: (c1 0.5 b0) (c0 0.4 b3)
        let out = try evaluate(multiclass(), [quadBoxes, quadScores])
        XCTAssertEqual(out[0].dims, [7, 6])
        XCTAssertEqual(floats(out[0]), [1, 0.95, 20, 20, 30, 30,
                                        0, 0.9, 0, 0, 10, 10,
                                        0, 0.7, 0, 5, 10, 15,
                                        1, 0.6, 1, 0, 11, 10,
                                        1, 0.3, 0, 5, 10, 15,
                                        1, 0.5, 0, 0, 10, 10,
                                        0, 0.4, 20, 20, 30, 30])
        // flat indices b·4 + i
        XCTAssertEqual(out[1].dims, [7, 1])
        XCTAssertEqual(out[1].elementType, .i64)
        XCTAssertEqual(out[1].intValues(), [3, 0, 2, 1, 2, 4, 7])
        XCTAssertEqual(out[2].intValues(), [5, 2])
        // sort_result_type none keeps each image's rows by score, as OpenVINO's CPU plugin does
        let none = try evaluate(multiclass { $0.sortResultType = .none }, [quadBoxes, quadScores])
        XCTAssertEqual(none[1].intValues(), [3, 0, 2, 1, 2, 4, 7])
    }

    func testMulticlassClassOrderAndKeepTopK() throws {
        // by class, then score: image 0 (c0 0.9 b0) (c0 0.7 b2) (c1 0.95 b3) (c1 0.6 b1) (c1 0.3 b2); image 1 (c0 b3) (c1 b0)
        let byClass = try evaluate(multiclass { $0.sortResultType = .classID }, [quadBoxes, quadScores])
        XCTAssertEqual(byClass[1].intValues(), [0, 2, 3, 1, 2, 7, 4])
        XCTAssertEqual(byClass[2].intValues(), [5, 2])
        // keep_top_k 2 keeps the two best scores of each image before the class order: image 0 0.95 (b3, c1) and
        // 0.9 (b0, c0), then by class b0 before b3; image 1 keeps both
        let kept = try evaluate(multiclass { $0.sortResultType = .classID; $0.keepTopK = 2 }, [quadBoxes, quadScores])
        XCTAssertEqual(kept[1].intValues(), [0, 3, 7, 4])
        XCTAssertEqual(kept[2].intValues(), [2, 2])
        XCTAssertEqual(floats(kept[0]).count, 4 * 6)
        XCTAssertEqual(Array(floats(kept[0]).prefix(12)), [0, 0.9, 0, 0, 10, 10, 1, 0.95, 20, 20, 30, 30])
    }

    func testMulticlassSortAcrossBatch() throws {
        // all rows by score: 0.95 (idx 3), 0.9 (0), 0.7 (2), 0.6 (1), 0.5 (4), 0.4 (7), 0.3 (2)
        let score = try evaluate(multiclass { $0.sortResultAcrossBatch = true }, [quadBoxes, quadScores])
        XCTAssertEqual(score[1].intValues(), [3, 0, 2, 1, 4, 7, 2])
        XCTAssertEqual(score[2].intValues(), [5, 2])
        // by class, then batch, then score: c0 (i0 0.9, i0 0.7, i1 0.4), c1 (i0 0.95, 0.6, 0.3, i1 0.5)
        let byClass = try evaluate(multiclass { $0.sortResultAcrossBatch = true; $0.sortResultType = .classID }, [quadBoxes, quadScores])
        XCTAssertEqual(byClass[1].intValues(), [0, 2, 7, 3, 1, 2, 4])
        // none: image by image, each by score
        let none = try evaluate(multiclass { $0.sortResultAcrossBatch = true; $0.sortResultType = .none }, [quadBoxes, quadScores])
        XCTAssertEqual(none[1].intValues(), [3, 0, 2, 1, 2, 4, 7])
    }

    func testMulticlassBackgroundClassAndAnImageWithoutDetections() throws {
        // class 1 skipped; with score threshold 0.45 image 1's only class-0 score (0.4) is too low
        let out = try evaluate(multiclass { $0.backgroundClass = 1; $0.scoreThreshold = 0.45 }, [quadBoxes, quadScores])
        XCTAssertEqual(out[1].intValues(), [0, 2])
        XCTAssertEqual(out[2].intValues(), [2, 0])
        XCTAssertEqual(floats(out[0]), [0, 0.9, 0, 0, 10, 10, 0, 0.7, 0, 5, 10, 15])
        // nothing passes: empty rows, zero counts
        let none = try evaluate(multiclass { $0.scoreThreshold = 0.99 }, [quadBoxes, quadScores])
        XCTAssertEqual(none.map(\.dims), [[0, 6], [0, 1], [2]])
        XCTAssertEqual(none[2].intValues(), [0, 0])
    }

    func testMulticlassThresholdsAtTheBoundary() throws {
        // [0,0,4,1] and [0,0,2,1]: intersection 2, union 4 + 2 - 2 = 4, IoU exactly 0.5
        let boxes: [Float] = [0, 0, 4, 1, 0, 0, 2, 1]
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.5 }, boxes, [0.9, 0.8])[2].intValues(), [1])  // IoU >= 0.5 suppresses
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.51 }, boxes, [0.9, 0.8])[2].intValues(), [2])
        // a score equal to score_threshold is kept
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.9; $0.scoreThreshold = 0.8 }, boxes, [0.9, 0.8])[2].intValues(), [2])
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.9; $0.scoreThreshold = 0.85 }, boxes, [0.9, 0.8])[2].intValues(), [1])
        // normalized = false adds 1 to widths and heights: areas 5·2 = 10 and 3·2 = 6, intersection 3·2 = 6, IoU 6/10 = 0.6
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.55 }, boxes, [0.9, 0.8])[2].intValues(), [2])
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.55; $0.normalized = false }, boxes, [0.9, 0.8])[2].intValues(), [1])
    }

    func testMulticlassNmsTopKLimitsTheCandidates() throws {
        // b0 [0,0,4,1] 0.9, b1 [0,0,2,1] 0.8 (IoU 0.5 with b0), b2 [10,0,14,1] 0.7 (overlaps nothing)
        let boxes: [Float] = [0, 0, 4, 1, 0, 0, 2, 1, 10, 0, 14, 1]
        // only the 2 best candidates enter: b0 kept, b1 suppressed; b2 is never considered
        let top2 = try single(multiclass { $0.nmsTopK = 2 }, boxes, [0.9, 0.8, 0.7])
        XCTAssertEqual(top2[1].intValues(), [0])
        XCTAssertEqual(try single(multiclass { $0.nmsTopK = -1 }, boxes, [0.9, 0.8, 0.7])[1].intValues(), [0, 2])
    }

    func testMulticlassAdaptiveThreshold() throws {
        // b0 [0,0,4,1] 0.9, b1 [0,0,2,1] 0.8 (IoU 0.5 with b0), b2 [10,0,14,1] 0.7
        let boxes: [Float] = [0, 0, 4, 1, 0, 0, 2, 1, 10, 0, 14, 1]
        // threshold 0.8: all three kept
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.8 }, boxes, [0.9, 0.8, 0.7])[1].intValues(), [0, 1, 2])
        // nms_eta 0.5: after b0 the threshold is 0.8·0.5 = 0.4 <= 0.5, so b1 goes; b2 stays; 0.4 no longer shrinks
        XCTAssertEqual(try single(multiclass { $0.iouThreshold = 0.8; $0.nmsEta = 0.5 }, boxes, [0.9, 0.8, 0.7])[1].intValues(), [0, 2])
    }

    func testMulticlassAdaptiveLoopStopsAtAScoreEqualToTheThreshold() throws {
        // OpenVINO's nms_eta < 1 loop compares a candidate whose score equals score_threshold with the most recently
        // selected box only. b0 [0,0,4,1] 0.9, b1 [10,0,14,1] 0.8, b2 [0,0,2,1] (IoU 0.5 with b0, 0 with b1).
        // After b0 the threshold is 0.4; b1 is selected; b2 at 0.7 = score_threshold meets only b1 and is kept.
        let boxes: [Float] = [0, 0, 4, 1, 10, 0, 14, 1, 0, 0, 2, 1]
        let op = multiclass { $0.iouThreshold = 0.8; $0.nmsEta = 0.5; $0.scoreThreshold = 0.7 }
        XCTAssertEqual(try single(op, boxes, [0.9, 0.8, 0.7])[1].intValues(), [0, 1, 2])
        // at 0.75 it meets b0 too (IoU 0.5 >= 0.4) and is suppressed
        XCTAssertEqual(try single(op, boxes, [0.9, 0.8, 0.75])[1].intValues(), [0, 1])
    }

    func testMulticlassZeroAreaAndReversedBoxes() throws {
        // two identical zero-width boxes and one [0,0,4,8] containing them: a box without area overlaps nothing
        let degenerate = try single(multiclass(), [2, 2, 2, 6, 2, 2, 2, 6, 0, 0, 4, 8], [0.9, 0.8, 0.7])
        XCTAssertEqual(degenerate[1].intValues(), [0, 1, 2])
        XCTAssertEqual(Array(floats(degenerate[0]).prefix(6)), [0, 0.9, 2, 2, 2, 6])
        // MulticlassNms reads x1, y1, x2, y2 as given: [4,1,0,0] spans -4 by -1 (area 4 > 0) and its "intersection"
        // with [0,0,4,1] is min(4, 0) - max(0, 4) < 0, so it is kept and comes back unchanged
        let reversed = try single(multiclass(), [0, 0, 4, 1, 4, 1, 0, 0], [0.9, 0.8])
        XCTAssertEqual(floats(reversed[0]), [0, 0.9, 0, 0, 4, 1, 0, 0.8, 4, 1, 0, 0])
    }

    func testMulticlassHalfInputsAndI32Outputs() throws {
        var op = multiclass()
        op.outputType = .i32
        let boxes = Tensor(.f16, dims: [1, 2, 4], values: ([0, 0, 4, 1, 10, 0, 14, 1] as [Float]).map(Float16.init))
        let scores = Tensor(.f16, dims: [1, 1, 2], values: ([0.5, 0.75] as [Float]).map(Float16.init))
        let out = try evaluate(op, [boxes, scores])
        XCTAssertEqual(out[0].elementType, .f16)
        XCTAssertEqual(out[0].elements(Float16.self).map(Float.init), [0, 0.75, 10, 0, 14, 1, 0, 0.5, 0, 0, 4, 1])
        XCTAssertEqual(out[1].elementType, .i32)
        XCTAssertEqual(out[1].intValues(), [1, 0])
        XCTAssertEqual(out[2].elementType, .i32)
        XCTAssertEqual(out[2].intValues(), [2])
    }

    // MARK: NonMaxSuppression

    private func scalar(_ v: Float) -> Tensor { .scalar(f32: v) }

    func testNonMaxSuppressionTwoImagesTwoClasses() throws {
        // the same selections as MulticlassNms on these inputs (no score equals 0.25): by batch, class, selection
        // (0,0,b0 0.9) (0,0,b2 0.7) (0,1,b3 0.95) (0,1,b1 0.6) (0,1,b2 0.3) (1,0,b3 0.4) (1,1,b0 0.5)
        let inputs = [quadBoxes, quadScores, .scalar(i64: 10), scalar(0.5), scalar(0.25)]
        let unsorted = try evaluate(NonMaxSuppression(boxEncoding: .corner, sortResultDescending: false), inputs)
        XCTAssertEqual(unsorted[0].dims, [7, 3])
        XCTAssertEqual(unsorted[0].intValues(), [0, 0, 0, 0, 0, 2, 0, 1, 3, 0, 1, 1, 0, 1, 2, 1, 0, 3, 1, 1, 0])
        XCTAssertEqual(floats(unsorted[1]), [0, 0, 0.9, 0, 0, 0.7, 0, 1, 0.95, 0, 1, 0.6, 0, 1, 0.3, 1, 0, 0.4, 1, 1, 0.5])
        XCTAssertEqual(unsorted[2].intValues(), [7])
        // sorted by score across everything: 0.95, 0.9, 0.7, 0.6, 0.5, 0.4, 0.3
        let sorted = try evaluate(NonMaxSuppression(), inputs)
        XCTAssertEqual(sorted[0].intValues(), [0, 1, 3, 0, 0, 0, 0, 0, 2, 0, 1, 1, 1, 1, 0, 1, 0, 3, 0, 1, 2])
        XCTAssertEqual(sorted[1].elementType, .f32)
        XCTAssertEqual(sorted[2].elementType, .i64)
        // one box per image and class: (0,0,b0 0.9) (0,1,b3 0.95) (1,0,b3 0.4) (1,1,b0 0.5), then by score
        let one = try evaluate(NonMaxSuppression(), [quadBoxes, quadScores, .scalar(i64: 1), scalar(0.5), scalar(0.25)])
        XCTAssertEqual(one[0].intValues(), [0, 1, 3, 0, 0, 0, 1, 1, 0, 1, 0, 3])
        // a maximum beyond N (INT64_MAX, as PyTorch's NMS export writes) means all
        let all = try evaluate(NonMaxSuppression(), [quadBoxes, quadScores, .scalar(i64: Int(Int64.max)), scalar(0.5), scalar(0.25)])
        XCTAssertEqual(all[2].intValues(), [7])
    }

    func testNonMaxSuppressionBoundariesAndEncodings() throws {
        // [0,0,4,1] and [0,0,2,1] (IoU exactly 0.5), the second given by its other diagonal [2,1,0,0]
        let boxes = Tensor.f32([0, 0, 4, 1, 2, 1, 0, 0], dims: [1, 2, 4])
        let scores = Tensor.f32([0.9, 0.8], dims: [1, 1, 2])
        func count(_ op: NonMaxSuppression, _ b: Tensor, iou: Float, score: Float = 0) throws -> Int? {
            try evaluate(op, [b, scores, .scalar(i64: 5), scalar(iou), scalar(score)])[2].intValues()?.first
        }
        XCTAssertEqual(try count(NonMaxSuppression(), boxes, iou: 0.5), 1)   // IoU >= 0.5 suppresses
        XCTAssertEqual(try count(NonMaxSuppression(), boxes, iou: 0.55), 2)
        // a score equal to score_threshold is dropped (unlike MulticlassNms)
        XCTAssertEqual(try count(NonMaxSuppression(), boxes, iou: 0.9, score: 0.8), 1)
        XCTAssertEqual(try count(NonMaxSuppression(), boxes, iou: 0.9, score: 0.75), 2)
        // center encoding: (x_center, y_center, width, height) (2, 0.5, 4, 1) and (1, 0.5, 2, 1) are the same two boxes
        let centers = Tensor.f32([2, 0.5, 4, 1, 1, 0.5, 2, 1], dims: [1, 2, 4])
        XCTAssertEqual(try count(NonMaxSuppression(boxEncoding: .center), centers, iou: 0.5), 1)
        XCTAssertEqual(try count(NonMaxSuppression(boxEncoding: .center), centers, iou: 0.55), 2)
    }

    func testSoftNonMaxSuppression() throws {
        // b0 [0,0,4,1] 0.9, b1 [0,0,2,1] 0.8 (IoU 0.5 with b0), b2 [10,0,14,1] 0.7; sigma 0.5:
        // weight exp(-0.5 · 0.5² / 0.5) = exp(-0.25) = 0.7788008, so b1 decays to 0.8 · 0.7788008 = 0.6230406 and
        // is put back; b2 (untouched by b0) is selected next, then b1, which b2 does not touch. iou_threshold 0.3 plays
        // no part in Soft-NMS.
        let boxes = Tensor.f32([0, 0, 4, 1, 0, 0, 2, 1, 10, 0, 14, 1], dims: [1, 3, 4])
        let scores = Tensor.f32([0.9, 0.8, 0.7], dims: [1, 1, 3])
        let soft = try evaluate(NonMaxSuppression(boxEncoding: .corner, sortResultDescending: false),
                                [boxes, scores, .scalar(i64: 10), scalar(0.3), scalar(0), scalar(0.5)])
        XCTAssertEqual(soft[0].intValues(), [0, 0, 0, 0, 0, 2, 0, 0, 1])
        assertClose(floats(soft[1]), [0, 0, 0.9, 0, 0, 0.7, 0, 0, 0.6230406], accuracy: 1e-6)
        // with score_threshold 0.65 the decayed b1 (0.623) is dropped
        let dropped = try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: 10), scalar(0.3), scalar(0.65), scalar(0.5)])
        XCTAssertEqual(dropped[0].intValues(), [0, 0, 0, 0, 0, 2])
        // max_output_boxes_per_class 2 stops after b0 and b2
        let two = try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: 2), scalar(0.3), scalar(0), scalar(0.5)])
        XCTAssertEqual(two[0].intValues(), [0, 0, 0, 0, 0, 2])
    }

    func testNonMaxSuppressionSelectsNothingWithoutAMaximum() throws {
        let boxes = Tensor.f32([0, 0, 4, 1], dims: [1, 1, 4]), scores = Tensor.f32([0.9], dims: [1, 1, 1])
        let none = try evaluate(NonMaxSuppression(), [boxes, scores])
        XCTAssertEqual(none.map(\.dims), [[0, 3], [0, 3], [1]])
        XCTAssertEqual(none[2].intValues(), [0])
        XCTAssertEqual(try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: 0)])[2].intValues(), [0])
    }

    func testNonMaxSuppressionZeroAreaBoxes() throws {
        // As OpenVINO's x86 kernel computes it, without special-casing empty boxes: the two identical zero-width
        // boxes give 0/0 (NaN), which suppresses nothing even at threshold 0; [0,0,4,8] beside a zero-width box gives
        // 0 / 32 = 0 >= 0 and is suppressed.
        let boxes = Tensor.f32([2, 2, 2, 6, 2, 2, 2, 6, 0, 0, 4, 8], dims: [1, 3, 4])
        let scores = Tensor.f32([0.9, 0.8, 0.7], dims: [1, 1, 3])
        let out = try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: 10), scalar(0)])
        XCTAssertEqual(out[0].intValues(), [0, 0, 0, 0, 0, 1])
        // at threshold 0.5 nothing is suppressed
        XCTAssertEqual(try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: 10), scalar(0.5)])[2].intValues(), [3])
    }

    func testNonMaxSuppressionI32AndRefusedValues() throws {
        let boxes = Tensor.f32([0, 0, 4, 1], dims: [1, 1, 4]), scores = Tensor.f32([0.9], dims: [1, 1, 1])
        let i32 = try evaluate(NonMaxSuppression(boxEncoding: .corner, outputType: .i32), [boxes, scores, .scalar(i64: 3)])
        XCTAssertEqual(i32[0].elementType, .i32)
        XCTAssertEqual(i32[0].intValues(), [0, 0, 0])
        XCTAssertEqual(i32[2].elementType, .i32)
        XCTAssertThrowsError(try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: -1)])) { error in
            XCTAssertEqual((error as? EvaluatorError)?.node, "node")
            XCTAssertTrue("\(error)".contains("NonMaxSuppression node 'node': max_output_boxes_per_class must not be negative, got -1"), "\(error)")
        }
        XCTAssertThrowsError(try evaluate(NonMaxSuppression(), [boxes, scores, .scalar(i64: 3), scalar(0.5), scalar(0), scalar(-1)])) {
            XCTAssertTrue("\($0)".contains("soft_nms_sigma must not be negative"), "\($0)")
        }
    }
}
