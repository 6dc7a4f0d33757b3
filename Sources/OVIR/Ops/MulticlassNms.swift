/// Non-maximum suppression per image and class over boxes shared by all classes (opset9, the 2-input form:
/// boxes `[B, N, 4]` as x1, y1, x2, y2 and scores `[B, C, N]`). Outputs the selected rows `[M, 6]`
/// (class, score, x1, y1, x2, y2) in the boxes' element type, their flat box indices `b·N + i` `[M, 1]` and
/// the count per image `[B]`, both of `output_type`.
public struct MulticlassNms: Op {
    /// How the rows are ordered: by score (descending) or class id (ascending) within each image, or across the
    /// batch with `sort_result_across_batch`; `none` keeps each image's rows by score.
    public enum SortResultType: String, IREnum {
        case classID = "classid", score, none
    }
    public static let type = "MulticlassNms"
    public static let version = "opset9"
    public var sortResultType = SortResultType.none
    public var outputType = ElementType.i64
    /// Candidates per image and class, highest scores first (-1: all).
    public var nmsTopK = -1
    /// Rows per image across classes, highest scores first (-1: all).
    public var keepTopK = -1
    public var sortResultAcrossBatch = false
    public var iouThreshold = 0.0
    public var scoreThreshold = 0.0
    /// The class whose boxes are never selected (-1: none).
    public var backgroundClass = -1
    /// Below 1, the IoU threshold shrinks by this factor after each selected box while it is above 0.5.
    public var nmsEta = 1.0
    /// true: plain areas; false: widths and heights count one more (pixel-index boxes).
    public var normalized = true
    public static var fields: [AttributeField<Self>] {
        [.init("sort_result_type", \.sortResultType), .init("output_type", \.outputType), .init("nms_top_k", \.nmsTopK),
         .init("keep_top_k", \.keepTopK), .init("sort_result_across_batch", \.sortResultAcrossBatch),
         .init("iou_threshold", \.iouThreshold), .init("score_threshold", \.scoreThreshold),
         .init("background_class", \.backgroundClass), .init("nms_eta", \.nmsEta), .init("normalized", \.normalized)]
    }
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        if inputs.count == 3 {
            throw ShapeInference.Failure("the 3-input form (scores [C, sum(N)] with roisnum) is not supported, only boxes [B, N, 4] and scores [B, C, N]")
        }
        try ShapeInference.expectInputs(inputs, 2...2)
        guard outputType == .i32 || outputType == .i64 else {
            throw ShapeInference.Failure("output_type must be i32 or i64, got \(outputType)")
        }
        for (name, value) in [("nms_top_k", nmsTopK), ("keep_top_k", keepTopK), ("background_class", backgroundClass)] where value < -1 {
            throw ShapeInference.Failure("\(name) must be -1 or more, got \(value)")
        }
        guard (0...1).contains(nmsEta) else { throw ShapeInference.Failure("nms_eta must be in [0, 1], got \(irFormat(nmsEta))") }
        let dims = try ShapeInference.nmsDims(boxes: inputs[0].type, scores: inputs[1].type)
        // Rows as OpenVINO bounds them: per image min(nms_top_k, N)·C, capped by keep_top_k unless that product
        // is unbounded; times B. The background class is not subtracted (OpenVINO does not either).
        var rows = Dim.dynamic
        if inputs[0].shape.rank != nil, inputs[1].shape.rank != nil, let n = dims.boxes, let c = dims.classes, let b = dims.batch {
            var perImage = n.upper.map { nmsTopK > -1 ? min($0, nmsTopK) : $0 }
            perImage = ShapeInference.boundProduct(perImage, c.upper)
            if keepTopK > -1, let p = perImage, keepTopK < p { perImage = keepTopK }
            rows = Dim(lower: 0, upper: ShapeInference.boundProduct(perImage, b.upper))
        }
        let floatType = inputs[0].elementType != .dynamic ? inputs[0].elementType : inputs[1].elementType
        return [TensorType(floatType, .ranked([rows, .fixed(6)])),
                TensorType(outputType, .ranked([rows, .fixed(1)])),
                TensorType(outputType, .ranked([dims.batch ?? .dynamic]))]
    }
}
