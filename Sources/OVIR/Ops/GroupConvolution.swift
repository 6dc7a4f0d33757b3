/// Grouped convolution; filters are `[G, OC/G, IC/G, k...]`.
public struct GroupConvolution: ConvolutionOp {
    public static let type = "GroupConvolution"
    public static let version = "opset1"
    public static let grouped = true
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
}
