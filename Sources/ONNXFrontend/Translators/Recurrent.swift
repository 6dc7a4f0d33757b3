import OVIR

// LSTM, GRU and RNN (opsets 1, 7, 14) as OpenVINO's LSTMSequence-5, GRUSequence-5 and RNNSequence-5.
// ONNX X is [seq, batch, input] (layout 1 from opset 14: [batch, seq, input]), states are [dirs, batch, hidden]
// (layout 1: [batch, dirs, hidden]) and Y is [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden]);
// OpenVINO wants X [batch, seq, input] and states [batch, dirs, hidden] and gives Y [batch, dirs, seq, hidden],
// so Transposes go in and out. ONNX's B holds W's and R's biases apart ([dirs, 2·gates·hidden]); OpenVINO
// takes their sum (GRU with linear_before_reset keeps the h gate's two apart). ONNX LSTM stacks gates i, o, f, c,
// OpenVINO f, i, c, o; GRU's z, r, h and RNN's one gate are the same in both. Missing optional inputs become
// zeros (B, initial states) and the full sequence length per batch element, shaped from X at run time when its
// batch is dynamic.
extension TranslatorTable {
    static let recurrent: [TranslatorEntry] = [
        TranslatorEntry("LSTM") { try translateRecurrent($0, .lstm) },
        TranslatorEntry("GRU") { try translateRecurrent($0, .gru) },
        TranslatorEntry("RNN") { try translateRecurrent($0, .rnn) },
    ]
}

private enum RecurrentKind {
    case lstm, gru, rnn

    var gates: Int { switch self { case .lstm: 4; case .gru: 3; case .rnn: 1 } }
    /// ONNX's default activations for one direction.
    var defaultActivations: [String] {
        switch self {
        case .lstm: ["sigmoid", "tanh", "tanh"]
        case .gru: ["sigmoid", "tanh"]
        case .rnn: ["tanh"]
        }
    }
    /// Where each OpenVINO gate is in ONNX's stacking.
    var gateOrder: [Int] { self == .lstm ? [2, 0, 3, 1] : Array(0..<gates) }
}

private func translateRecurrent(_ ctx: NodeContext, _ kind: RecurrentKind) throws -> [Output] {
    let x = try ctx.input(0), w = try ctx.input(1), r = try ctx.input(2)
    guard x.shape.rank == nil || x.shape.rank == 3 else { throw ctx.error("X must have rank 3, got [\(x.shape)]") }
    let layout = ctx.int("layout", 0)
    guard layout == 0 || layout == 1 else { throw ctx.error("layout must be 0 or 1, got \(layout)") }
    let directionName = ctx.string("direction", "forward")
    guard let direction = RecurrentDirection(rawValue: directionName.lowercased()) else {
        throw ctx.error("direction '\(directionName)' is not forward, reverse or bidirectional")
    }
    let directions = direction.count
    guard let hidden = ctx.int("hidden_size") ?? r.shape.dims?.last?.value, hidden > 0 else {
        throw ctx.error("hidden_size is missing and R's last dim is not static")
    }
    let activations = try recurrentActivations(ctx, kind, directions: directions)
    let clip = ctx.float("clip").map { abs(Double(onnx: $0)) } ?? 0
    let linearBeforeReset = kind == .gru && ctx.int("linear_before_reset", 0) != 0
    if kind == .lstm {
        guard ctx.int("input_forget", 0) == 0 else {
            throw ctx.error("input_forget=1 (input and forget gates coupled) is not supported by OpenVINO's LSTMSequence")
        }
        if let p = try ctx.optionalInput(7) {
            guard let t = p.constant, let values = t.doubleValues(), values.allSatisfy({ $0 == 0 }) else {
                throw ctx.error("peephole weights P are not supported by OpenVINO's LSTMSequence (only an all-zero constant P can be dropped)")
            }
        }
    }

    // X as [batch, seq, input]
    let xs = layout == 0 ? try transpose(ctx, x, [1, 0, 2], "X") : x
    let batch = xs.shape.dims?[0].value, seq = xs.shape.dims?[1].value
    let (wOV, rOV) = try (reorderGates(ctx, w, kind, "W"), reorderGates(ctx, r, kind, "R"))
    let biasGates = linearBeforeReset ? 4 : kind.gates
    let b: Output
    if let onnxB = try ctx.optionalInput(3) {
        b = try combinedBias(ctx, onnxB, kind, linearBeforeReset: linearBeforeReset)
    } else {
        b = try ctx.floatConstant([Float](repeating: 0, count: directions * biasGates * hidden), dims: [directions, biasGates * hidden], like: x, "B")
    }
    let lengths: Output
    if let l = try ctx.optionalInput(4) {
        lengths = l
    } else if let batch, let seq {
        lengths = try ctx.constant(.i32([Int](repeating: seq, count: batch), dims: [batch]), "sequence_lens")
    } else {
        let shape = try ctx.add(ShapeOf(), [xs], "XShape")
        let seqLength = try ctx.add(Gather(), [shape, ctx.i64([1], "seqIndex"), ctx.scalarI64(0, "seqAxis")], "seqLength")
        let batchSize = try ctx.add(Gather(), [shape, ctx.i64([0], "batchIndex"), ctx.scalarI64(0, "batchAxis")], "batchSize")
        lengths = try ctx.add(Broadcast(), [seqLength, batchSize], "sequence_lens")
    }
    func initialState(_ index: Int, _ name: String) throws -> Output {
        if let s = try ctx.optionalInput(index) {
            return layout == 0 ? try transpose(ctx, s, [1, 0, 2], name) : s
        }
        if let batch {
            return try ctx.floatConstant([Float](repeating: 0, count: batch * directions * hidden), dims: [batch, directions, hidden], like: x, name)
        }
        let shape = try ctx.add(ShapeOf(), [xs], "\(name)XShape")
        let batchSize = try ctx.add(Gather(), [shape, ctx.i64([0], "\(name)BatchIndex"), ctx.scalarI64(0, "\(name)BatchAxis")], "\(name)Batch")
        let target = try ctx.add(Concat(axis: 0), [batchSize, ctx.i64([directions, hidden], "\(name)Dims")], "\(name)Shape")
        return try ctx.add(Broadcast(), [ctx.scalar(0, like: x, "\(name)Zero"), target], name)
    }
    let h0 = try initialState(5, "initial_h")

    let node: Node
    switch kind {
    case .lstm:
        let c0 = try initialState(6, "initial_c")
        node = try ctx.addNode(LSTMSequence(hiddenSize: hidden, direction: direction, activations: activations, clip: clip),
                               [xs, h0, c0, lengths, wOV, rOV, b])
    case .gru:
        node = try ctx.addNode(GRUSequence(hiddenSize: hidden, direction: direction, activations: activations, clip: clip,
                                           linearBeforeReset: linearBeforeReset), [xs, h0, lengths, wOV, rOV, b])
    case .rnn:
        node = try ctx.addNode(RNNSequence(hiddenSize: hidden, direction: direction, activations: activations, clip: clip),
                               [xs, h0, lengths, wOV, rOV, b])
    }
    // Y [batch, dirs, seq, hidden] → [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden])
    var outputs = [try transpose(ctx, node.output(0), layout == 0 ? [2, 1, 0, 3] : [0, 2, 1, 3], "Y")]
    for i in 1..<node.outputCount {
        outputs.append(layout == 0 ? try transpose(ctx, node.output(i), [1, 0, 2], i == 1 ? "Y_h" : "Y_c") : node.output(i))
    }
    return outputs
}

private func transpose(_ ctx: NodeContext, _ x: Output, _ order: [Int], _ name: String) throws -> Output {
    try ctx.add(Transpose(), [x, ctx.i64(order, "\(name)Order")], "\(name)Transpose")
}

/// The activation attribute as OpenVINO's one list for every direction: ONNX names `gates` functions per
/// direction (forward first), and OpenVINO's ops apply one set to both.
private func recurrentActivations(_ ctx: NodeContext, _ kind: RecurrentKind, directions: Int) throws -> ActivationList {
    let count = kind.defaultActivations.count
    guard let given = ctx.strings("activations") else { return ActivationList(kind.defaultActivations) }
    var names = given.map { $0.lowercased() }
    if names.count == count * directions, directions == 2 {
        guard names[..<count] == names[count...] else {
            throw ctx.error("activations \(given) differ between the directions; OpenVINO applies one set to both")
        }
        names = Array(names[..<count])
    }
    guard names.count == count else {
        throw ctx.error("activations \(given) must name \(count) functions per direction")
    }
    for (name, original) in zip(names, given) where !recurrentActivationNames.contains(name) {
        throw ctx.error("activation '\(original)' is not supported by OpenVINO's recurrent sequence ops (Sigmoid, Tanh and Relu only)")
    }
    return ActivationList(names)
}

/// W or R with its gate blocks (axis 1) in OpenVINO's order.
private func reorderGates(_ ctx: NodeContext, _ weights: Output, _ kind: RecurrentKind, _ name: String) throws -> Output {
    guard weights.shape.rank == nil || weights.shape.rank == 3 else { throw ctx.error("\(name) must have rank 3, got [\(weights.shape)]") }
    guard kind == .lstm else { return weights }
    let parts = try ctx.addNode(Split(numSplits: 4), [weights, ctx.scalarI64(1, "\(name)GateAxis")], "\(name)Gates")
    return try ctx.add(Concat(axis: 1), kind.gateOrder.map { parts.output($0) }, "\(name)FICO")
}

/// ONNX B [dirs, 2·gates·hidden] (W's biases, then R's) as OpenVINO's B: per gate Wb + Rb in OpenVINO's gate
/// order; GRU with linear_before_reset keeps the h gate's Wbh and Rbh apart ([dirs, 4·hidden]).
private func combinedBias(_ ctx: NodeContext, _ b: Output, _ kind: RecurrentKind, linearBeforeReset: Bool) throws -> Output {
    guard b.shape.rank == nil || b.shape.rank == 2 else { throw ctx.error("B must have rank 2, got [\(b.shape)]") }
    let g = kind.gates
    let parts = try ctx.addNode(Split(numSplits: 2 * g), [b, ctx.scalarI64(1, "BGateAxis")], "BGates")
    var blocks: [Output] = []
    for (k, gate) in kind.gateOrder.enumerated() {
        if linearBeforeReset && k == g - 1 {
            blocks += [parts.output(gate), parts.output(g + gate)]
        } else {
            blocks.append(try ctx.add(Add(), [parts.output(gate), parts.output(g + gate)], "B\(k)"))
        }
    }
    return blocks.count == 1 ? blocks[0] : try ctx.add(Concat(axis: 1), blocks, "BSum")
}
