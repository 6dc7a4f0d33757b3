/// Rounds to the nearest integer; `mode` decides ties.
public struct Round: Op {
    public enum Mode: String, IREnum { case halfToEven = "half_to_even", halfAwayFromZero = "half_away_from_zero" }
    public static let type = "Round"
    public static let version = "opset5"
    public var mode = Mode.halfToEven
    public static var fields: [AttributeField<Self>] { [.init("mode", \.mode)] }
    public init() {}
    public init(mode: Mode) { self.mode = mode }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return [inputs[0].type]
    }
}
