// What LSTMSequence-5, GRUSequence-5 and RNNSequence-5 share: their direction, activations, clip and hidden size
// attributes, and one type inference over inputs X [batch, seq, input], H0 [batch, dirs, hidden] (and C0 for
// LSTM), sequence_lengths [batch], W [dirs, gates·hidden, input], R [dirs, gates·hidden, hidden] and
// B [dirs, gates·hidden] (GRU with linear_before_reset: [dirs, (gates + 1)·hidden]).

/// Which way a recurrent sequence op walks the sequence; bidirectional runs both and stacks them (forward first).
public enum RecurrentDirection: String, IREnum {
    case forward, reverse, bidirectional
    /// num_directions: 2 for bidirectional, else 1.
    public var count: Int { self == .bidirectional ? 2 : 1 }
}

/// A list of activation names, written comma-separated without spaces ("sigmoid,tanh,tanh") as the OpenVINO
/// serializer writes string lists.
public struct ActivationList: AttributeValue, Sendable, ExpressibleByArrayLiteral {
    public var names: [String]
    public init(_ names: [String]) { self.names = names }
    public init(arrayLiteral elements: String...) { names = elements }
    public var irString: String { names.joined(separator: ",") }
    public init(irString: String) throws {
        names = irString.split(separator: ",").map { String($0.filter { !$0.isWhitespace }).lowercased() }.filter { !$0.isEmpty }
    }
}

/// The activation functions OpenVINO's recurrent ops know (`get_activation_func_by_name`, less hardsigmoid,
/// which its CPU plugin does not run in sequences).
public let recurrentActivationNames: Set<String> = ["sigmoid", "tanh", "relu"]

/// An OpenVINO recurrent sequence op (LSTMSequence-5, GRUSequence-5, RNNSequence-5).
public protocol RecurrentSequenceOp: Op {
    /// Gates per direction: 4 (LSTM), 3 (GRU), 1 (RNN).
    static var gateCount: Int { get }
    /// Whether the op carries a cell state (LSTM: input C0, output Co).
    static var hasCellState: Bool { get }
    /// How many activation functions `activations` names.
    static var activationCount: Int { get }
    var hiddenSize: Int { get }
    var direction: RecurrentDirection { get }
    var activations: ActivationList { get }
    /// Bound of the gate pre-activations: [-clip, clip]; 0 means no clipping (as OpenVINO reads it).
    var clip: Double { get }
    /// Rows of B per direction, in units of hidden_size.
    var biasGateCount: Int { get }
}

extension RecurrentSequenceOp {
    public var biasGateCount: Int { Self.gateCount }
    /// Input index of sequence_lengths (after X, H0 and, for LSTM, C0).
    public static var sequenceLengthsIndex: Int { hasCellState ? 3 : 2 }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        let s = Self.sequenceLengthsIndex
        try ShapeInference.expectInputs(inputs, (s + 4)...(s + 4))
        guard hiddenSize > 0 else { throw ShapeInference.Failure("hidden_size must be positive, got \(hiddenSize)") }
        guard clip >= 0 else { throw ShapeInference.Failure("clip must not be negative, got \(irFormat(clip))") }
        guard activations.names.count == Self.activationCount else {
            throw ShapeInference.Failure("activations must name \(Self.activationCount) functions, got [\(activations.irString)]")
        }
        for name in activations.names where !recurrentActivationNames.contains(name) {
            throw ShapeInference.Failure("activation '\(name)' is not one of \(recurrentActivationNames.sorted().joined(separator: ", "))")
        }
        let names = (Self.hasCellState ? ["X", "initial_hidden_state", "initial_cell_state"] : ["X", "initial_hidden_state"])
            + ["sequence_lengths", "W", "R", "B"]
        let ranks = (Self.hasCellState ? [3, 3, 3] : [3, 3]) + [1, 3, 3, 2]
        var dims: [[Dim]?] = []
        for (i, input) in inputs.enumerated() {
            guard let d = input.shape.dims else { dims.append(nil); continue }
            guard d.count == ranks[i] else { throw ShapeInference.Failure("\(names[i]) must have rank \(ranks[i]), got [\(input.shape)]") }
            dims.append(d)
        }
        func merge(_ value: Dim, _ input: Int, _ axis: Int, _ what: String) throws -> Dim {
            guard let d = dims[input] else { return value }
            do { return try ShapeInference.merge(value, d[axis]) } catch {
                throw ShapeInference.Failure("\(names[input]) dim \(axis) (\(d[axis])) does not match \(what) \(value)")
            }
        }
        let (x, h, w, r, b) = (0, 1, s + 1, s + 2, s + 3)
        let states = Self.hasCellState ? [h, 2] : [h]
        var batch = Dim.dynamic
        for i in [x] + states { batch = try merge(batch, i, 0, "batch") }
        batch = try merge(batch, s, 0, "batch")
        var directions = Dim.fixed(direction.count)
        for i in states { directions = try merge(directions, i, 1, "num_directions") }
        for i in [w, r, b] { directions = try merge(directions, i, 0, "num_directions") }
        let hidden = Dim.fixed(hiddenSize)
        for i in states { _ = try merge(hidden, i, 2, "hidden_size") }
        _ = try merge(hidden, r, 2, "hidden_size")
        _ = try merge(.fixed(Self.gateCount * hiddenSize), w, 1, "gates · hidden_size")
        _ = try merge(.fixed(Self.gateCount * hiddenSize), r, 1, "gates · hidden_size")
        _ = try merge(.fixed(biasGateCount * hiddenSize), b, 1, "\(biasGateCount) · hidden_size")
        var inputSize = Dim.dynamic
        inputSize = try merge(inputSize, x, 2, "input_size")
        _ = try merge(inputSize, w, 2, "input size")
        let seq = dims[x]?[1] ?? .dynamic

        let floats = [x, w, r, b] + states
        let t = try ShapeInference.commonElementType(floats.map { inputs[$0].elementType })
        guard t == .dynamic || t.isFloatingPoint else { throw ShapeInference.Failure("X, states, W, R and B must be floating point, got \(t)") }
        let lengthsType = inputs[s].elementType
        guard lengthsType == .dynamic || lengthsType.isInteger else {
            throw ShapeInference.Failure("sequence_lengths must be an integer tensor, got \(lengthsType)")
        }
        let state = TensorType(t, .ranked([batch, directions, hidden]))
        return [TensorType(t, .ranked([batch, directions, seq, hidden]))] + Array(repeating: state, count: Self.hasCellState ? 2 : 1)
    }
}
