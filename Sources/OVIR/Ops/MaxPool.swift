/// Max pooling with values and indices outputs (v8). Indices count over the flattened tensor from `axis` on.
public struct MaxPool: MaxPoolOp {
    public static let type = "MaxPool"
    public static let version = "opset8"
    public var strides: [Int] = []
    public var dilations: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var kernel: [Int] = []
    public var roundingType: RoundingType = .floor
    public var autoPad: PadType = .explicit
    public var indexElementType: ElementType = .i64
    public var axis = 0
    public init() {}
}

/// Max pooling v14: as v8, plus `rounding_type="ceil_torch"`.
public struct MaxPool14: MaxPoolOp {
    public static let type = "MaxPool"
    public static let version = "opset14"
    public var strides: [Int] = []
    public var dilations: [Int] = []
    public var padsBegin: [Int] = []
    public var padsEnd: [Int] = []
    public var kernel: [Int] = []
    public var roundingType: RoundingType = .floor
    public var autoPad: PadType = .explicit
    public var indexElementType: ElementType = .i64
    public var axis = 0
    public init() {}
}

/// The attributes and type inference shared by MaxPool v8 and v14.
public protocol MaxPoolOp: Op {
    var strides: [Int] { get set }
    var dilations: [Int] { get set }
    var padsBegin: [Int] { get set }
    var padsEnd: [Int] { get set }
    var kernel: [Int] { get set }
    var roundingType: RoundingType { get set }
    var autoPad: PadType { get set }
    var indexElementType: ElementType { get set }
    var axis: Int { get set }
}

extension MaxPoolOp {
    public static var fields: [AttributeField<Self>] {
        [.init("strides", \.strides), .init("dilations", \.dilations), .init("pads_begin", \.padsBegin),
         .init("pads_end", \.padsEnd), .init("kernel", \.kernel), .init("rounding_type", \.roundingType),
         .init("auto_pad", \.autoPad), .init("index_element_type", \.indexElementType), .init("axis", \.axis)]
    }

    public init(kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int],
                roundingType: RoundingType = .floor, autoPad: PadType = .explicit) {
        self.init()
        (self.kernel, self.strides, self.dilations, self.padsBegin, self.padsEnd, self.roundingType, self.autoPad) =
            (kernel, strides, dilations, padsBegin, padsEnd, roundingType, autoPad)
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        guard indexElementType == .i64 || indexElementType == .i32 else {
            throw ShapeInference.Failure("index_element_type must be i32 or i64, got \(indexElementType)")
        }
        let shape = try ShapeInference.pooling(
            inputs[0].shape, kernel: kernel, strides: strides, dilations: dilations,
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad, rounding: roundingType)
        return [TensorType(inputs[0].elementType, shape), TensorType(indexElementType, shape)]
    }
}

extension ShapeInference {
    /// Output shape of a pooling op over `[N, C, spatial...]`.
    static func pooling(
        _ data: Shape, kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int],
        autoPad: PadType, rounding: RoundingType
    ) throws -> Shape {
        guard let d = data.dims else { return .dynamic(rank: kernel.count + 2) }
        guard (3...5).contains(d.count), kernel.count == d.count - 2 else {
            throw Failure("kernel \(kernel) does not fit data of shape \(data) (rank 3 to 5)")
        }
        return .ranked([d[0], d[1]] + (try windowOutput(
            spatial: Array(d[2...]), kernel: kernel, strides: strides, dilations: dilations,
            padsBegin: padsBegin, padsEnd: padsEnd, autoPad: autoPad, rounding: rounding)))
    }
}
