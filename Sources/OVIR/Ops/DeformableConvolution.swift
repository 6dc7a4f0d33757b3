/// Deformable 2-D convolution (v8): inputs data, offsets `[N, DG·2·kh·kw, oh, ow]`, filters
/// `[OC, C/group, kh, kw]`, optional mask `[N, DG·kh·kw, oh, ow]`.
public struct DeformableConvolution: Op {
    public static let type = "DeformableConvolution"
    public static let version = "opset8"
    public var bilinearInterpolationPad = false
    public var strides: [Int] = []
    public var dilations: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var autoPad: PadType = .explicit
    // OpenVINO leaves these uninitialized when constructed empty; its specification's default is 1.
    public var group = 1
    public var deformableGroup = 1
    public static var fields: [AttributeField<Self>] {
        [.init("bilinear_interpolation_pad", \.bilinearInterpolationPad), .init("strides", \.strides),
         .init("dilations", \.dilations), .init("pads_begin", \.padsBegin), .init("pads_end", \.padsEnd),
         .init("auto_pad", \.autoPad), .init("group", \.group), .init("deformable_group", \.deformableGroup)]
    }
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...4)
        let data = inputs[0], filters = inputs[2]
        guard let d = data.shape.dims else { return [TensorType(data.elementType, .dynamic(rank: 4))] }
        guard d.count == 4 else { throw ShapeInference.Failure("expects 4-D data, got \(data.shape)") }
        guard let f = filters.shape.dims else { return [TensorType(data.elementType, .ranked([d[0]] + Array(repeating: .dynamic, count: 3)))] }
        guard f.count == 4 else { throw ShapeInference.Failure("expects 4-D filters, got \(filters.shape)") }
        guard group > 0, deformableGroup > 0 else { throw ShapeInference.Failure("group and deformable_group must be positive") }
        guard d[1].isCompatible(with: ShapeInference.multiply(f[1], .fixed(group))) else {
            throw ShapeInference.Failure("data channels \(d[1]) do not match filters \(filters.shape) with group \(group)")
        }
        let spatial = try ShapeInference.windowOutput(
            spatial: Array(d[2...]), kernel: f[2...].map(\.value), strides: strides, dilations: dilations,
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad)
        return [TensorType(data.elementType, .ranked([d[0], f[0]] + spatial))]
    }
}
