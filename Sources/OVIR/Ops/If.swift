/// Runs one of two bodies, chosen by a condition (opset8). Input 0 is the condition (a boolean scalar or
/// one-element 1-D tensor); the other inputs feed body Parameters through `thenInputs` / `elseInputs`
/// (invariant inputs only; an input may feed one body and not the other); output k is the Result that
/// `thenOutputs` / `elseOutputs` name for k in the branch taken.
///
/// Types as OpenVINO infers them: with a constant condition, the taken branch's result types (the other body is
/// not inferred); otherwise per output the element types merged (dynamic matches any) and the shapes merged
/// dim by dim: equal dims stay, two different static dims become the range between them, any other dim becomes
/// dynamic; different ranks give dynamic rank (or `[?]` when both are at most 1).
///
/// `==` compares the port maps and the bodies structurally (`Graph.firstDifference`), so two If nodes merge
/// (CSE) only when they compute the same thing the same way.
public struct If: SubgraphOp, @unchecked Sendable, CustomStringConvertible {
    public static let type = "If"
    public static let version = "opset8"
    public static let bodyNames = ["then_body", "else_body"]
    /// The body run when the condition is true.
    public var thenBody: Graph
    /// The body run when the condition is false.
    public var elseBody: Graph
    /// Which outer input (1...) feeds which then-body Parameter.
    public var thenInputs: [BodyInput]
    /// Which outer input (1...) feeds which else-body Parameter.
    public var elseInputs: [BodyInput]
    /// Which then-body Result is which output (`.last` only).
    public var thenOutputs: [BodyOutput]
    /// Which else-body Result is which output (`.last` only).
    public var elseOutputs: [BodyOutput]

    /// An If with empty bodies (what the IR reader starts from).
    public init() {
        self.init(then: Graph(), else: Graph(), thenInputs: [], elseInputs: [], thenOutputs: [], elseOutputs: [])
    }

    /// An If over two bodies. Without `thenOutputs` / `elseOutputs`, Result k of each body is output k.
    public init(then thenBody: Graph, else elseBody: Graph, thenInputs: [BodyInput], elseInputs: [BodyInput],
                thenOutputs: [BodyOutput]? = nil, elseOutputs: [BodyOutput]? = nil) {
        self.thenBody = thenBody
        self.elseBody = elseBody
        self.thenInputs = thenInputs
        self.elseInputs = elseInputs
        self.thenOutputs = thenOutputs ?? thenBody.results.indices.map { .last(result: $0, output: $0) }
        self.elseOutputs = elseOutputs ?? elseBody.results.indices.map { .last(result: $0, output: $0) }
    }

    public var bodies: [Graph] { [thenBody, elseBody] }

    public func replacingBodies(_ bodies: [Graph]) -> If {
        var op = self
        (op.thenBody, op.elseBody) = (bodies[0], bodies[1])
        return op
    }

    public static func == (a: If, b: If) -> Bool {
        a.thenInputs == b.thenInputs && a.elseInputs == b.elseInputs && a.thenOutputs == b.thenOutputs
            && a.elseOutputs == b.elseOutputs && sameBodies(a.bodies, b.bodies)
    }

    public var description: String {
        "If(then_body: \(thenInputs) \(thenOutputs), else_body: \(elseInputs) \(elseOutputs))"
    }

    /// The condition's value when a Const gives it: true takes `thenBody`.
    static func constantCondition(_ inputs: [InferenceInput]) throws -> Bool? {
        // A condition computed from constants and static shapes (its value known to inference) counts too: the
        // branch it skips is not inferred, and constant folding will replace the If by the other.
        if inputs[0].constant == nil, let dims = inputs[0].value, dims.count == 1, let v = dims[0].value { return v != 0 }
        guard let values = inputs[0].constant?.intValues() else { return nil }
        guard values.count == 1 else {
            throw ShapeInference.Failure("the condition constant holds \(values.count) values, not 1")
        }
        return values[0] != 0
    }

    /// Checks the inputs and the port maps; returns the constant condition, if any.
    private func check(_ inputs: [InferenceInput]) throws -> Bool? {
        guard !inputs.isEmpty else { throw ShapeInference.Failure("expects the condition input, got none") }
        if let r = inputs[0].shape.rank, r > 1 { throw ShapeInference.Failure("the condition must be of rank 0 or 1, got \(inputs[0].shape)") }
        for (name, body, ins, outs) in [("then_body", thenBody, thenInputs, thenOutputs), ("else_body", elseBody, elseInputs, elseOutputs)] {
            if let d = ins.first(where: { $0.kind != .invariant }) { throw ShapeInference.Failure("\(name): If takes invariant inputs only, not \(d)") }
            if let d = outs.first(where: { $0.kind != .last }) { throw ShapeInference.Failure("\(name): If takes last-value outputs only, not \(d)") }
            try Self.checkPorts(body, name, inputs: ins, outputs: outs, inputCount: inputs.count, firstInput: 1)
            _ = try Self.checkOutputIndices(outs, name)
        }
        guard thenOutputs.count == elseOutputs.count else {
            throw ShapeInference.Failure("then_body gives \(thenOutputs.count) outputs, else_body \(elseOutputs.count)")
        }
        return try Self.constantCondition(inputs)
    }

    public func bodyParameterTypes(_ inputs: [InferenceInput]) throws -> [[Int: TensorType]?] {
        let condition = try check(inputs)
        func types(_ ports: [BodyInput]) -> [Int: TensorType] {
            Dictionary(uniqueKeysWithValues: ports.map { ($0.parameter, inputs[$0.input].type) })
        }
        return [condition == false ? nil : types(thenInputs), condition == true ? nil : types(elseInputs)]
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let parameterTypes = try bodyParameterTypes(inputs)
        func outputs(_ body: Graph, _ name: String, _ ports: [BodyOutput], _ types: [Int: TensorType]) throws -> [TensorType] {
            let results: [TensorType]
            do { results = try body.resultTypes(parameterTypes: types) } catch let e as GraphError {
                throw ShapeInference.Failure("\(name): \(e)")
            }
            var out = Array(repeating: TensorType(.dynamic, .dynamicRank), count: ports.count)
            for d in ports { out[d.output] = results[d.result] }
            return out
        }
        switch try Self.constantCondition(inputs) {
        case true?: return try outputs(thenBody, "then_body", thenOutputs, parameterTypes[0]!)
        case false?: return try outputs(elseBody, "else_body", elseOutputs, parameterTypes[1]!)
        case nil:
            let a = try outputs(thenBody, "then_body", thenOutputs, parameterTypes[0]!)
            let b = try outputs(elseBody, "else_body", elseOutputs, parameterTypes[1]!)
            return try zip(a, b).enumerated().map { k, pair in
                let (x, y) = pair
                guard x.elementType == y.elementType || x.elementType == .dynamic || y.elementType == .dynamic else {
                    throw ShapeInference.Failure("output \(k): then_body gives \(x.elementType), else_body \(y.elementType)")
                }
                return TensorType(x.elementType == .dynamic ? y.elementType : x.elementType, Self.merge(x.shape, y.shape))
            }
        }
    }

    /// The shape an output has when either branch may run (OpenVINO's `resolve_shape`).
    static func merge(_ a: Shape, _ b: Shape) -> Shape {
        guard let x = a.dims, let y = b.dims else { return .dynamicRank }
        guard x.count == y.count else { return x.count <= 1 && y.count <= 1 ? .ranked([.dynamic]) : .dynamicRank }
        return .ranked(zip(x, y).map { p, q in
            guard let u = p.value, let v = q.value else { return .dynamic }
            return u == v ? p : Dim(lower: min(u, v), upper: max(u, v))
        })
    }
}
