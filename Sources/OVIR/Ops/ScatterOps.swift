/// Writes updates into a copy of data at per-element indices along `axis`, optionally reducing.
public struct ScatterElementsUpdate: Op {
    public enum Reduction: String, IREnum { case none, sum, prod, min, max, mean }
    public static let type = "ScatterElementsUpdate"
    public static let version = "opset12"
    public var reduction: Reduction = .none
    public var useInitVal = true
    public static var fields: [AttributeField<Self>] { [.init("reduction", \.reduction), .init("use_init_val", \.useInitVal)] }
    public init() {}
    public init(reduction: Reduction) { self.reduction = reduction }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 4...4)
        if let axis = inputs[3].intValues?.first, let rank = inputs[0].shape.rank {
            _ = try ShapeInference.axis(axis, rank: rank)
        }
        return [inputs[0].type]
    }
}

/// Writes update slices into a copy of data at the positions addressed by the last axis of indices.
public struct ScatterNDUpdate: Op {
    public enum Reduction: String, IREnum { case none, sum, sub, prod, min, max }
    public static let type = "ScatterNDUpdate"
    public static let version = "opset15"
    public var reduction: Reduction = .none
    public static var fields: [AttributeField<Self>] { [.init("reduction", \.reduction)] }
    public init() {}
    public init(reduction: Reduction) { self.reduction = reduction }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        return [inputs[0].type]
    }
}

/// Writes update slices into a copy of data at `indices` along `axis`.
public struct ScatterUpdate: Op {
    public static let type = "ScatterUpdate"
    public static let version = "opset3"
    public init() {}

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 4...4)
        return [inputs[0].type]
    }
}
