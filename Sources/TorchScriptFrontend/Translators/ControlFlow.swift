import OVIR

// prim::If and prim::Loop. A condition known at conversion time (as in traced graphs, where shapes are static)
// takes its block in place; otherwise the blocks become the bodies of OpenVINO If-8 and Loop-5, each translated in
// a scope of its own whose reads of outer tensors become body Parameters (`TSScope`). Only tensors and numbers
// cross a body's border: a number becomes a 0-D tensor (int i64, float f32, bool boolean).
extension TSTranslatorTable {
    static let controlFlow: [TSTranslatorEntry] = [
        TSTranslatorEntry("prim::If", translateIf),
        TSTranslatorEntry("prim::Loop", translateLoop),
        TSTranslatorEntry("aten::Bool", translateBool),
    ]
}

/// aten::Bool: a number known now stays a Python bool; a tensor's truth at run time is `x != 0`.
private func translateBool(_ ctx: TSNodeContext) throws -> [TSValue] {
    let v = try ctx.value(0)
    guard case .tensor(let x) = v else { return [.bool(try ctx.bool(0))] }
    if let t = x.constant, t.elementCount == 1, let d = t.doubleValues()?.first { return [.bool(d != 0)] }
    if let n = ctx.staticInt(v) { return [.bool(n != 0)] }
    return [.tensor(try condition(x, ctx))]
}

/// A tensor as an If or Loop condition: boolean, `x != 0` otherwise.
private func condition(_ x: Output, _ ctx: TSNodeContext) throws -> Output {
    if x.elementType == .boolean { return x }
    return try ctx.add(NotEqual(), [x, ctx.scalarConstant(0, x.elementType, "zero")], "bool")
}

/// A value that crosses a body's border, as a tensor of the graph being built now; `what` names it in errors.
private func borderTensor(_ v: TSValue, _ ctx: TSNodeContext, _ what: String) throws -> Output {
    switch v {
    case .tensor, .int, .float, .bool: return try ctx.tensor(v, what)
    default:
        throw TorchScriptFrontendError(.unsupported, "\(ctx.session.dumpPath):\(ctx.node.line): \(ctx.describe): \(what) is \(v); "
            + "only tensors and numbers can cross an OpenVINO \(ctx.kind == "prim::Loop" ? "Loop" : "If") body's border")
    }
}

/// Adds `outer` to `inputs` unless it is there already; returns its index.
private func inputIndex(_ outer: Output, _ inputs: inout [Output]) -> Int {
    if let k = inputs.firstIndex(of: outer) { return k }
    inputs.append(outer)
    return inputs.count - 1
}

/// prim::If(cond) with blocks then/else, each returning the node's outputs.
private func translateIf(_ ctx: TSNodeContext) throws -> [TSValue] {
    guard ctx.node.blocks.count == 2 else { throw ctx.error("prim::If must have 2 blocks, has \(ctx.node.blocks.count)") }
    if let known = try? ctx.bool(0) {
        return try TSBlockTranslator(session: ctx.session).run(ctx.node.blocks[known ? 0 : 1], arguments: [])
    }
    var inputs = [try condition(ctx.tensor(0), ctx)]
    var bodies: [(graph: Graph, ports: [BodyInput])] = []
    for (k, branch) in ["then", "else"].enumerated() {
        let scope = try ctx.session.inBody(named: "\(ctx.name)/\(branch)") { scope in
            let returned = try TSBlockTranslator(session: ctx.session).run(ctx.node.blocks[k], arguments: [])
            guard returned.count == ctx.node.outputs.count else {
                throw ctx.error("block\(k) returns \(returned.count) values for \(ctx.node.outputs.count) outputs")
            }
            for (j, v) in returned.enumerated() {
                try scope.graph.addResult(borderTensor(v, ctx, "output \(j) of the \(branch) branch"),
                                          name: ctx.session.uniqueName("\(ctx.name)/\(branch)/result\(j)"))
            }
        }
        let ports = scope.captured.map { c in
            BodyInput.invariant(input: inputIndex(c.outer, &inputs), parameter: scope.graph.parameters.firstIndex { $0 === c.parameter }!)
        }
        bodies.append((scope.graph, ports))
    }
    let op = If(then: bodies[0].graph, else: bodies[1].graph, thenInputs: bodies[0].ports, elseInputs: bodies[1].ports)
    let node = try ctx.addNode(op, inputs)
    return (0..<node.outputCount).map { .tensor(node.output($0)) }
}

/// prim::Loop(max_trip_count, initial_condition, carried...) with one block (iteration, carried...) returning
/// (condition, carried...); the outputs are the last carried values. A `while` loop's trip count is INT64_MAX,
/// which is OpenVINO's -1 (no limit).
///
/// A carried value may change shape from one iteration to the next (a growing concatenation): the body is
/// translated with the initial values' types, and again with the dims its results disagree on made dynamic, until
/// it agrees with itself, so that no shape is folded from the first iteration's values.
private func translateLoop(_ ctx: TSNodeContext) throws -> [TSValue] {
    guard ctx.node.blocks.count == 1 else { throw ctx.error("prim::Loop must have 1 block, has \(ctx.node.blocks.count)") }
    let block = ctx.node.blocks[0]
    let carriedCount = ctx.inputCount - 2
    guard carriedCount >= 0, block.parameters.count == carriedCount + 1, block.returns.count == carriedCount + 1,
          ctx.node.outputs.count == carriedCount else {
        throw ctx.error("a loop with \(ctx.inputCount) inputs, a block of \(block.parameters.count) parameters returning "
            + "\(block.returns.count) values, and \(ctx.node.outputs.count) outputs is not (trip count, condition, carried...)")
    }
    let initial = try (0..<carriedCount).map { try ctx.value(2 + $0) }
    // A loop that runs zero times leaves the initial values.
    if let runs = try? ctx.bool(1), !runs { return initial }
    if let trip = ctx.staticInt(try ctx.value(0)), trip <= 0 { return initial }

    let tripCount: Output
    if let trip = ctx.staticInt(try ctx.value(0)) {
        tripCount = try ctx.constant(.scalar(i64: trip >= Int(Int64.max) ? -1 : trip), "trip_count")
    } else {
        tripCount = try ctx.convert(ctx.tensor(0), to: .i64, "trip_count")
    }
    var inputs = [tripCount, try condition(ctx.tensor(1), ctx)]
    for (k, v) in initial.enumerated() { inputs.append(try borderTensor(v, ctx, "carried value \(k)")) }

    var types = inputs[2...].map(\.type)
    for _ in 0..<8 {
        var results: [TensorType] = []
        let scope = try ctx.session.inBody(named: "\(ctx.name)/body") { scope in
            let g = scope.graph
            let iteration = try g.addParameter(ctx.session.uniqueName("\(ctx.name)/\(block.parameters[0].name)"), TensorType(.i64, .scalar))
            var arguments: [TSValue] = [.tensor(iteration.output())]
            for (k, type) in types.enumerated() {
                arguments.append(.tensor(try g.addParameter(ctx.session.uniqueName("\(ctx.name)/\(block.parameters[k + 1].name)"), type).output()))
            }
            let returned = try TSBlockTranslator(session: ctx.session).run(block, arguments: arguments)
            let next = try condition(borderTensor(returned[0], ctx, "the loop condition"), ctx)
            try g.addResult(next, name: ctx.session.uniqueName("\(ctx.name)/body/condition"))
            for (k, v) in returned.dropFirst().enumerated() {
                var out = try borderTensor(v, ctx, "carried value \(k)")
                // A number computed in the body may come out of another width than the value it replaces.
                if out.elementType != types[k].elementType, out.shape.rank == 0, types[k].shape.rank == 0 {
                    out = try ctx.convert(out, to: types[k].elementType, "carried\(k)")
                }
                guard out.elementType == types[k].elementType else {
                    throw ctx.error("carried value \(k) enters the loop as \(types[k].elementType) and leaves an iteration as \(out.elementType)")
                }
                results.append(out.type)
                try g.addResult(out, name: ctx.session.uniqueName("\(ctx.name)/body/result\(k)"))
            }
        }
        let widened = zip(types, results).map { t, r in TensorType(t.elementType, t.shape.widened(toFit: r.shape)) }
        guard widened == types else {
            types = widened
            continue
        }
        let g = scope.graph
        var ports = (0..<carriedCount).map { BodyInput.merged(input: 2 + $0, parameter: 1 + $0, backEdgeFrom: 1 + $0) }
        // Each outer value a body reads is an input of its own, even when it is also a carried value's start
        // (a Loop input feeds one body Parameter).
        for c in scope.captured {
            inputs.append(c.outer)
            ports.append(.invariant(input: inputs.count - 1, parameter: g.parameters.firstIndex { $0 === c.parameter }!))
        }
        let op = Loop(body: g, bodyInputs: ports, bodyOutputs: (0..<carriedCount).map { .last(result: 1 + $0, output: $0) },
                      currentIterationInputIndex: 0, bodyConditionOutputIndex: 0)
        let node = try ctx.addNode(op, inputs)
        return (0..<node.outputCount).map { .tensor(node.output($0)) }
    }
    throw ctx.error("the carried values' shapes do not settle")
}
