// Binary arithmetic ops: numpy broadcast by default, output type = input type.

/// a + b.
public struct Add: BinaryElementwiseOp { public static let type = "Add"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a - b.
public struct Subtract: BinaryElementwiseOp { public static let type = "Subtract"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a * b.
public struct Multiply: BinaryElementwiseOp { public static let type = "Multiply"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a ** b.
public struct Power: BinaryElementwiseOp { public static let type = "Power"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// max(a, b).
public struct Maximum: BinaryElementwiseOp { public static let type = "Maximum"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// min(a, b).
public struct Minimum: BinaryElementwiseOp { public static let type = "Minimum"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// (a - b)².
public struct SquaredDifference: BinaryElementwiseOp { public static let type = "SquaredDifference"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// Remainder with the sign of the divisor (Python `%`).
public struct FloorMod: BinaryElementwiseOp { public static let type = "FloorMod"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// Remainder with the sign of the dividend (C `fmod`).
public struct Mod: BinaryElementwiseOp { public static let type = "Mod"; public static let version = "opset1"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }

/// a / b; with `pythonDivision` integer division floors, otherwise it truncates toward zero.
public struct Divide: BinaryElementwiseOp {
    public static let type = "Divide"
    public static let version = "opset1"
    public var autoBroadcast = AutoBroadcast.numpy
    public var pythonDivision = true
    public static var fields: [AttributeField<Self>] {
        [.init("auto_broadcast", \.autoBroadcast), .init("m_pythondiv", \.pythonDivision)]
    }
    public init() {}
    public init(pythonDivision: Bool) { self.pythonDivision = pythonDivision }
}

// Shape arithmetic: what is known about the operands' elements carries over to the result's.

extension Add {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { ShapeInference.elementwise(inputs, ShapeInference.sum) }
}

extension Subtract {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { ShapeInference.elementwise(inputs, ShapeInference.difference) }
}

extension Multiply {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { ShapeInference.elementwise(inputs, ShapeInference.product) }
}

extension Maximum {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { ShapeInference.elementwise(inputs, ShapeInference.maximum) }
}

extension Minimum {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { ShapeInference.elementwise(inputs, ShapeInference.minimum) }
}

extension Divide {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        let integer = inputs.first?.elementType.isInteger ?? false
        return ShapeInference.elementwise(inputs) { ShapeInference.quotient($0, $1, floor: pythonDivision, integer: integer) }
    }
}

extension FloorMod {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        ShapeInference.elementwise(inputs, ShapeInference.exactly { a, b in b == 0 ? nil : ((a % b) + b) % b })
    }
}
