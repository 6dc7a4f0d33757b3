/// Grouped transposed convolution; filters are `[G, IC/G, OC/G, k...]`, the optional third input is the
/// spatial output shape.
public struct GroupConvolutionBackpropData: BackpropConvolutionOp {
    public static let type = "GroupConvolutionBackpropData"
    public static let version = "opset1"
    public static let grouped = true
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
}
