/// softmax(query·keyᵀ·scale + bias)·value (v13), `torch.nn.functional.scaled_dot_product_attention` without
/// dropout. Inputs: query [N, ..., L, E], key [N, ..., S, E], value [N, ..., S, Ev] (each rank 3 or more, batch
/// dims broadcast numpy-style), optional attention_mask (a float mask is added; a boolean one keeps where true;
/// [N, ..., L or 1, S], or a scalar 0 for "no mask"), optional scale (a scalar or one element; default
/// 1/√E). With `causal` the mask is ignored and keys after the query's position are masked out. Output
/// [N, ..., L, Ev].
public struct ScaledDotProductAttention: Op {
    public static let type = "ScaledDotProductAttention"
    public static let version = "opset13"
    public var causal = false
    public static var fields: [AttributeField<Self>] { [.init("causal", \.causal)] }
    public init() {}
    public init(causal: Bool) { self.causal = causal }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...5)
        let (q, k, v) = (inputs[0].type, inputs[1].type, inputs[2].type)
        let known = [q, k, v].map(\.elementType).filter { $0 != .dynamic }
        guard Set(known).count <= 1 else { throw ShapeInference.Failure("query, key and value element types differ: \(q.elementType), \(k.elementType), \(v.elementType)") }
        let type = known.first ?? .dynamic
        guard type == .dynamic || type.isFloatingPoint else { throw ShapeInference.Failure("query must be floating-point, got \(type)") }
        for (name, t) in [("query", q), ("key", k), ("value", v)] {
            if let r = t.shape.rank, r < 3 { throw ShapeInference.Failure("\(name) must have rank 3 or more, got \(t.shape)") }
        }
        if inputs.count == 5, let s = inputs[4].shape.dims, !(s.isEmpty || (s.count == 1 && s[0].isCompatible(with: .fixed(1)))) {
            throw ShapeInference.Failure("scale must be a scalar or have one element, got \(inputs[4].shape)")
        }
        guard let qd = q.shape.dims, let kd = k.shape.dims, let vd = v.shape.dims else { return [TensorType(type, .dynamicRank)] }
        let (l, e, s) = (qd[qd.count - 2], qd[qd.count - 1], kd[kd.count - 2])
        guard e.isCompatible(with: kd[kd.count - 1]) else { throw ShapeInference.Failure("query \(q.shape) and key \(k.shape) differ in E") }
        guard s.isCompatible(with: vd[vd.count - 2]) else { throw ShapeInference.Failure("key \(k.shape) and value \(v.shape) differ in S") }
        var batches = [qd, kd, vd].map { Shape.ranked(Array($0.dropLast(2))) }
        if inputs.count >= 4, !causal, let md = inputs[3].shape.dims, !md.isEmpty {
            guard md.count >= 2 else { throw ShapeInference.Failure("attention_mask must be a scalar or have rank 2 or more, got \(inputs[3].shape)") }
            let (ml, ms) = (md[md.count - 2], md[md.count - 1])
            guard ml == .fixed(1) || ml.isCompatible(with: l), ms == .fixed(1) || ms.isCompatible(with: s) else {
                throw ShapeInference.Failure("attention_mask \(inputs[3].shape) does not broadcast to [..., \(l), \(s)]")
            }
            batches.append(.ranked(Array(md.dropLast(2))))
        }
        let batch = try ShapeInference.broadcast(batches).dims ?? []
        return [TensorType(type, .ranked(batch + [l, vd[vd.count - 1]]))]
    }
}
