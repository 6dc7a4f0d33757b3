/// Reverses data along the given axes (`index` mode: axis numbers; `mask` mode: a boolean per axis).
public struct Reverse: Op {
    public enum Mode: String, IREnum { case index, mask }
    public static let type = "Reverse"
    public static let version = "opset1"
    public var mode: Mode = .index
    public static var fields: [AttributeField<Self>] { [.init("mode", \.mode)] }
    public init() {}
    public init(mode: Mode) { self.mode = mode }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        return [inputs[0].type]
    }
}

/// Reverses the first `seq_lengths[b]` elements along `seq_axis` for each batch entry `b` along `batch_axis`.
public struct ReverseSequence: Op {
    public static let type = "ReverseSequence"
    public static let version = "opset1"
    public var batchAxis = 0
    public var seqAxis = 1
    public static var fields: [AttributeField<Self>] { [.init("batch_axis", \.batchAxis), .init("seq_axis", \.seqAxis)] }
    public init() {}
    public init(batchAxis: Int, seqAxis: Int) {
        self.batchAxis = batchAxis
        self.seqAxis = seqAxis
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        if let rank = inputs[0].shape.rank {
            let b = try ShapeInference.axis(batchAxis, rank: rank), s = try ShapeInference.axis(seqAxis, rank: rank)
            guard b != s else { throw ShapeInference.Failure("batch_axis and seq_axis are the same axis \(b)") }
        }
        return [inputs[0].type]
    }
}
