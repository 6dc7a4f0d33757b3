/// Samples `data` `[N, C, H, W]` at the normalized (x, y) points of `grid` `[N, H_out, W_out, 2]` (-1 and 1 are
/// the extreme pixels' centers with align_corners, their outer edges without): output `[N, C, H_out, W_out]`.
public struct GridSample: Op {
    public enum Mode: String, IREnum { case bilinear, bicubic, nearest }
    /// What a neighbour outside the image reads: 0, the nearest border pixel, or the image mirrored at its edges.
    public enum PaddingMode: String, IREnum { case zeros, border, reflection }
    public static let type = "GridSample"
    public static let version = "opset9"
    public var alignCorners = false
    public var mode = Mode.bilinear
    public var paddingMode = PaddingMode.zeros
    public static var fields: [AttributeField<Self>] {
        [.init("align_corners", \.alignCorners), .init("mode", \.mode), .init("padding_mode", \.paddingMode)]
    }
    public init() {}
    public init(alignCorners: Bool, mode: Mode, paddingMode: PaddingMode) {
        (self.alignCorners, self.mode, self.paddingMode) = (alignCorners, mode, paddingMode)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let data = inputs[0], grid = inputs[1]
        if grid.elementType != .dynamic, !grid.elementType.isFloatingPoint {
            throw ShapeInference.Failure("grid must be floating point, got \(grid.elementType)")
        }
        let d = data.shape.dims, g = grid.shape.dims
        if let d, d.count != 4 { throw ShapeInference.Failure("data must be 4-D [N, C, H, W], got \(data.shape)") }
        if let g {
            guard g.count == 4 else { throw ShapeInference.Failure("grid must be 4-D [N, H_out, W_out, 2], got \(grid.shape)") }
            guard g[3].isCompatible(with: .fixed(2)) else { throw ShapeInference.Failure("grid's last dim must be 2, got \(grid.shape)") }
        }
        if let d, let g, !d[0].isCompatible(with: g[0]) {
            throw ShapeInference.Failure("data and grid have different batch sizes: \(data.shape) and \(grid.shape)")
        }
        let batch = d?[0].value != nil ? d![0] : (g?[0] ?? .dynamic)
        return [TensorType(data.elementType, .ranked([batch, d?[1] ?? .dynamic, g?[1] ?? .dynamic, g?[2] ?? .dynamic]))]
    }
}
