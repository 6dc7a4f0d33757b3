import OVIR

// If, Loop and Scan. Each subgraph is translated into a body graph of its own (`ImportSession.inSubgraph`), whose
// reads of outer names become body Parameters fed by inputs of the op (`ONNXScope.captured`). If becomes
// OpenVINO If-8 (or its branch, when the condition is known at conversion time); Loop and Scan become Loop-5.
extension TranslatorTable {
    static let controlFlow: [TranslatorEntry] = [
        TranslatorEntry("If", translateIf),
        TranslatorEntry("Loop", translateLoop),
        TranslatorEntry("Scan", since: 8, translateScan8),
        TranslatorEntry("Scan", since: 9, translateScan),
    ]
}

/// The subgraph translated into the current scope, its inputs bound to `inputs`; returns the IR values of its outputs.
private func translateSubgraph(_ ctx: NodeContext, _ g: Onnx_GraphProto, _ path: [Int], inputs: [Output] = []) throws -> [Output] {
    let translator = ONNXGraphTranslator(session: ctx.session, proto: g, path: path)
    guard g.input.count == inputs.count else { throw ctx.error("the subgraph takes \(g.input.count) inputs, \(inputs.count) are given") }
    for (input, v) in zip(g.input, inputs) { try translator.define(input.name, v, port: 0) }
    try translator.translateInitializers()
    try translator.translateNodes()
    return try g.output.map { o in
        guard let v = try ctx.session.lookup(o.name) else { throw ctx.error("subgraph output '\(o.name)' is not produced by any node") }
        return v
    }
}

/// A condition as OpenVINO wants it: boolean (ONNX requires bool; other types are compared with 0).
private func condition(_ x: Output, _ ctx: NodeContext, _ suffix: String) throws -> Output {
    if x.elementType == .boolean { return x }
    return try ctx.add(NotEqual(), [x, ctx.add(Convert(x.elementType), [ctx.scalarI64(0, "\(suffix)/zero")], "\(suffix)/zeroCast")], suffix)
}

/// The condition's value when it is known at conversion time: a constant, or a value that inference of shape
/// subgraphs knows exactly (`Size(x) == 4` of a static x).
private func knownCondition(_ cond: Output) -> Bool? {
    if let values = cond.constant?.intValues(), values.count == 1 { return values[0] != 0 }
    if let dims = cond.value, dims.count == 1, let v = dims[0].value { return v != 0 }
    return nil
}

/// If(cond) with then_branch / else_branch (subgraphs without inputs, each producing the node's outputs).
private func translateIf(_ ctx: NodeContext) throws -> [Output] {
    let cond = try ctx.input(0)
    let branches = try [ctx.subgraph("then_branch"), ctx.subgraph("else_branch")]
    for (name, b) in zip(["then_branch", "else_branch"], branches) where b.proto.output.count != ctx.outputCount {
        throw ctx.error("\(name) has \(b.proto.output.count) outputs, the node \(ctx.outputCount)")
    }
    // A condition known now: the taken branch, in place (the other may not even type-check for these inputs).
    if let known = knownCondition(cond) {
        let taken = branches[known ? 0 : 1]
        return try translateSubgraph(ctx, taken.proto, taken.path)
    }
    var inputs = [try condition(cond, ctx, "condition")]
    var bodies: [(graph: Graph, ports: [BodyInput])] = []
    for (k, branch) in ["then", "else"].enumerated() {
        let scope = try ctx.session.inSubgraph(named: "\(ctx.name)/\(branch)") { scope in
            for (j, v) in try translateSubgraph(ctx, branches[k].proto, branches[k].path).enumerated() {
                try scope.graph.addResult(v, name: ctx.session.uniqueName("\(ctx.name)/\(branch)/\(branches[k].proto.output[j].name)"))
            }
        }
        bodies.append((scope.graph, scope.capturedPorts(&inputs, share: true).map { .invariant(input: $0.input, parameter: $0.parameter) }))
    }
    let op = If(then: bodies[0].graph, else: bodies[1].graph, thenInputs: bodies[0].ports, elseInputs: bodies[1].ports)
    let node = try ctx.addNode(op, inputs)
    return (0..<node.outputCount).map { node.output($0) }
}


/// A body Parameter of a Loop besides its state: the iteration number, ONNX Loop's condition input (the entering
/// condition, then what the previous iteration computed), or a value the same in every iteration.
private enum LeadingParameter {
    case iteration
    case condition(Output)
    case invariant(Output)

    var type: TensorType {
        switch self {
        case .iteration: TensorType(.i64, .scalar)
        case .condition(let o), .invariant(let o): o.type
        }
    }
}

/// What a Loop body is made of: the Parameters before the state (with the names the subgraph gives them), the
/// state's names and types, and how the subgraph is translated once its Parameters exist: it returns the
/// condition to go on, the new state and the values stacked per iteration (along `stackAxes`).
private struct LoopBody {
    var leading: [(name: String, parameter: LeadingParameter)]
    var stateNames: [String]
    var stackAxes: [Int]
    var translate: (_ leading: [Output], _ state: [Output]) throws -> (condition: Output, state: [Output], stacked: [Output])
}

/// A Loop-5 for `body`, translated with the state's entering types and again with the dims an iteration changes
/// made dynamic, until the body keeps its state's types, so that no shape is folded from the first iteration's
/// values. The node's inputs: the trip count, the execution condition, the state's initial values, then one per
/// leading Parameter that is not the iteration number, then the outer values the body reads. Its outputs: the
/// final state, then the stacked values.
private func buildLoop(_ ctx: NodeContext, tripCount: Output, condition: Output, initial: [Output], _ body: LoopBody) throws -> Node {
    var stateTypes = initial.map(\.type)
    for _ in 0..<8 {
        var produced: [TensorType] = []
        var stackedAxes: [Int] = []
        let scope = try ctx.session.inSubgraph(named: "\(ctx.name)/body") { scope in
            let g = scope.graph
            func parameter(_ name: String, _ type: TensorType) throws -> Output {
                try g.addParameter(ctx.session.uniqueName("\(ctx.name)/\(name)"), type).output()
            }
            let leading = try body.leading.map { try parameter($0.name, $0.parameter.type) }
            let state = try zip(body.stateNames, stateTypes).map { try parameter($0, $1) }
            let (next, newState, stacked) = try body.translate(leading, state)
            try g.addResult(next, name: ctx.session.uniqueName("\(ctx.name)/body/condition"))
            for (k, v) in newState.enumerated() {
                guard v.elementType == stateTypes[k].elementType || stateTypes[k].elementType == .dynamic else {
                    throw ctx.error("loop state '\(body.stateNames[k])' enters as \(stateTypes[k].elementType) and leaves an iteration as \(v.elementType)")
                }
                produced.append(v.type)
                try g.addResult(v, name: ctx.session.uniqueName("\(ctx.name)/body/\(body.stateNames[k])"))
            }
            for (k, v) in stacked.enumerated() {
                // Stacked along a new axis: unsqueezed there, then concatenated along it.
                var axis = body.stackAxes[k]
                if axis < 0, let r = v.shape.rank { axis += r + 1 }
                let name = ctx.session.uniqueName("\(ctx.name)/body/stacked\(k)")
                let item = try g.add(Unsqueeze(), [v, g.constant(.i64([axis]), name: "\(name)/axis")], name: name)
                try g.addResult(item.output(), name: "\(name)/result")
                stackedAxes.append(axis)
            }
        }
        let widened = zip(stateTypes, produced).map { TensorType($0.elementType, $0.shape.widened(toFit: $1.shape)) }
        guard widened == stateTypes else {
            stateTypes = widened
            continue
        }
        let n = initial.count, lead = body.leading.count
        var inputs = [tripCount, condition] + initial
        var ports = (0..<n).map { BodyInput.merged(input: 2 + $0, parameter: lead + $0, backEdgeFrom: 1 + $0) }
        var iterationIndex = -1
        for (k, l) in body.leading.enumerated() {
            switch l.parameter {
            case .iteration: iterationIndex = k
            case .condition(let o):
                inputs.append(o)
                ports.append(.merged(input: inputs.count - 1, parameter: k, backEdgeFrom: 0))
            case .invariant(let o):
                inputs.append(o)
                ports.append(.invariant(input: inputs.count - 1, parameter: k))
            }
        }
        ports += scope.capturedPorts(&inputs, share: false).map { .invariant(input: $0.input, parameter: $0.parameter) }
        let outputs = (0..<n).map { BodyOutput.last(result: 1 + $0, output: $0) }
            + stackedAxes.enumerated().map { BodyOutput.concatenated(result: 1 + n + $0, output: n + $0, axis: $1) }
        let op = Loop(body: scope.graph, bodyInputs: ports, bodyOutputs: outputs, currentIterationInputIndex: iterationIndex,
                      bodyConditionOutputIndex: 0)
        return try ctx.addNode(op, inputs)
    }
    throw ctx.error("the loop state's shapes do not settle")
}

/// Loop(M, cond, v_initial...) with body (iteration_num, condition, v...) → (condition, v..., scan_outputs...).
/// No M is no limit (-1); no cond is true. The body's condition input receives the condition the previous
/// iteration computed (the entering one at first), as ONNX defines it.
private func translateLoop(_ ctx: NodeContext) throws -> [Output] {
    let (proto, path) = try ctx.subgraph("body")
    let initial = try (2..<max(2, ctx.inputCount)).map { k -> Output in
        guard let v = try ctx.optionalInput(k) else { throw ctx.error("loop-carried input \(k) is empty") }
        return v
    }
    let n = initial.count
    guard proto.input.count == n + 2, proto.output.count >= n + 1 else {
        throw ctx.error("the body takes \(proto.input.count) inputs and gives \(proto.output.count) outputs; with \(n) loop-carried "
            + "values it must take \(n + 2) (iteration, condition, values) and give at least \(n + 1)")
    }
    let trip = try ctx.optionalInput(0).map { try ctx.add(Convert(.i64), [$0], "tripCount") } ?? ctx.scalarI64(-1, "tripCount")
    let cond = try ctx.optionalInput(1).map { try condition($0, ctx, "condition") }
        ?? ctx.constant(.boolean([true], dims: []), "condition")
    let body = LoopBody(
        leading: [(proto.input[0].name, .iteration), (proto.input[1].name, .condition(cond))],
        stateNames: (0..<n).map { proto.input[2 + $0].name },
        stackAxes: Array(repeating: 0, count: proto.output.count - 1 - n),
        translate: { leading, state in
            let outs = try translateSubgraph(ctx, proto, path, inputs: leading + state)
            return (try condition(outs[0], ctx, "body/condition"), Array(outs[1..<(1 + n)]), Array(outs[(1 + n)...]))
        })
    let node = try buildLoop(ctx, tripCount: trip, condition: cond, initial: initial, body)
    return (0..<node.outputCount).map { node.output($0) }
}

/// Scan (opset 9 on) with N state values and M scan inputs: the body takes (state..., a slice of each scan input)
/// and gives (state..., K values that are stacked into the scan outputs). A Loop over the first scan input's
/// scan axis: slice i (len - 1 - i for a reverse direction) is Gather(input, i, axis) in the body; a reverse scan
/// output is reversed along its axis after the loop.
private func translateScan(_ ctx: NodeContext) throws -> [Output] {
    let (proto, path) = try ctx.subgraph("body")
    let (n, m, k) = try scanCounts(ctx, proto, inputs: ctx.inputCount)
    let inputs = try (0..<ctx.inputCount).map { try ctx.input($0) }
    let scans = Array(inputs[n...])
    let inDirections = try scanList(ctx, "scan_input_directions", m), outDirections = try scanList(ctx, "scan_output_directions", k)
    let outAxes = try scanList(ctx, "scan_output_axes", k)
    let inAxes = try zip(try scanList(ctx, "scan_input_axes", m), scans).map { axis, x -> Int in
        guard let r = x.shape.rank else { throw ctx.error("a scan input's rank must be known") }
        guard (-r..<r).contains(axis) else { throw ctx.error("scan axis \(axis) is out of range for rank \(r)") }
        return axis < 0 ? axis + r : axis
    }
    return try scanLoop(ctx, proto, path, initial: Array(inputs[..<n]), scans: scans, inAxes: inAxes, inDirections: inDirections,
                        outAxes: outAxes, outDirections: outDirections)
}

/// Scan's counts of state values (n), scan inputs (m) and scan outputs (k), checked against the body, for a node
/// whose states and scan inputs are `inputs` in number.
private func scanCounts(_ ctx: NodeContext, _ proto: Onnx_GraphProto, inputs: Int) throws -> (n: Int, m: Int, k: Int) {
    guard let m = ctx.int("num_scan_inputs"), m >= 1, m <= inputs else {
        throw ctx.error("num_scan_inputs must be between 1 and the \(inputs) state and scan inputs")
    }
    let n = inputs - m
    guard proto.input.count == n + m, proto.output.count >= n else {
        throw ctx.error("the body takes \(proto.input.count) inputs and gives \(proto.output.count) outputs; with \(n) state values and "
            + "\(m) scan inputs it must take \(n + m) and give at least \(n)")
    }
    return (n, m, proto.output.count - n)
}

/// A per-input or per-output list attribute of Scan (0s when absent).
private func scanList(_ ctx: NodeContext, _ name: String, _ count: Int) throws -> [Int] {
    let v = ctx.ints(name) ?? Array(repeating: 0, count: count)
    guard v.count == count else { throw ctx.error("\(name) has \(v.count) entries, not \(count)") }
    return v
}

/// Scan opset 8: input 0 is sequence_lens, and every state and scan input has a leading batch axis (scan inputs are
/// scanned along axis 1, `directions` giving their directions; scan outputs stack along axis 1). Each batch item is
/// scanned by a Loop of its own, as Scan 9 would scan it, and the items' results are stacked again along axis 0, so
/// the batch size must be static. Only full-length sequences are scanned: sequence_lens must be omitted.
private func translateScan8(_ ctx: NodeContext) throws -> [Output] {
    let (proto, path) = try ctx.subgraph("body")
    if try ctx.optionalInput(0) != nil {
        throw ctx.error("sequence_lens is not supported: only Scans of every sequence's full length (sequence_lens omitted) are")
    }
    let (n, m, k) = try scanCounts(ctx, proto, inputs: max(0, ctx.inputCount - 1))
    let inputs = try (1..<ctx.inputCount).map { try ctx.input($0) }
    let directions = try scanList(ctx, "directions", m)
    for (j, x) in inputs.enumerated() where (x.shape.rank.map { $0 < (j < n ? 1 : 2) } ?? false) {
        throw ctx.error("input \(j + 1) has shape \(x.shape): states need a batch axis, scan inputs a batch and a sequence axis")
    }
    guard let batch = (inputs[n...] + inputs[..<n]).lazy.compactMap({ $0.shape.dims?.first?.value }).first else {
        throw ctx.error("the batch size (axis 0 of the states and scan inputs) must be static")
    }
    // Each item gets a Loop of its own, so a hostile batch size must not unroll without bound.
    guard (1...256).contains(batch) else { throw ctx.error("Scan-8 is unrolled per batch item: batch \(batch) is outside 1...256") }
    let items = try (0..<batch).map { b -> [Output] in
        let item = try inputs.enumerated().map { j, x in
            try ctx.add(Gather(), [x, ctx.scalarI64(b, "item\(b)/input\(j)/index"), ctx.scalarI64(0, "item\(b)/input\(j)/axis")],
                        "item\(b)/input\(j)")
        }
        return try scanLoop(ctx, proto, path, initial: Array(item[..<n]), scans: Array(item[n...]), inAxes: Array(repeating: 0, count: m),
                            inDirections: directions, outAxes: Array(repeating: 0, count: k), outDirections: Array(repeating: 0, count: k))
    }
    return try (0..<(n + k)).map { j in
        let stacked = try items.enumerated().map { b, outputs in
            try ctx.add(Unsqueeze(), [outputs[j], ctx.i64([0], "output\(j)/item\(b)/axis")], "output\(j)/item\(b)")
        }
        return stacked.count == 1 ? stacked[0] : try ctx.add(Concat(axis: 0), stacked, "output\(j)")
    }
}

/// The Loop of a Scan over `scans` (each along its axis in `inAxes`) from the states `initial`; returns the final
/// states, then the scan outputs (stacked along `outAxes`, reversed where `outDirections` says 1).
private func scanLoop(_ ctx: NodeContext, _ proto: Onnx_GraphProto, _ path: [Int], initial: [Output], scans: [Output], inAxes: [Int],
                      inDirections: [Int], outAxes: [Int], outDirections: [Int]) throws -> [Output] {
    let n = initial.count, k = outAxes.count
    /// The length of `x` along `axis`, as an i64 scalar of the graph being built now.
    func length(_ x: Output, _ axis: Int, _ suffix: String) throws -> Output {
        if let d = x.shape.dims?[axis].value { return try ctx.scalarI64(d, suffix) }
        return try ctx.add(Gather(), [ctx.add(ShapeOf(), [x], "\(suffix)/shape"), ctx.scalarI64(axis, "\(suffix)/index"),
                                      ctx.scalarI64(0, "\(suffix)/axis")], suffix)
    }
    let trip = try length(scans[0], inAxes[0], "tripCount")
    let body = LoopBody(
        leading: [("iteration", .iteration)] + scans.enumerated().map { ("scan_input\($0.offset)", .invariant($0.element)) },
        stateNames: (0..<n).map { proto.input[$0].name },
        stackAxes: outAxes,
        translate: { leading, state in
            let i = leading[0]
            let slices = try leading.dropFirst().enumerated().map { j, x -> Output in
                var index = i
                if inDirections[j] == 1 {
                    let last = try ctx.add(Subtract(), [length(x, inAxes[j], "scan\(j)/length"), ctx.scalarI64(1, "scan\(j)/one")], "scan\(j)/last")
                    index = try ctx.add(Subtract(), [last, i], "scan\(j)/index")
                }
                return try ctx.add(Gather(), [x, index, ctx.scalarI64(inAxes[j], "scan\(j)/axis")], "scan\(j)/slice")
            }
            let outs = try translateSubgraph(ctx, proto, path, inputs: state + slices)
            return (try ctx.constant(.boolean([true], dims: []), "body/condition"), Array(outs[..<n]), Array(outs[n...]))
        })
    let node = try buildLoop(ctx, tripCount: trip, condition: ctx.constant(.boolean([true], dims: []), "condition"), initial: initial, body)
    var outputs = (0..<node.outputCount).map { node.output($0) }
    for j in 0..<k where outDirections[j] == 1 {
        let loop = node.op as! Loop
        guard case .concatenated(let c) = loop.bodyOutputs[n + j].kind else { continue }
        outputs[n + j] = try ctx.add(Reverse(mode: .index), [outputs[n + j], ctx.i64([c.axis], "reverse\(j)/axis")], "reverse\(j)")
    }
    return outputs
}
