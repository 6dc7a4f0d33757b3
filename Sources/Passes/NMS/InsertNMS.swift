import OVIR

/// `--nms`: replaces a YOLO-style detection output by its final detections, computed inside the model
/// (`openvino-ir-facts.md` §7.3): boxes decoded from centre and size to corners, each box's best class kept
/// (as Ultralytics' default NMS), MulticlassNms-9 per class (or across classes with `agnostic`), and the
/// selected rows scattered into `[B, max_det, 6+extra]` = x1, y1, x2, y2, score, class, then the extra channels,
/// best first, zero-padded. Every size is computed from the input's shape, so dynamic batch, height and width
/// keep working; nothing is baked from the export size.
public struct InsertNMS: Pass {
    public let name = "InsertNMS"
    public let summary = "replaces a YOLO-style detection output by its final detections (MulticlassNms)"
    public let options: NMSOptions

    public init(_ options: NMSOptions) {
        self.options = options
    }

    /// Inserts the NMS graph; throws `NMSRefusal` when the model has no detection head or already ends in NMS.
    public func run(on graph: Graph) throws -> PassResult {
        let head = try DetectionHead.find(in: graph, layout: options.layout, classCount: options.classCount)
        _ = try insert(at: head, in: graph)
        return PassResult(changed: true)
    }

    /// Builds the NMS graph after `head`'s prediction and points its Result at it; returns the new output.
    @discardableResult
    public func insert(at head: DetectionHead, in graph: Graph) throws -> Output {
        let b = Builder(graph: graph, prefix: "\(head.result.name)/nms/")
        var prediction = head.prediction
        if prediction.elementType != .f32 { prediction = try b.add(Convert(.f32), [prediction], "to_f32") }
        let v8 = head.layout == .yolov8
        // Channels: box (and objectness), classes, extra; v8 along axis 1 of [B, C, N], v5 along axis 2 of [B, N, C].
        let axis = v8 ? 1 : 2
        var lengths = v8 ? [4, head.classes] : [4, 1, head.classes]
        if head.extra > 0 { lengths.append(head.extra) }
        let parts = try b.node(VariadicSplit(), [prediction, b.i64(axis), b.i64(lengths, dims: [lengths.count])], "split").outputs

        // cx, cy, w, h -> x1, y1, x2, y2 as [B, N, 4].
        let centre = try b.node(Split(numSplits: 4), [parts[0], b.i64(axis)], "xywh").outputs
        let half = try b.f32(0.5)
        let halfW = try b.add(Multiply(), [centre[2], half], "half_w"), halfH = try b.add(Multiply(), [centre[3], half], "half_h")
        let corners = [try b.add(Subtract(), [centre[0], halfW], "x1"), try b.add(Subtract(), [centre[1], halfH], "y1"),
                       try b.add(Add(), [centre[0], halfW], "x2"), try b.add(Add(), [centre[1], halfH], "y2")]
        var boxes = try b.add(Concat(axis: axis), corners, "corners")
        if v8 { boxes = try b.add(Transpose(), [boxes, b.i64([0, 2, 1], dims: [3])], "boxes") }

        // Scores as [B, nc, N]; YOLOv5's class scores are multiplied by objectness.
        var scores = parts[v8 ? 1 : 2]
        if !v8 {
            scores = try b.add(Multiply(), [scores, parts[1]], "class_times_objectness")
            scores = try b.add(Transpose(), [scores, b.i64([0, 2, 1], dims: [3])], "scores")
        }
        // Each box keeps only its best class (ties: the lower class), as Ultralytics' NMS without multi_label.
        let best = try b.node(TopK(axis: 1, mode: .max, sort: .value, indexElementType: .i64, stable: true),
                              [scores, b.i64(1)], "best_class").outputs
        let nmsScores: Output
        if options.agnostic {
            nmsScores = best[0]
        } else {
            let classIDs = try b.i64(Array(0..<head.classes), dims: [1, head.classes, 1])
            let isBest = try b.add(Equal(), [classIDs, best[1]], "is_best_class")
            nmsScores = try b.add(Select(), [isBest, scores, b.f32(0)], "best_class_scores")
        }
        var nms = MulticlassNms()
        nms.sortResultType = .score
        nms.keepTopK = options.maxDetections
        nms.iouThreshold = options.iou
        nms.scoreThreshold = options.confidence
        nms.normalized = true
        nms.outputType = .i64
        let selected = try b.node(nms, [boxes, nmsScores], "multiclass_nms").outputs
        // Rows [M, 6]: class, score, x1, y1, x2, y2 -> x1, y1, x2, y2, score, class.
        let boxIndex = try b.add(Squeeze(), [selected[1], b.i64([1], dims: [1])], "box_index")
        var rows: Output
        if options.agnostic {
            // One class to MulticlassNms: the class column is each selected box's best class.
            let xyxyScore = try b.add(Gather(), [selected[0], b.i64([2, 3, 4, 5, 1], dims: [5]), b.i64(1)], "xyxy_score")
            let allClasses = try b.add(Reshape(specialZero: false), [best[1], b.i64([-1], dims: [1])], "best_class_flat")
            let classes = try b.add(Gather(), [allClasses, boxIndex, b.i64(0)], "selected_class")
            let column = try b.add(Unsqueeze(), [b.add(Convert(.f32), [classes], "selected_class_f32"), b.i64(1)], "class_column")
            rows = try b.add(Concat(axis: 1), [xyxyScore, column], "rows")
        } else {
            rows = try b.add(Gather(), [selected[0], b.i64([2, 3, 4, 5, 1, 0], dims: [6]), b.i64(1)], "rows")
        }
        if head.extra > 0 {
            var extra = parts[parts.count - 1]
            if v8 { extra = try b.add(Transpose(), [extra, b.i64([0, 2, 1], dims: [3])], "extra_per_box") }
            let flat = try b.add(Reshape(specialZero: false), [extra, b.i64([-1, head.extra], dims: [2])], "extra_flat")
            let chosen = try b.add(Gather(), [flat, boxIndex, b.i64(0)], "selected_extra")
            rows = try b.add(Concat(axis: 1), [rows, chosen], "rows_with_extra")
        }

        // Scatter each image's rows, in order, into zeros [B, max_det, 6+extra]: row k of the selection goes to
        // image b = index / N at position k - (rows of the images before b).
        let shape = try b.add(ShapeOf(), [prediction], "prediction_shape")
        let batch = try b.add(Gather(), [shape, b.i64([0], dims: [1]), b.i64(0)], "batch")
        let boxCount = try b.add(Gather(), [shape, b.i64(v8 ? 2 : 1), b.i64(0)], "box_count")
        let width = 6 + head.extra
        let outShape = try b.add(Concat(axis: 0), [batch, b.i64([options.maxDetections, width], dims: [2])], "output_shape")
        let zeros = try b.add(Broadcast(), [b.f32(0), outShape], "zeros")
        let image = try b.add(Divide(), [boxIndex, boxCount], "image")
        let rowCount = try b.add(Gather(), [b.add(ShapeOf(), [boxIndex], "selection_shape"), b.i64(0), b.i64(0)], "row_count")
        let rowIndex = try b.add(RangeOp(outputType: .i64), [b.i64(0), rowCount, b.i64(1)], "row_index")
        let before = try b.add(CumSum(exclusive: true, reverse: false), [selected[2], b.i64(0)], "rows_before_image")
        let position = try b.add(Subtract(), [rowIndex, b.add(Gather(), [before, image, b.i64(0)], "rows_before")], "position")
        let target = try b.add(Concat(axis: 1), [b.add(Unsqueeze(), [image, b.i64(1)], "image_column"),
                                                 b.add(Unsqueeze(), [position, b.i64(1)], "position_column")], "target")
        let detections = try b.add(ScatterNDUpdate(), [zeros, target, rows], "detections")

        graph.moveTensorNames(from: head.prediction, to: detections)
        try graph.setInput(head.result, 0, to: detections)
        return detections
    }

    /// Adds nodes named `prefix + name`.
    private final class Builder {
        let graph: Graph
        let prefix: String
        var constants = 0

        init(graph: Graph, prefix: String) {
            self.graph = graph
            self.prefix = prefix
        }

        func node(_ op: any Op, _ inputs: [Output], _ name: String) throws -> Node {
            try graph.add(op, inputs, name: prefix + name)
        }

        func add(_ op: any Op, _ inputs: [Output], _ name: String) throws -> Output {
            try node(op, inputs, name).output()
        }

        func i64(_ value: Int) throws -> Output { try i64([value], dims: []) }

        func i64(_ values: [Int], dims: [Int]) throws -> Output {
            constants += 1
            return try graph.constant(.i64(values, dims: dims), name: prefix + "const_\(constants)")
        }

        func f32(_ value: Float) throws -> Output {
            constants += 1
            return try graph.constant(.scalar(f32: value), name: prefix + "const_\(constants)")
        }
    }
}
