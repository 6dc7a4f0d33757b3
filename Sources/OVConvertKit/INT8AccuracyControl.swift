import Calibration
import Evaluator
import Foundation
import OVIR
import Passes

/// `--int8-max-drop X`: measures the INT8 model against the FP32 one on held-out samples in the evaluator and,
/// while the drop exceeds X, returns the most sensitive quantized nodes to float.
///
/// - The drop (`Metric`): for a YOLO-style detection head, 1 − F1 of the detections after NMS (IoU 0.7, per class)
///   against FP32's, matched at IoU ≥ 0.5 with the same class, pooled over the samples, and averaged over the
///   confidence thresholds 0.10, 0.15, …, 0.50 (`confidences`): at one threshold, a held-out set with a few boxes
///   near it moves the drop in steps of 1/boxes, so a limit below one step is met only with every node in float
///   (nudenet_320n, limit 0.05, 16 held-out crops of photographs with few people: at conf 0.25 alone the drop was
///   0.29 and all 69 nodes returned). Averaging smooths the steps but not the floor a small held-out set has: on 64
///   crops of two photographs of people, the most sensitive node took the drop from 0.140 to 0.063, and 29 more only
///   to 0.049. For outputs that are all `[B, C]` (classifiers), 1 − the share of rows whose top class agrees; else
///   the mean relative error ‖int8 − fp32‖₂ / ‖fp32‖₂ over samples and outputs.
/// - Sensitivity: each quantized node is returned to float alone and the raw outputs' relative error measured on
///   the first `rankingSamples` samples (a continuous measure, where F1 over a few boxes ties); the node whose return
///   leaves the smallest error is the most sensitive.
/// - How many of the most sensitive return: the fewest for which the drop is within the limit, found by doubling
///   the count, then bisecting (a few measurements where one node at a time would take as many as there are
///   nodes; the drop is not strictly monotonic in the count, so this is the fewest along that search, and the
///   drop reported is the one measured for it).
/// - Every variant is a copy of the FP32 graph quantized with the same ranges and more nodes kept float, so the
///   graph finally written is the same as the last one measured.
struct INT8AccuracyControl {
    enum Metric: String {
        case detections = "detections F1 (mean over conf 0.10-0.50)"
        case top1 = "top-1 agreement"
        case relativeError = "relative error"
    }

    struct Outcome {
        var metric: Metric
        var samples: Int
        /// The drop with every planned node quantized, then after returning `returned` to float.
        var before: Double
        var after: Double
        /// Node names returned to float, most sensitive first.
        var returned: [String]
        /// Quantized nodes ranked.
        var candidates: Int
        /// Each count of most sensitive nodes in float the search measured, with its drop, by count.
        var measured: [(count: Int, drop: Double)] = []
    }

    /// The optimized FP32 graph, left as it is.
    let graph: Graph
    let ranges: QuantizationRanges
    let options: QuantizationOptions
    let samples: any CalibrationSource
    let maxDrop: Double
    var workers = ProcessInfo.processInfo.activeProcessorCount
    /// Samples the ranking measures on (the first ones).
    var rankingSamples = 4
    /// Told what is being measured, for a progress line.
    var progress: ((String) -> Void)?

    static let reason = "returned to float by --int8-max-drop"
    /// The confidence thresholds the detections' F1 is averaged over; NMS runs at the lowest.
    static let confidences: [Float] = (2...10).map { Float($0) * 0.05 }

    func run() throws -> Outcome {
        let reference = try measurable(graph.copy())
        let metric = reference.metric
        progress?("--int8-max-drop: FP32 on \(samples.count) held-out samples")
        let fp32 = try evaluate(reference.graph, samples: samples.count)
        let before = Self.drop(metric, fp32, try evaluate(variant(returning: []), samples: samples.count))
        var outcome = Outcome(metric: metric, samples: samples.count, before: before, after: before, returned: [], candidates: 0)
        guard before > maxDrop else { return outcome }

        let planned = QuantizeINT8.plan(graph, options: options)
        var seen = Set<String>()
        let candidates = planned.sites.map(\.consumer.name).filter { seen.insert($0).inserted }
        outcome.candidates = candidates.count
        let ranking = Swift.min(rankingSamples, samples.count)
        var errors: [(name: String, error: Double)] = []
        for (k, name) in candidates.enumerated() {
            progress?("--int8-max-drop: ranking \(k + 1)/\(candidates.count) '\(name)'")
            let outputs = try evaluate(variant(returning: [name]), samples: ranking)
            errors.append((name, Self.relativeError(Array(fp32.prefix(ranking)), outputs, detections: metric == .detections)))
        }
        // Smallest error left with the node in float first; ties keep graph order.
        let ranked = errors.enumerated().sorted { ($0.element.error, $0.offset) < ($1.element.error, $1.offset) }.map(\.element.name)
        var drops: [Int: Double] = [0: before]
        func drop(returning count: Int) throws -> Double {
            if let known = drops[count] { return known }
            progress?("--int8-max-drop: measuring with the \(count) most sensitive in float")
            let d = Self.drop(metric, fp32, try evaluate(variant(returning: Array(ranked.prefix(count))), samples: samples.count))
            drops[count] = d
            return d
        }
        // Doubling finds a count within the limit (all of them is the FP32 graph), bisection the fewest after the last
        // count that was not.
        var failing = 0, passing = 1
        while passing < ranked.count, try drop(returning: passing) > maxDrop {
            failing = passing
            passing = Swift.min(passing * 2, ranked.count)
        }
        if try drop(returning: passing) > maxDrop { passing = ranked.count }
        while passing - failing > 1 {
            let middle = (failing + passing) / 2
            if try drop(returning: middle) <= maxDrop { passing = middle } else { failing = middle }
        }
        outcome.returned = Array(ranked.prefix(passing))
        outcome.after = try drop(returning: passing)
        outcome.measured = drops.sorted { $0.key < $1.key }.map { (count: $0.key, drop: $0.value) }
        return outcome
    }

    /// The FP32 graph quantized with `returned` kept float, made measurable.
    private func variant(returning returned: [String]) throws -> Graph {
        let (copy, counterparts) = try graph.copyWithCounterparts()
        var kept = options
        for name in returned { kept.keptFloat[name] = Self.reason }
        _ = try QuantizeINT8(options: kept, ranges: ranges.moved(to: counterparts)).run(on: copy)
        return try measurable(copy).graph
    }

    /// `graph` with what the metric reads: for a detection head, the NMS detections replace its output and the raw
    /// prediction is a last extra output.
    private func measurable(_ graph: Graph) throws -> (graph: Graph, metric: Metric) {
        if let head = try? DetectionHead.find(in: graph, layout: nil, classCount: nil) {
            try graph.addResult(head.prediction, name: "\(head.result.name)/raw")
            var nms = NMSOptions()
            nms.confidence = Double(Self.confidences[0])
            try InsertNMS(nms).insert(at: head, in: graph)
            return (graph, .detections)
        }
        let classifier = graph.results.allSatisfy { $0.inputs[0].shape.dims?.count == 2 && $0.inputs[0].elementType == .f32 }
        return (graph, classifier ? .top1 : .relativeError)
    }

    /// The outputs of the first `count` samples, samples spread over the workers.
    private func evaluate(_ graph: Graph, samples count: Int) throws -> [[Tensor]] {
        var results = [[Tensor]](repeating: [], count: count)
        let evaluator = Evaluator()
        try results.withUnsafeMutableBufferPointer { slots in
            let slots = slots
            try ParallelSamples.run(count: count, workers: workers, label: "held-out sample") { _, index in
                slots[index] = try evaluator.run(graph, inputs: samples.sample(at: index))
            }
        }
        return results
    }

    /// The metric's drop of `int8` against `fp32`, per sample outputs.
    static func drop(_ metric: Metric, _ fp32: [[Tensor]], _ int8: [[Tensor]]) -> Double {
        switch metric {
        case .detections:
            // Above a threshold, NMS from the lowest keeps what NMS from that threshold would: a box is suppressed
            // only by a higher-scoring one.
            let images = zip(fp32, int8).map { f, q in zip(detections(f[0]), detections(q[0])) }.flatMap { $0 }
            let drops = confidences.map { conf in
                var matched = 0, expected = 0, actual = 0
                for (e, a) in images {
                    let e = e.filter { $0.score >= conf }, a = a.filter { $0.score >= conf }
                    matched += matches(expected: e, actual: a)
                    expected += e.count
                    actual += a.count
                }
                return expected + actual == 0 ? 0 : 1 - 2 * Double(matched) / Double(expected + actual)
            }
            return drops.reduce(0, +) / Double(drops.count)
        case .top1:
            var agree = 0, rows = 0
            for (f, q) in zip(fp32, int8) {
                for (ft, qt) in zip(f, q) {
                    let (a, b) = (ft.floats, qt.floats)
                    let classes = ft.dims.last ?? 1
                    guard classes > 0 else { continue }
                    for r in 0..<(a.count / classes) {
                        rows += 1
                        agree += argmax(a[(r * classes)..<((r + 1) * classes)]) == argmax(b[(r * classes)..<((r + 1) * classes)]) ? 1 : 0
                    }
                }
            }
            return rows == 0 ? 0 : 1 - Double(agree) / Double(rows)
        case .relativeError:
            return relativeError(fp32, int8, detections: false)
        }
    }

    /// Mean over samples and outputs of ‖int8 − fp32‖₂ / ‖fp32‖₂; with `detections`, of the raw prediction (the last
    /// output) only.
    static func relativeError(_ fp32: [[Tensor]], _ int8: [[Tensor]], detections: Bool) -> Double {
        var total = 0.0, n = 0
        for (f, q) in zip(fp32, int8) {
            for (ft, qt) in zip(detections ? [f.last!] : f, detections ? [q.last!] : q) where ft.elementType == .f32 {
                var diff = 0.0, norm = 0.0
                for (x, y) in zip(ft.floats, qt.floats) {
                    diff += Double(y - x) * Double(y - x)
                    norm += Double(x) * Double(x)
                }
                total += norm > 0 ? (diff / norm).squareRoot() : diff.squareRoot()
                n += 1
            }
        }
        return n == 0 ? 0 : total / Double(n)
    }

    /// One detection: corners, score, class.
    struct Detection {
        var box: (Float, Float, Float, Float)
        var score: Float
        var label: Float
    }

    /// The rows of `[B, max_det, 6+]` NMS output per image, those with a score (the rest is zero padding).
    static func detections(_ tensor: Tensor) -> [[Detection]] {
        let v = tensor.floats, dims = tensor.dims
        guard dims.count == 3, dims[2] >= 6 else { return [] }
        let width = dims[2]
        return (0..<dims[0]).map { b in
            (0..<dims[1]).compactMap { r in
                let o = (b * dims[1] + r) * width
                return v[o + 4] > 0 ? Detection(box: (v[o], v[o + 1], v[o + 2], v[o + 3]), score: v[o + 4], label: v[o + 5]) : nil
            }
        }
    }

    /// How many `actual` detections match an `expected` one: greedily in `actual`'s order (best first), the unused
    /// expected box of the same class with the highest IoU, at least 0.5.
    static func matches(expected: [Detection], actual: [Detection]) -> Int {
        var used = [Bool](repeating: false, count: expected.count)
        var matched = 0
        for a in actual {
            var best: Int?, bestIoU: Float = 0.5
            for (j, e) in expected.enumerated() where !used[j] && e.label == a.label {
                let overlap = iou(a.box, e.box)
                if overlap >= bestIoU { best = j; bestIoU = overlap }
            }
            if let best {
                used[best] = true
                matched += 1
            }
        }
        return matched
    }

    static func iou(_ a: (Float, Float, Float, Float), _ b: (Float, Float, Float, Float)) -> Float {
        let w = max(0, min(a.2, b.2) - max(a.0, b.0)), h = max(0, min(a.3, b.3) - max(a.1, b.1))
        let inter = w * h
        let union = (a.2 - a.0) * (a.3 - a.1) + (b.2 - b.0) * (b.3 - b.1) - inter
        return union > 0 ? inter / union : 0
    }

    private static func argmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }
}

private extension Tensor {
    /// The values of an f32 tensor.
    var floats: [Float] { QuantizeINT8.floats(self) }
}
