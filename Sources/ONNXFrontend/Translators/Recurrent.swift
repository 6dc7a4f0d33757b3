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
//
// onnxruntime's com.microsoft::DynamicQuantizeLSTM (what its quantize_dynamic makes of an LSTM) is an LSTM whose W
// [dirs, input, 4·hidden] and R [dirs, hidden, 4·hidden] are 8-bit and stored transposed, with a scale and zero point
// per direction or per direction and gate column. onnxruntime quantizes X and h to u8 at every step inside its
// kernel; LSTMSequence cannot, so the weights are dequantized ((w - zero point) · scale, exact) and the rest runs as
// the float LSTM does: the outputs differ from onnxruntime's by its activation rounding.
extension TranslatorTable {
    static let recurrent: [TranslatorEntry] = [
        TranslatorEntry("LSTM") { ctx in
            try translateRecurrent(ctx, .lstm, w: reorderLSTMGates(ctx, ctx.input(1), "W"), r: reorderLSTMGates(ctx, ctx.input(2), "R"))
        },
        TranslatorEntry("GRU") { ctx in try translateRecurrent(ctx, .gru, w: ctx.input(1), r: ctx.input(2)) },
        TranslatorEntry("RNN") { ctx in try translateRecurrent(ctx, .rnn, w: ctx.input(1), r: ctx.input(2)) },
        TranslatorEntry("DynamicQuantizeLSTM", domain: "com.microsoft") { ctx in
            try translateRecurrent(ctx, .lstm, w: dequantizedLSTMWeights(ctx, 1, scaleAt: 8, "W"),
                                   r: dequantizedLSTMWeights(ctx, 2, scaleAt: 10, "R"))
        },
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

/// The sequence op for X (input 0), the optional inputs 3... as ONNX's LSTM, GRU and RNN have them, and `w`, `r`
/// already as OpenVINO takes them ([dirs, gates·hidden, input] and [dirs, gates·hidden, hidden], in its gate order).
private func translateRecurrent(_ ctx: NodeContext, _ kind: RecurrentKind, w wOV: Output, r rOV: Output) throws -> [Output] {
    let x = try ctx.input(0)
    for (weights, name) in [(wOV, "W"), (rOV, "R")] where weights.shape.rank != nil && weights.shape.rank != 3 {
        throw ctx.error("\(name) must have rank 3, got [\(weights.shape)]")
    }
    guard x.shape.rank == nil || x.shape.rank == 3 else { throw ctx.error("X must have rank 3, got [\(x.shape)]") }
    let layout = ctx.int("layout", 0)
    guard layout == 0 || layout == 1 else { throw ctx.error("layout must be 0 or 1, got \(layout)") }
    let directionName = ctx.string("direction", "forward")
    guard let direction = RecurrentDirection(rawValue: directionName.lowercased()) else {
        throw ctx.error("direction '\(directionName)' is not forward, reverse or bidirectional")
    }
    let directions = direction.count
    guard let hidden = ctx.int("hidden_size") ?? rOV.shape.dims?.last?.value, hidden > 0 else {
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

/// LSTM's W or R (or anything [dirs, 4·hidden, ...]) with its gate blocks (axis 1) in OpenVINO's order.
private func reorderLSTMGates(_ ctx: NodeContext, _ weights: Output, _ name: String) throws -> Output {
    guard weights.shape.rank == nil || weights.shape.rank == 3 else { throw ctx.error("\(name) must have rank 3, got [\(weights.shape)]") }
    let parts = try ctx.addNode(Split(numSplits: 4), [weights, ctx.scalarI64(1, "\(name)GateAxis")], "\(name)Gates")
    return try ctx.add(Concat(axis: 1), RecurrentKind.lstm.gateOrder.map { parts.output($0) }, "\(name)FICO")
}

/// DynamicQuantizeLSTM's W or R (input `index`, u8 or i8, [dirs, K, 4·hidden]) with its scale and zero point (inputs
/// `scaleIndex`, `scaleIndex + 1`: [dirs] or [dirs, 4·hidden]) as LSTMSequence's f32 weights [dirs, 4·hidden, K] in
/// OpenVINO's gate order. Transposed and reordered while still 8-bit (ConstantFolding makes that one 8-bit Const),
/// then Convert → Subtract(zero point, left out when it is a zero Const) → Multiply(scale): the IR stores W and R in
/// 8 bits. onnxruntime reads one zero point per direction (the first; with per-column zero points it requires them
/// equal); this one subtracts them per column, the same wherever onnxruntime runs the model.
private func dequantizedLSTMWeights(_ ctx: NodeContext, _ index: Int, scaleAt scaleIndex: Int, _ name: String) throws -> Output {
    let q = try ctx.input(index), scale = try ctx.input(scaleIndex), zeroPoint = try ctx.input(scaleIndex + 1)
    guard q.elementType == .u8 || q.elementType == .i8 else { throw ctx.error("\(name) must be u8 or i8, got \(q.elementType)") }
    guard zeroPoint.elementType == q.elementType else {
        throw ctx.error("\(name)_zero_point's type \(zeroPoint.elementType) differs from \(name)'s \(q.elementType)")
    }
    guard q.shape.rank == nil || q.shape.rank == 3 else { throw ctx.error("\(name) must have rank 3, got [\(q.shape)]") }
    let gateMajor = try reorderLSTMGates(ctx, ctx.add(Transpose(), [q, ctx.i64([0, 2, 1], "\(name)Order")], "\(name)Transpose"), name)
    /// [dirs] → [dirs, 1, 1]; [dirs, 4·hidden] → [dirs, 4·hidden, 1] with its gate blocks reordered as the weights'.
    func perDirectionOrColumn(_ p: Output, _ pName: String) throws -> Output {
        switch p.shape.rank {
        case 1: return try ctx.add(Unsqueeze(), [p, ctx.i64([1, 2], "\(pName)Axes")], "\(pName)PerDirection")
        case 2: return try reorderLSTMGates(ctx, ctx.add(Unsqueeze(), [p, ctx.i64([2], "\(pName)Axis")], "\(pName)PerColumn"), pName)
        default: throw ctx.error("\(pName) must be [num_directions] or [num_directions, 4·hidden_size], got [\(p.shape)]")
        }
    }
    let isZero = zeroPoint.constant?.doubleValues()?.allSatisfy { $0 == 0 } == true
    return try ctx.dequantized(gateMajor, scale: perDirectionOrColumn(scale, "\(name)_scale"),
                               zeroPoint: isZero ? nil : perDirectionOrColumn(zeroPoint, "\(name)_zero_point"), "\(name)Dequantized")
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
