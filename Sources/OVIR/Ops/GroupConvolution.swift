/// Grouped convolution; filters are `[G, OC/G, IC/G, k...]`.
public struct GroupConvolution: Op {
    public static let type = "GroupConvolution"
    public static let version = "opset1"
    public var strides: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var dilations: [Int] = []
    public var autoPad: PadType = .explicit
    public static var fields: [AttributeField<Self>] {
        [.init("strides", \.strides), .init("pads_begin", \.padsBegin), .init("pads_end", \.padsEnd),
         .init("dilations", \.dilations), .init("auto_pad", \.autoPad)]
    }
    public init() {}
    public init(strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], autoPad: PadType = .explicit) {
        (self.strides, self.dilations, self.padsBegin, self.padsEnd, self.autoPad) = (strides, dilations, padsBegin, padsEnd, autoPad)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        return [try ShapeInference.forwardConvolution(
            inputs, groups: true, strides: strides, dilations: dilations,
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad)]
    }
}
