/// Transposed convolution; filters are `[IC, OC, k...]`, the optional third input is the spatial output shape.
public struct ConvolutionBackpropData: BackpropConvolutionOp {
    public static let type = "ConvolutionBackpropData"
    public static let version = "opset1"
    public static let grouped = false
    public var strides: [Int] = []
    public var dilations: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var autoPad: PadType = .explicit
    public var outputPadding: [Int] = []
    public static var fields: [AttributeField<Self>] {
        [.init("strides", \.strides), .init("dilations", \.dilations), .init("pads_begin", \.padsBegin),
         .init("pads_end", \.padsEnd), .init("auto_pad", \.autoPad), .init("output_padding", \.outputPadding)]
    }
    public init() {}
}

/// The attributes and type inference shared by ConvolutionBackpropData and GroupConvolutionBackpropData.
public protocol BackpropConvolutionOp: Op {
    /// True for GroupConvolutionBackpropData (filters `[G, IC/G, OC/G, k...]`).
    static var grouped: Bool { get }
    var strides: [Int] { get set }
    var dilations: [Int] { get set }
    var padsBegin: [Int] { get set }
    var padsEnd: [Int] { get set }
    var autoPad: PadType { get set }
    var outputPadding: [Int] { get set }
}

extension BackpropConvolutionOp {
    public init(strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], autoPad: PadType = .explicit, outputPadding: [Int] = []) {
        self.init()
        (self.strides, self.dilations, self.padsBegin, self.padsEnd, self.autoPad, self.outputPadding) =
            (strides, dilations, padsBegin, padsEnd, autoPad, outputPadding)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...3)
        return [try ShapeInference.backwardConvolution(
            inputs, groups: Self.grouped, strides: strides, dilations: dilations, padsBegin: padsBegin,
            padsEnd: padsEnd, outputPadding: outputPadding, autoPad: autoPad)]
    }
}

extension ShapeInference {
    /// Output type of ConvolutionBackpropData (filters `[IC, OC, k...]`) or
    /// GroupConvolutionBackpropData (`[G, IC/G, OC/G, k...]`).
    static func backwardConvolution(
        _ inputs: [InferenceInput], groups: Bool, strides: [Int], dilations: [Int],
        padsBegin: [Int], padsEnd: [Int], outputPadding: [Int], autoPad: PadType
    ) throws -> TensorType {
        let data = inputs[0], filters = inputs[1]
        let prefix = groups ? 3 : 2
        let elementType = data.elementType
        let rank = data.shape.rank ?? filters.shape.rank.map { $0 - prefix + 2 }
        guard let rank else { return TensorType(elementType, .dynamicRank) }
        guard (3...5).contains(rank) else { throw Failure("expects data of rank 3 to 5, got \(data.shape)") }
        let d = data.shape.dims ?? Array(repeating: .dynamic, count: rank)
        let f = filters.shape.dims ?? Array(repeating: .dynamic, count: rank + prefix - 2)
        guard f.count == rank + prefix - 2 else {
            throw Failure("data \(data.shape) and filters \(filters.shape) ranks do not match")
        }
        let inChannels = groups ? ShapeInference.multiply(f[0], f[1]) : f[0]
        guard d[1].isCompatible(with: inChannels) else {
            throw Failure("data channels \(d[1]) do not match filter input channels \(inChannels)")
        }
        let outChannels = groups ? ShapeInference.multiply(f[0], f[2]) : f[1]
        let spatial: [Dim]
        if inputs.count == 3 {
            let shape = inputs[2]
            if let values = shape.intValues {
                guard values.count == rank - 2 else {
                    throw Failure("output_shape has \(values.count) values for \(rank - 2) spatial dims")
                }
                spatial = values.map(Dim.fixed)
            } else {
                spatial = Array(repeating: .dynamic, count: rank - 2)
            }
        } else {
            spatial = try transposedWindowOutput(
                spatial: Array(d[2...]), kernel: f[prefix...].map(\.value), strides: strides, dilations: dilations,
                padsBegin: padsBegin, padsEnd: padsEnd, outputPadding: outputPadding, autoPad: autoPad)
        }
        return TensorType(elementType, .ranked([d[0], outChannels] + spatial))
    }
}
