import Foundation
import OVIR

// Non-maximum suppression: NonMaxSuppression-9 and MulticlassNms-9. Where the spec leaves room, the kernels do
// what OpenVINO's CPU plugin does (the runtime converted models run on), checked against it on random inputs:
// - IoU is computed in f32 as intersection / (area1 + area2 - intersection), and a candidate is suppressed when
//   its IoU with a selected box is >= the threshold;
// - in MulticlassNms and soft-NMS a box whose area is not positive overlaps nothing; hard NonMaxSuppression
//   uses the formula as it stands, as the CPU plugin's x86 kernel does: two empty boxes give 0/0 (NaN), which
//   suppresses nothing, and a zero-area box beside another gives IoU 0 (suppressed only by a threshold <= 0).
//   (That kernel's soft-NMS turns the NaN of two empty boxes into an infinite score; here they do not overlap.)
// - MulticlassNms keeps candidates whose score is >= score_threshold, NonMaxSuppression those whose score is
//   > score_threshold;
// - candidates are taken by score, descending, equal scores by lower box index first;
// - MulticlassNms reads boxes as given (x1, y1, x2, y2, no reordering of the corners), NonMaxSuppression's
//   corner encoding accepts either diagonal.

let nmsKernels: [String: Kernel] = [
    NonMaxSuppression.type: nonMaxSuppression,
    MulticlassNms.type: multiclassNms,
]

/// One selected box: image, class, box index within the image and its score (decayed by soft-NMS).
private struct Detection {
    var batch: Int
    var classIndex: Int
    var box: Int
    var score: Float
}

/// A box as two coordinate ranges: `lo0...hi0` (y for NonMaxSuppression's corner order, x for MulticlassNms;
/// IoU does not care which) and `lo1...hi1`.
private struct Box {
    var lo0: Float, lo1: Float, hi0: Float, hi1: Float
}

/// Intersection over union; `extra` is added to every width and height (1 for MulticlassNms with
/// normalized = false). With `emptyOverlapsNothing` a box without a positive area gives 0.
private func intersectionOverUnion(_ a: Box, _ b: Box, extra: Float = 0, emptyOverlapsNothing: Bool = true) -> Float {
    let areaA = (a.hi0 - a.lo0 + extra) * (a.hi1 - a.lo1 + extra)
    let areaB = (b.hi0 - b.lo0 + extra) * (b.hi1 - b.lo1 + extra)
    if emptyOverlapsNothing && (areaA <= 0 || areaB <= 0) { return 0 }
    let intersection = max(min(a.hi0, b.hi0) - max(a.lo0, b.lo0) + extra, 0) * max(min(a.hi1, b.hi1) - max(a.lo1, b.lo1) + extra, 0)
    return intersection / (areaA + areaB - intersection)
}

/// B, N and C of boxes `[B, N, 4]` and scores `[B, C, N]`, checked against each other.
private func nmsDims(_ boxes: Tensor, _ scores: Tensor) throws -> (batch: Int, boxes: Int, classes: Int) {
    let (b, s) = (boxes.dims, scores.dims)
    guard b.count == 3, b[2] == 4 else { throw KernelError("boxes must be [batch, boxes, 4], got \(b)") }
    guard s.count == 3, s[0] == b[0], s[2] == b[1] else {
        throw KernelError("scores \(s) do not fit boxes \(b): expected [\(b[0]), classes, \(b[1])]")
    }
    return (b[0], b[1], s[1])
}

/// The box indices of one image and class whose score passes `keep`, highest score first, equal scores by
/// lower index first.
private func candidates(_ scores: ArraySlice<Float>, keep: (Float) -> Bool) -> [Int] {
    let base = scores.startIndex
    return scores.indices.filter { keep(scores[$0]) }.map { $0 - base }.sorted { a, b in
        let (x, y) = (scores[base + a], scores[base + b])
        return x > y || (x == y && a < b)
    }
}

/// Score descending, then batch, class and box ascending: the order of every score-sorted result. (The CPU
/// plugin's MulticlassNms counts scores less than 1e-6 apart as equal, with a comparator that is not a strict
/// weak order: its order of such rows changes with its thread count, so exact scores decide here.)
private func byScore(_ l: Detection, _ r: Detection) -> Bool {
    if l.score != r.score { return l.score > r.score }
    return (l.batch, l.classIndex, l.box) < (r.batch, r.classIndex, r.box)
}

private func indexTensor(_ values: [Int], dims: [Int], _ type: ElementType) throws -> Tensor {
    switch type {
    case .i64: return .i64(values, dims: dims)
    case .i32: return .i32(values, dims: dims)
    default: throw KernelError("output_type \(type) is not i32 or i64")
    }
}

/// MulticlassNms (opset9, boxes shared by the classes): per image and class, the candidates with score >=
/// score_threshold, the best nms_top_k of them, greedy suppression of IoU >= the threshold against the boxes
/// selected so far (with nms_eta < 1 the threshold shrinks by nms_eta after each selected box while above 0.5);
/// the background class is skipped. Each image's selections are then ordered by score (descending; equal scores
/// by class, then box), cut to keep_top_k and, for sort_result_type classid, ordered by class then score;
/// sort_result_across_batch sorts all rows by score or class (then batch) instead of image by image.
private func multiclassNms(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(MulticlassNms.self)
    guard ctx.inputs.count == 2 else { throw KernelError("expects boxes and scores, got \(ctx.inputs.count) inputs") }
    let (batch, n, classes) = try nmsDims(ctx.inputs[0], ctx.inputs[1])
    let coordinates = try ctx.inputs[0].floats("boxes"), scores = try ctx.inputs[1].floats("scores")
    let iouThreshold = Float(op.iouThreshold), scoreThreshold = Float(op.scoreThreshold), eta = Float(op.nmsEta)
    let adaptive = eta < 1
    let extra: Float = op.normalized ? 0 : 1
    let perClass = op.nmsTopK < 0 ? n : min(op.nmsTopK, n)
    func box(_ b: Int, _ i: Int) -> Box {
        let p = (b * n + i) * 4
        return Box(lo0: coordinates[p], lo1: coordinates[p + 1], hi0: coordinates[p + 2], hi1: coordinates[p + 3])
    }
    var rows: [Detection] = []
    var counts: [Int] = []
    for b in 0..<batch {
        var image: [Detection] = []
        for c in 0..<classes where c != op.backgroundClass {
            let classScores = scores[((b * classes + c) * n)..<((b * classes + c + 1) * n)]
            var threshold = iouThreshold
            var selected: [Int] = []
            for i in candidates(classScores, keep: { $0 >= scoreThreshold }).prefix(perClass) {
                let candidate = box(b, i), score = classScores[classScores.startIndex + i]
                var suppressed = false
                for j in selected.reversed() {
                    if intersectionOverUnion(candidate, box(b, j), extra: extra) >= threshold {
                        suppressed = true
                        break
                    }
                    // OpenVINO's adaptive (nms_eta < 1) loop stops comparing a candidate whose score is not above
                    // score_threshold (only one exactly at it gets here) after the most recently selected box.
                    if adaptive && score <= scoreThreshold { break }
                }
                guard !suppressed else { continue }
                if adaptive && threshold > 0.5 { threshold *= eta }
                selected.append(i)
            }
            image += selected.map { Detection(batch: b, classIndex: c, box: $0, score: classScores[classScores.startIndex + $0]) }
        }
        image.sort(by: byScore)
        if op.keepTopK >= 0, image.count > op.keepTopK { image.removeLast(image.count - op.keepTopK) }
        if !op.sortResultAcrossBatch, op.sortResultType == .classID {
            image.sort { l, r in
                if l.classIndex != r.classIndex { return l.classIndex < r.classIndex }
                return l.score != r.score ? l.score > r.score : l.box < r.box
            }
        }
        counts.append(image.count)
        rows += image
    }
    if op.sortResultAcrossBatch {
        switch op.sortResultType {
        case .score: rows.sort(by: byScore)
        case .classID:
            rows.sort { l, r in
                if (l.classIndex, l.batch) != (r.classIndex, r.batch) { return (l.classIndex, l.batch) < (r.classIndex, r.batch) }
                return l.score != r.score ? l.score > r.score : l.box < r.box
            }
        case .none: break
        }
    }
    var selected: [Float] = []
    selected.reserveCapacity(rows.count * 6)
    for row in rows {
        let p = (row.batch * n + row.box) * 4
        selected += [Float(row.classIndex), row.score] + coordinates[p..<(p + 4)]
    }
    return [.f32(selected, dims: [rows.count, 6]),
            try indexTensor(rows.map { $0.batch * n + $0.box }, dims: [rows.count, 1], op.outputType),
            try indexTensor(counts, dims: [batch], op.outputType)]
}

/// NonMaxSuppression (opset9): per image and class, the candidates with score > score_threshold, taken by score
/// until max_output_boxes_per_class are selected. With soft_nms_sigma 0 a candidate is dropped when its IoU with
/// a selected box is >= iou_threshold. With soft_nms_sigma > 0 (Soft-NMS, where iou_threshold plays no part,
/// as in OpenVINO) each selected box it has not yet met scales its score by exp(-0.5 · IoU² / sigma); it is
/// dropped once the score is <= score_threshold, selected if no box changed it, else put back among the
/// candidates with its new score. Rows are (batch, class, box) and (batch, class, score), ordered by batch, class
/// and selection, or with sort_result_descending all by score (equal scores by batch, class, box).
private func nonMaxSuppression(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(NonMaxSuppression.self)
    let (batch, n, classes) = try nmsDims(ctx.inputs[0], ctx.inputs[1])
    let coordinates = try ctx.inputs[0].floats("boxes"), scores = try ctx.inputs[1].floats("scores")
    func scalar(_ index: Int) throws -> Float {
        guard index < ctx.inputs.count else { return 0 }
        let name = NonMaxSuppression.scalarInputs[index]!
        guard let v = try ctx.inputs[index].floats(name).first else { throw KernelError("\(name) is empty") }
        return v
    }
    var maxPerClass = 0
    if ctx.inputs.count > 2 {
        guard let v = try ctx.inputs[2].ints("max_output_boxes_per_class").first else {
            throw KernelError("max_output_boxes_per_class is empty")
        }
        guard v >= 0 else { throw KernelError("max_output_boxes_per_class must not be negative, got \(v)") }
        maxPerClass = min(v, n)
    }
    let iouThreshold = try scalar(3), scoreThreshold = try scalar(4), sigma = try scalar(5)
    guard sigma >= 0 else { throw KernelError("soft_nms_sigma must not be negative, got \(sigma)") }
    let scale: Float = sigma > 0 ? -0.5 / sigma : 0
    let boxes: [Box] = (0..<(batch * n)).map { i in
        let c = coordinates[(i * 4)..<(i * 4 + 4)], p = c.startIndex
        switch op.boxEncoding {
        case .corner:
            return Box(lo0: min(c[p], c[p + 2]), lo1: min(c[p + 1], c[p + 3]), hi0: max(c[p], c[p + 2]), hi1: max(c[p + 1], c[p + 3]))
        case .center:
            // x_center, y_center, width, height -> y1, x1, y2, x2
            return Box(lo0: c[p + 1] - c[p + 3] / 2, lo1: c[p] - c[p + 2] / 2, hi0: c[p + 1] + c[p + 3] / 2, hi1: c[p] + c[p + 2] / 2)
        }
    }
    var rows: [Detection] = []
    for b in 0..<batch where maxPerClass > 0 {
        for c in 0..<classes {
            let classScores = scores[((b * classes + c) * n)..<((b * classes + c + 1) * n)]
            let order = candidates(classScores, keep: { $0 > scoreThreshold })
            var selected: [Detection] = []
            if sigma == 0 {
                for i in order where selected.count < maxPerClass {
                    let candidate = boxes[b * n + i]
                    // `!(iou >= threshold)`, not `iou < threshold`: a NaN IoU (two empty boxes) suppresses nothing.
                    if selected.allSatisfy({ !(intersectionOverUnion(candidate, boxes[b * n + $0.box], emptyOverlapsNothing: false) >= iouThreshold) }) {
                        selected.append(Detection(batch: b, classIndex: c, box: i, score: classScores[classScores.startIndex + i]))
                    }
                }
            } else {
                selected = softNMS(order.map { (classScores[classScores.startIndex + $0], $0) }, limit: maxPerClass,
                                   scoreThreshold: scoreThreshold, scale: scale) { boxes[b * n + $0] }
                    .map { Detection(batch: b, classIndex: c, box: $0.box, score: $0.score) }
            }
            rows += selected
        }
    }
    if op.sortResultDescending { rows.sort(by: byScore) }
    let count = rows.count
    return [try indexTensor(rows.flatMap { [$0.batch, $0.classIndex, $0.box] }, dims: [count, 3], op.outputType),
            .f32(rows.flatMap { [Float($0.batch), Float($0.classIndex), $0.score] }, dims: [count, 3]),
            try indexTensor([count], dims: [1], op.outputType)]
}

/// Soft-NMS over candidates `(score, box)` already ordered by score (descending, then box): see
/// `nonMaxSuppression`. Returns the selected boxes with their final scores, in selection order.
private func softNMS(_ ordered: [(Float, Int)], limit: Int, scoreThreshold: Float, scale: Float,
                     box: (Int) -> Box) -> [(box: Int, score: Float)] {
    struct Candidate {
        var score: Float
        var box: Int
        /// The selected boxes before this one were already applied to `score`.
        var checkedUpTo: Int
    }
    // Highest priority last, so the best candidate is popped from the end: score, then lower box index.
    func before(_ l: Candidate, _ r: Candidate) -> Bool { l.score < r.score || (l.score == r.score && l.box > r.box) }
    var pending = ordered.reversed().map { Candidate(score: $0.0, box: $0.1, checkedUpTo: 0) }
    var selected: [(box: Int, score: Float)] = []
    while selected.count < limit, var candidate = pending.popLast() {
        let original = candidate.score
        var dropped = false
        for j in stride(from: selected.count - 1, through: candidate.checkedUpTo, by: -1) {
            let iou = intersectionOverUnion(box(candidate.box), box(selected[j].box))
            candidate.score *= exp(scale * iou * iou)
            // Written so that a NaN score (from NaN coordinates) drops the candidate rather than requeueing it forever.
            if !(candidate.score > scoreThreshold) {
                dropped = true
                break
            }
        }
        if dropped { continue }
        if candidate.score == original {
            selected.append((candidate.box, candidate.score))
        } else {
            candidate.checkedUpTo = selected.count
            let at = pending.partitioningIndex { !before($0, candidate) }
            pending.insert(candidate, at: at)
        }
    }
    return selected
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false and then true along
    /// the array (binary search).
    fileprivate func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var (lo, hi) = (startIndex, endIndex)
        while lo < hi {
            let mid = (lo + hi) / 2
            if predicate(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
