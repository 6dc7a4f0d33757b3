// Bitwise ops (opset13) on integers and booleans: output type = input type.

/// a & b.
public struct BitwiseAnd: BinaryElementwiseOp { public static let type = "BitwiseAnd"; public static let version = "opset13"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a | b.
public struct BitwiseOr: BinaryElementwiseOp { public static let type = "BitwiseOr"; public static let version = "opset13"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a ^ b.
public struct BitwiseXor: BinaryElementwiseOp { public static let type = "BitwiseXor"; public static let version = "opset13"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// ~x.
public struct BitwiseNot: UnaryElementwiseOp { public static let type = "BitwiseNot"; public static let version = "opset13"; public init() {} }
