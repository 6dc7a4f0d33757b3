/// 1-D/2-D/3-D convolution; filters are `[OC, IC, k...]`.
public struct Convolution: ConvolutionOp {
    public static let type = "Convolution"
    public static let version = "opset1"
    public static let grouped = false
    public var strides: [Int] = []
    public var dilations: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var autoPad: PadType = .explicit
    public static var fields: [AttributeField<Self>] {
        [.init("strides", \.strides), .init("dilations", \.dilations), .init("pads_begin", \.padsBegin),
         .init("pads_end", \.padsEnd), .init("auto_pad", \.autoPad)]
    }
    public init() {}
}

/// The attributes and type inference shared by Convolution and GroupConvolution.
public protocol ConvolutionOp: Op {
    /// True for GroupConvolution (filters `[G, OC/G, IC/G, k...]`).
    static var grouped: Bool { get }
    var strides: [Int] { get set }
    var dilations: [Int] { get set }
    var padsBegin: [Int] { get set }
    var padsEnd: [Int] { get set }
    var autoPad: PadType { get set }
}

extension ConvolutionOp {
    public init(strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], autoPad: PadType = .explicit) {
        self.init()
        (self.strides, self.dilations, self.padsBegin, self.padsEnd, self.autoPad) = (strides, dilations, padsBegin, padsEnd, autoPad)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        return [try ShapeInference.forwardConvolution(
            inputs, groups: Self.grouped, strides: strides, dilations: dilations,
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad)]
    }
}
extension ShapeInference {
    /// Output type of Convolution (filters `[OC, IC, k...]`) or GroupConvolution (`[G, OC/G, IC/G, k...]`).
    static func forwardConvolution(
        _ inputs: [InferenceInput], groups: Bool, strides: [Int], dilations: [Int],
        padsBegin: [Int], padsEnd: [Int], autoPad: PadType
    ) throws -> TensorType {
        let data = inputs[0], filters = inputs[1]
        let prefix = groups ? 3 : 2
        let elementType = data.elementType
        guard let d = data.shape.dims else {
            if let r = filters.shape.rank, !(3...5).contains(r - prefix + 2) {
                throw Failure("expects filters of rank \(prefix + 1) to \(prefix + 3), got \(filters.shape)")
            }
            return TensorType(elementType, .dynamic(rank: filters.shape.rank.map { $0 - prefix + 2 }))
        }
        guard (3...5).contains(d.count) else { throw Failure("expects data of rank 3 to 5, got \(data.shape)") }
        guard let f = filters.shape.dims else {
            return TensorType(elementType, .ranked([d[0], .dynamic] + Array(repeating: .dynamic, count: d.count - 2)))
        }
        guard f.count == d.count + prefix - 2 else {
            throw Failure("data \(data.shape) and filters \(filters.shape) ranks do not match")
        }
        let inChannels = groups ? ShapeInference.multiply(f[0], f[2]) : f[1]
        guard d[1].isCompatible(with: inChannels) else {
            throw Failure("data channels \(d[1]) do not match filter input channels \(inChannels)")
        }
        let outChannels = groups ? ShapeInference.multiply(f[0], f[1]) : f[0]
        let spatial = try windowOutput(
            spatial: Array(d[2...]), kernel: f[prefix...].map(\.value), strides: strides, dilations: dilations,
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad)
        return TensorType(elementType, .ranked([d[0], outChannels] + spatial))
    }
}
