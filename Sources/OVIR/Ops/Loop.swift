/// Runs a body repeatedly (opset5). Input 0 is the trip count (an integer scalar or one-element 1-D tensor; -1
/// = no limit), input 1 the execution condition (boolean: whether the first iteration runs); the other inputs
/// feed body Parameters through `bodyInputs`: invariant (the same value every iteration) or merged (the first
/// iteration's value; later iterations read a body Result through the back edge). The body's Result
/// `bodyConditionOutputIndex` decides whether another iteration runs; its Parameter `currentIterationInputIndex`
/// (if not -1) holds the iteration number 0, 1, ... Each output is a body Result's last value or its values of
/// every iteration concatenated along an axis (`bodyOutputs`).
///
/// Types as OpenVINO infers them: body Parameters take their inputs' types; a merged Parameter whose Result is
/// also a last-value output is widened (dims that disagree with the Result become dynamic) until the body is
/// stable. A concatenated output's axis dim is the Result's dim times the iteration count when that count is known
/// (a constant trip count and a body condition that is constantly true), dynamic otherwise; an execution condition
/// that is constantly false gives `[0]`.
///
/// `==` compares the port maps and the body structurally (`Graph.firstDifference`).
public struct Loop: SubgraphOp, @unchecked Sendable, CustomStringConvertible {
    public static let type = "Loop"
    public static let version = "opset5"
    public static let bodyNames = ["body"]
    public var body: Graph
    /// Which outer input feeds which body Parameter, and how.
    public var bodyInputs: [BodyInput]
    /// Which body Result is which output, and how.
    public var bodyOutputs: [BodyOutput]
    /// The body Parameter that receives the iteration number, or -1 (OpenVINO's `current_iteration_input_idx`).
    public var currentIterationInputIndex: Int
    /// The body Result that says whether to run another iteration (OpenVINO's `body_condition_output_idx`).
    public var bodyConditionOutputIndex: Int

    /// A Loop with an empty body (what the IR reader starts from).
    public init() {
        self.init(body: Graph(), bodyInputs: [], bodyOutputs: [], currentIterationInputIndex: -1, bodyConditionOutputIndex: -1)
    }

    public init(body: Graph, bodyInputs: [BodyInput], bodyOutputs: [BodyOutput], currentIterationInputIndex: Int = -1,
                bodyConditionOutputIndex: Int) {
        self.body = body
        self.bodyInputs = bodyInputs
        self.bodyOutputs = bodyOutputs
        self.currentIterationInputIndex = currentIterationInputIndex
        self.bodyConditionOutputIndex = bodyConditionOutputIndex
    }

    public var bodies: [Graph] { [body] }

    public func replacingBodies(_ bodies: [Graph]) -> Loop {
        var op = self
        op.body = bodies[0]
        return op
    }

    public static func == (a: Loop, b: Loop) -> Bool {
        a.bodyInputs == b.bodyInputs && a.bodyOutputs == b.bodyOutputs && a.currentIterationInputIndex == b.currentIterationInputIndex
            && a.bodyConditionOutputIndex == b.bodyConditionOutputIndex && sameBodies(a.bodies, b.bodies)
    }

    public var description: String {
        "Loop(\(bodyInputs) \(bodyOutputs), current_iteration Parameter #\(currentIterationInputIndex), condition Result #\(bodyConditionOutputIndex))"
    }

    /// The back edges: body Result index → the Parameter it feeds.
    public var backEdges: [Int: Int] {
        var edges: [Int: Int] = [:]
        for d in bodyInputs { if let r = d.backEdgeResult { edges[r] = d.parameter } }
        return edges
    }

    /// What type inference learns about a Loop for given inputs.
    struct Analysis {
        var parameterTypes: [Int: TensorType]
        var resultTypes: [TensorType]
        /// The number of iterations when it is known, else -1.
        var iterations: Int
        /// Whether the execution condition is constantly false.
        var runsZeroTimes: Bool
    }

    func analyze(_ inputs: [InferenceInput]) throws -> Analysis {
        try checkStructure(inputs)
        var runsZeroTimes = false
        if try Self.constantBool(inputs[1], "the execution condition") == false { runsZeroTimes = true }

        // The iteration count is known when the body condition is constantly true (and the trip count constant),
        // or 1 when it is constantly false (the body runs once, as a do-while).
        var alwaysTrue = false, iterations = -1
        let conditionSource = body.results[bodyConditionOutputIndex].inputs[0]
        var conditionValue: Bool?
        if let c = conditionSource.constant {
            conditionValue = try Self.constantBool(InferenceInput(c.type, constant: c), "the body condition")
        } else if conditionSource.node.op is Parameter, let p = body.parameters.firstIndex(where: { $0 === conditionSource.node }),
                  let feed = bodyInputs.first(where: { $0.parameter == p }) {
            conditionValue = try Self.constantBool(inputs[feed.input], "the body condition's input")
        }
        if conditionValue == true { alwaysTrue = true } else if conditionValue == false { iterations = 1 }
        if let r = inputs[0].shape.rank, r > 1 { throw ShapeInference.Failure("the trip count must be of rank 0 or 1, got \(inputs[0].shape)") }
        if let trip = inputs[0].intValues {
            guard trip.count == 1 else { throw ShapeInference.Failure("the trip count constant holds \(trip.count) values, not 1") }
            if alwaysTrue { iterations = trip[0] }
        }

        var parameterTypes: [Int: TensorType] = [:]
        for d in bodyInputs { parameterTypes[d.parameter] = inputs[d.input].type }
        var results = try bodyResults(parameterTypes)

        // Widen merged Parameters whose Results are last-value outputs until the body agrees with itself.
        let edges = backEdges
        var round = 0
        while round < (iterations == -1 ? Int.max : iterations) {
            var changed = false
            for d in bodyOutputs where d.kind == .last {
                guard let p = edges[d.result], let parameter = parameterTypes[p] else { continue }
                let produced = results[d.result].shape
                var widened: Shape?
                switch (produced.dims, parameter.shape.dims) {
                case let (x?, y?) where x.count == y.count:
                    if zip(x, y).contains(where: { !$0.isCompatible(with: $1) }) {
                        widened = .ranked(zip(x, y).map { $0.isCompatible(with: $1) ? $0 : .dynamic })
                    }
                case (_, _?): widened = .dynamicRank
                default: break
                }
                if let widened {
                    parameterTypes[p] = TensorType(parameter.elementType, widened)
                    changed = true
                }
            }
            guard changed else { break }
            results = try bodyResults(parameterTypes)
            round += 1
        }

        if let r = results[bodyConditionOutputIndex].shape.rank, r > 1 {
            throw ShapeInference.Failure("the body condition must be of rank 0 or 1, got \(results[bodyConditionOutputIndex].shape)")
        }
        return Analysis(parameterTypes: parameterTypes, resultTypes: results, iterations: iterations, runsZeroTimes: runsZeroTimes)
    }

    private func bodyResults(_ parameterTypes: [Int: TensorType]) throws -> [TensorType] {
        do { return try body.resultTypes(parameterTypes: parameterTypes) } catch let e as GraphError {
            throw ShapeInference.Failure("body: \(e)")
        }
    }

    /// The port maps and special ports against the inputs and the body.
    private func checkStructure(_ inputs: [InferenceInput]) throws {
        guard inputs.count >= 2 else { throw ShapeInference.Failure("expects the trip count and the execution condition, got \(inputs.count) inputs") }
        guard body.results.indices.contains(bodyConditionOutputIndex) else {
            throw ShapeInference.Failure("body_condition_output_idx \(bodyConditionOutputIndex) names no body Result (the body has \(body.results.count))")
        }
        var unfed = Set<Int>()
        if currentIterationInputIndex != -1 {
            guard body.parameters.indices.contains(currentIterationInputIndex) else {
                throw ShapeInference.Failure("current_iteration_input_idx \(currentIterationInputIndex) names no body Parameter (the body has \(body.parameters.count))")
            }
            let type = body.parameters[currentIterationInputIndex].outputTypes[0]
            if let r = type.shape.rank, r > 1 { throw ShapeInference.Failure("the current iteration Parameter must be of rank 0 or 1, got \(type.shape)") }
            guard [.i32, .i64, .dynamic].contains(type.elementType) else {
                throw ShapeInference.Failure("the current iteration Parameter must be i32 or i64, got \(type.elementType)")
            }
            unfed.insert(currentIterationInputIndex)
        }
        try Self.checkPorts(body, "body", inputs: bodyInputs, outputs: bodyOutputs, inputCount: inputs.count, firstInput: 0, unfed: unfed)
        _ = try Self.checkOutputIndices(bodyOutputs, "body")
        let described = Set(bodyInputs.map(\.input))
        if let missing = (2..<inputs.count).first(where: { !described.contains($0) }) {
            throw ShapeInference.Failure("input \(missing) feeds no body Parameter")
        }
        guard described.count == bodyInputs.count else { throw ShapeInference.Failure("an input feeds more than one body Parameter") }
        for d in bodyOutputs {
            if case .concatenated(let c) = d.kind, !c.isEveryIteration {
                throw ShapeInference.Failure("output \(d.output): Loop concatenates every iteration (start 0, stride 1, part_size 1, end -1), not \(c)")
            }
        }
        for (k, name) in [(0, "trip count"), (1, "execution condition")] {
            if let r = inputs[k].shape.rank, r > 1 { throw ShapeInference.Failure("the \(name) must be of rank 0 or 1, got \(inputs[k].shape)") }
        }
        guard inputs[0].elementType.isInteger || inputs[0].elementType == .dynamic else {
            throw ShapeInference.Failure("the trip count must be an integer, got \(inputs[0].elementType)")
        }
        guard inputs[1].elementType == .boolean || inputs[1].elementType == .dynamic else {
            throw ShapeInference.Failure("the execution condition must be boolean, got \(inputs[1].elementType)")
        }
    }

    /// A one-element boolean constant's value, nil when the input is not constant.
    private static func constantBool(_ input: InferenceInput, _ what: String) throws -> Bool? {
        guard let values = input.constant?.intValues() else { return nil }
        guard values.count == 1 else { throw ShapeInference.Failure("\(what) constant holds \(values.count) values, not 1") }
        return values[0] != 0
    }

    public func bodyParameterTypes(_ inputs: [InferenceInput]) throws -> [[Int: TensorType]?] {
        [try analyze(inputs).parameterTypes]
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let a = try analyze(inputs)
        var out = Array(repeating: TensorType(.dynamic, .dynamicRank), count: bodyOutputs.count)
        for d in bodyOutputs {
            let value = a.resultTypes[d.result]
            switch d.kind {
            case .concatenated(let c):
                guard !a.runsZeroTimes else { out[d.output] = TensorType(value.elementType, .fixed([0])); continue }
                guard var dims = value.shape.dims else { out[d.output] = value; continue }
                let axis: Int
                if dims.isEmpty {
                    guard c.axis == 0 || c.axis == -1 else { throw ShapeInference.Failure("output \(d.output): axis \(c.axis) is out of range for a scalar Result") }
                    (dims, axis) = ([.fixed(1)], 0)
                } else {
                    axis = try ShapeInference.axis(c.axis, rank: dims.count)
                }
                if let n = dims[axis].value, a.iterations != -1 { dims[axis] = .fixed(n * a.iterations) } else { dims[axis] = .dynamic }
                out[d.output] = TensorType(value.elementType, .ranked(dims))
            case .last:
                guard a.runsZeroTimes, var dims = value.shape.staticDims, !dims.isEmpty else { out[d.output] = value; continue }
                dims[0] = 0
                out[d.output] = TensorType(value.elementType, .fixed(dims))
            }
        }
        return out
    }
}
