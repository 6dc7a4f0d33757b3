// Comparison and logical binary ops: numpy broadcast by default, boolean output.

/// a == b.
public struct Equal: BinaryElementwiseOp { public static let type = "Equal"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a != b.
public struct NotEqual: BinaryElementwiseOp { public static let type = "NotEqual"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a > b.
public struct Greater: BinaryElementwiseOp { public static let type = "Greater"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a >= b.
public struct GreaterEqual: BinaryElementwiseOp { public static let type = "GreaterEqual"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a < b.
public struct Less: BinaryElementwiseOp { public static let type = "Less"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a <= b.
public struct LessEqual: BinaryElementwiseOp { public static let type = "LessEqual"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a && b on booleans.
public struct LogicalAnd: BinaryElementwiseOp { public static let type = "LogicalAnd"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a || b on booleans.
public struct LogicalOr: BinaryElementwiseOp { public static let type = "LogicalOr"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a xor b on booleans.
public struct LogicalXor: BinaryElementwiseOp { public static let type = "LogicalXor"; public static let version = "opset1"; public static let producesBoolean = true; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// !x on booleans.
public struct LogicalNot: UnaryElementwiseOp { public static let type = "LogicalNot"; public static let version = "opset1"; public init() {} }

// Conditions in shape subgraphs (`heads % kv_heads == 0 and ...`), when their operands are known exactly.

extension Equal {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        ShapeInference.elementwise(inputs, ShapeInference.exactly { $0 == $1 ? 1 : 0 })
    }
}

extension LogicalAnd {
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        ShapeInference.elementwise(inputs, ShapeInference.exactly { $0 != 0 && $1 != 0 ? 1 : 0 })
    }
}
