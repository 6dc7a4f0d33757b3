/// LSTM over a sequence (opset5): inputs X, H0, C0, sequence_lengths, W, R, B; outputs Y, Ho, Co. Gates are
/// stacked f, i, c, o in W, R and B; activations are f (gates), g (cell candidate) and h (cell output).
public struct LSTMSequence: RecurrentSequenceOp {
    public static let type = "LSTMSequence"
    public static let version = "opset5"
    public static let gateCount = 4
    public static let hasCellState = true
    public static let activationCount = 3
    public var hiddenSize = 0
    public var direction = RecurrentDirection.forward
    public var activations: ActivationList = ["sigmoid", "tanh", "tanh"]
    public var activationsAlpha: [Double] = []
    public var activationsBeta: [Double] = []
    public var clip = 0.0
    public static var fields: [AttributeField<Self>] {
        [.init("direction", \.direction), .init("hidden_size", \.hiddenSize), .init("activations", \.activations),
         .init("activations_alpha", \.activationsAlpha), .init("activations_beta", \.activationsBeta), .init("clip", \.clip)]
    }
    public init() {}
    public init(hiddenSize: Int, direction: RecurrentDirection = .forward, activations: ActivationList = ["sigmoid", "tanh", "tanh"],
                clip: Double = 0) {
        self.hiddenSize = hiddenSize
        self.direction = direction
        self.activations = activations
        self.clip = clip
    }
}
