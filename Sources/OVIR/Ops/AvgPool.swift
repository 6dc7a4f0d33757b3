/// Average pooling (v1); `exclude-pad` leaves padded positions out of the divisor.
public struct AvgPool: AvgPoolOp {
    public static let type = "AvgPool"
    public static let version = "opset1"
    public var kernel: [Int] = []
    public var strides: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var excludePad = true
    public var autoPad: PadType = .explicit
    public var roundingType: RoundingType = .floor
    public init() {}
}

/// Average pooling v14: as v1, plus `rounding_type="ceil_torch"`.
public struct AvgPool14: AvgPoolOp {
    public static let type = "AvgPool"
    public static let version = "opset14"
    public var kernel: [Int] = []
    public var strides: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var excludePad = true
    public var autoPad: PadType = .explicit
    public var roundingType: RoundingType = .floor
    public init() {}
}

/// The attributes and type inference shared by AvgPool v1 and v14.
public protocol AvgPoolOp: Op {
    var kernel: [Int] { get set }
    var strides: [Int] { get set }
    var padsBegin: [Int] { get set }
    var padsEnd: [Int] { get set }
    var excludePad: Bool { get set }
    var autoPad: PadType { get set }
    var roundingType: RoundingType { get set }
}

extension AvgPoolOp {
    public static var fields: [AttributeField<Self>] {
        [.init("kernel", \.kernel), .init("strides", \.strides), .init("pads_begin", \.padsBegin),
         .init("pads_end", \.padsEnd), .init("exclude-pad", \.excludePad), .init("auto_pad", \.autoPad),
         .init("rounding_type", \.roundingType)]
    }

    public init(kernel: [Int], strides: [Int], padsBegin: [Int], padsEnd: [Int], excludePad: Bool,
                roundingType: RoundingType = .floor, autoPad: PadType = .explicit) {
        self.init()
        (self.kernel, self.strides, self.padsBegin, self.padsEnd, self.excludePad, self.roundingType, self.autoPad) =
            (kernel, strides, padsBegin, padsEnd, excludePad, roundingType, autoPad)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        let shape = try ShapeInference.pooling(
            inputs[0].shape, kernel: kernel, strides: strides, dilations: [],
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad, rounding: roundingType)
        return [TensorType(inputs[0].elementType, shape)]
    }
}
