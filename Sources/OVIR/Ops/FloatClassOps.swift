// Floating-point classification ops (opset10): boolean output of the input's shape.

/// True where x is NaN.
public struct IsNaN: Op {
    public static let type = "IsNaN"
    public static let version = "opset10"
    public init() {}
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [TensorType(.boolean, inputs[0].shape)]
    }
}

/// True where x is finite.
public struct IsFinite: Op {
    public static let type = "IsFinite"
    public static let version = "opset10"
    public init() {}
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [TensorType(.boolean, inputs[0].shape)]
    }
}

/// True where x is +inf (`detect_positive`) or -inf (`detect_negative`).
public struct IsInf: Op {
    public static let type = "IsInf"
    public static let version = "opset10"
    public var detectNegative = true
    public var detectPositive = true
    public static var fields: [AttributeField<Self>] {
        [.init("detect_negative", \.detectNegative), .init("detect_positive", \.detectPositive)]
    }
    public init() {}
    public init(detectNegative: Bool, detectPositive: Bool) {
        self.detectNegative = detectNegative
        self.detectPositive = detectPositive
    }
    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [TensorType(.boolean, inputs[0].shape)]
    }
}
