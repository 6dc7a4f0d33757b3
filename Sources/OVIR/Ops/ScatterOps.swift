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

    /// Elements of a 1-D value replaced at known indices (pads built from zeros and per-axis amounts).
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard inputs.count == 4, inputs[0].shape.rank == 1, var data = inputs[0].value,
              let indices = inputs[1].intValues, let updates = inputs[2].value, updates.count == indices.count,
              let axis = inputs[3].intValues, axis == [0] || axis == [-1] else { return nil }
        for (i, u) in zip(indices, updates) {
            let k = i < 0 ? i + data.count : i
            guard data.indices.contains(k) else { return nil }
            data[k] = u
        }
        return data
    }
}
