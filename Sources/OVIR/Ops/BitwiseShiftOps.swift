// Bitwise shifts (opset15) on integers: output type = input type; counts outside [0, width) are undefined.

/// a << b (bits shifted past the top are discarded).
public struct BitwiseLeftShift: BinaryElementwiseOp { public static let type = "BitwiseLeftShift"; public static let version = "opset15"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
/// a >> b (arithmetic for signed types).
public struct BitwiseRightShift: BinaryElementwiseOp { public static let type = "BitwiseRightShift"; public static let version = "opset15"; public var autoBroadcast = AutoBroadcast.numpy; public init() {} }
