/// Pools each region of interest of a feature map into `pooled_h × pooled_w` bins of bilinearly interpolated
/// samples: `data` `[N, C, H, W]`, `rois` `[R, 4]` (x1, y1, x2, y2, scaled by spatial_scale), `batch_indices` `[R]`
/// (integers) give `[R, C, pooled_h, pooled_w]`. A bin takes sampling_ratio² samples, or ceil(bin size) per axis when
/// it is 0; `avg` averages them, `max` takes the largest (and at least 0, as OpenVINO's reference does).
public struct ROIAlign: Op {
    public enum Mode: String, IREnum { case avg, max }
    /// Where the ROI corners land in the feature map: x·scale (regions at least 1×1), x·scale - 0.5, or (x + 0.5)·scale - 0.5.
    public enum AlignedMode: String, IREnum {
        case asymmetric
        case halfPixelForNN = "half_pixel_for_nn"
        case halfPixel = "half_pixel"
    }
    public static let type = "ROIAlign"
    public static let version = "opset9"
    public var pooledH = 1
    public var pooledW = 1
    public var samplingRatio = 0
    public var spatialScale = 1.0
    public var mode = Mode.avg
    public var alignedMode = AlignedMode.asymmetric
    public static var fields: [AttributeField<Self>] {
        [.init("pooled_h", \.pooledH), .init("pooled_w", \.pooledW), .init("sampling_ratio", \.samplingRatio),
         .init("spatial_scale", \.spatialScale), .init("mode", \.mode), .init("aligned_mode", \.alignedMode)]
    }
    public init() {}
    public init(pooledH: Int, pooledW: Int, samplingRatio: Int, spatialScale: Double, mode: Mode, alignedMode: AlignedMode) {
        (self.pooledH, self.pooledW, self.samplingRatio) = (pooledH, pooledW, samplingRatio)
        (self.spatialScale, self.mode, self.alignedMode) = (spatialScale, mode, alignedMode)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        let limit = Int(Int32.max)
        guard (1...limit).contains(pooledH), (1...limit).contains(pooledW) else {
            throw ShapeInference.Failure("pooled_h and pooled_w must be positive, got \(pooledH)×\(pooledW)")
        }
        guard (0...limit).contains(samplingRatio) else { throw ShapeInference.Failure("sampling_ratio must not be negative, got \(samplingRatio)") }
        guard spatialScale > 0, spatialScale.isFinite else { throw ShapeInference.Failure("spatial_scale must be positive, got \(spatialScale)") }
        let data = inputs[0], rois = inputs[1], indices = inputs[2]
        let type = try ShapeInference.commonElementType([data.elementType, rois.elementType])
        guard type == .dynamic || type.isFloatingPoint else { throw ShapeInference.Failure("data and rois must be floating point, got \(type)") }
        guard indices.elementType == .dynamic || indices.elementType.isInteger else {
            throw ShapeInference.Failure("batch_indices must be integers, got \(indices.elementType)")
        }
        let d = data.shape.dims, r = rois.shape.dims, b = indices.shape.dims
        if let d, d.count != 4 { throw ShapeInference.Failure("data must be 4-D [N, C, H, W], got \(data.shape)") }
        if let r {
            guard r.count == 2 else { throw ShapeInference.Failure("rois must be 2-D [R, 4], got \(rois.shape)") }
            guard r[1].isCompatible(with: .fixed(4)) else { throw ShapeInference.Failure("rois' second dim must be 4, got \(rois.shape)") }
        }
        if let b, b.count != 1 { throw ShapeInference.Failure("batch_indices must be 1-D [R], got \(indices.shape)") }
        var count = r?[0] ?? .dynamic
        if let b {
            do { count = try ShapeInference.merge(count, b[0]) } catch {
                throw ShapeInference.Failure("rois \(rois.shape) and batch_indices \(indices.shape) count different regions")
            }
        }
        return [TensorType(type, .ranked([count, d?[1] ?? .dynamic, .fixed(pooledH), .fixed(pooledW)]))]
    }
}
