/// Non-maximum suppression per image and class (opset9): boxes `[B, N, 4]`, scores `[B, C, N]`, then optional
/// scalars max_output_boxes_per_class (default 0: nothing is selected), iou_threshold, score_threshold and
/// soft_nms_sigma (defaults 0). Outputs selected_indices `[M, 3]` (batch, class, box) of `output_type`,
/// selected_scores `[M, 3]` (batch, class, score) in f32 and valid_outputs `[1]` of `output_type`.
public struct NonMaxSuppression: Op {
    /// corner: any two opposite corners (y1, x1, y2, x2 or x1, y1, x2, y2); center: x_center, y_center, width, height.
    public enum BoxEncoding: String, IREnum { case corner, center }
    public static let type = "NonMaxSuppression"
    public static let version = "opset9"
    public var boxEncoding = BoxEncoding.corner
    /// true: all rows by score, descending; false: by batch, class, then selection order.
    public var sortResultDescending = true
    public var outputType = ElementType.i64
    public static var fields: [AttributeField<Self>] {
        [.init("box_encoding", \.boxEncoding), .init("sort_result_descending", \.sortResultDescending),
         .init("output_type", \.outputType)]
    }
    public init() {}
    public init(boxEncoding: BoxEncoding, sortResultDescending: Bool = true, outputType: ElementType = .i64) {
        self.boxEncoding = boxEncoding
        self.sortResultDescending = sortResultDescending
        self.outputType = outputType
    }

    /// The names of the optional scalar inputs, by input index.
    public static let scalarInputs = [2: "max_output_boxes_per_class", 3: "iou_threshold", 4: "score_threshold", 5: "soft_nms_sigma"]

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...6)
        guard outputType == .i32 || outputType == .i64 else {
            throw ShapeInference.Failure("output_type must be i32 or i64, got \(outputType)")
        }
        for (i, input) in inputs.enumerated().dropFirst(2) {
            let name = Self.scalarInputs[i]!
            if let dims = input.shape.dims, !(dims.isEmpty || (dims.count == 1 && dims[0].isCompatible(with: .fixed(1)))) {
                throw ShapeInference.Failure("\(name) must be a scalar or a 1-element 1-D tensor, got [\(input.shape)]")
            }
            let t = input.elementType
            if i == 2, t != .dynamic, !t.isInteger { throw ShapeInference.Failure("\(name) must be an integer, got \(t)") }
            if i > 2, t != .dynamic, !t.isFloatingPoint { throw ShapeInference.Failure("\(name) must be a float, got \(t)") }
        }
        let dims = try ShapeInference.nmsDims(boxes: inputs[0].type, scores: inputs[1].type)
        // As OpenVINO bounds it: min(N, max_output_boxes_per_class) per image and class for a static N and a
        // known maximum, times the upper bounds of B and C. A maximum of 0 (also the default, without the input)
        // gives no rows whatever N is.
        var rows = Dim.dynamic
        let maximum = inputs.count > 2 ? inputs[2].intValues?.first : 0
        if maximum == 0 {
            rows = .fixed(0)
        } else if let n = dims.boxes?.value, let maximum, maximum > 0, let b = dims.batch, let c = dims.classes {
            rows = Dim(lower: 0, upper: ShapeInference.boundProduct(ShapeInference.boundProduct(min(n, maximum), b.upper), c.upper))
        }
        return [TensorType(outputType, .ranked([rows, .fixed(3)])),
                TensorType(.f32, .ranked([rows, .fixed(3)])),
                TensorType(outputType, .fixed([1]))]
    }
}
