/// Grouped transposed convolution; filters are `[G, IC/G, OC/G, k...]`, the optional third input is the
/// spatial output shape.
public struct GroupConvolutionBackpropData: Op {
    public static let type = "GroupConvolutionBackpropData"
    public static let version = "opset1"
    public var strides: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var dilations: [Int] = []
    public var autoPad: PadType = .explicit
    public var outputPadding: [Int] = []
    public static var fields: [AttributeField<Self>] {
        [.init("strides", \.strides), .init("pads_begin", \.padsBegin), .init("pads_end", \.padsEnd),
         .init("dilations", \.dilations), .init("auto_pad", \.autoPad), .init("output_padding", \.outputPadding)]
    }
    public init() {}
    public init(strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], autoPad: PadType = .explicit, outputPadding: [Int] = []) {
        (self.strides, self.dilations, self.padsBegin, self.padsEnd, self.autoPad, self.outputPadding) =
            (strides, dilations, padsBegin, padsEnd, autoPad, outputPadding)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...3)
        return [try ShapeInference.backwardConvolution(
            inputs, groups: true, strides: strides, dilations: dilations, padsBegin: padsBegin,
            padsEnd: padsEnd, outputPadding: outputPadding, autoPad: autoPad)]
    }
}
