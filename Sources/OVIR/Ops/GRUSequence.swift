/// GRU over a sequence (opset5): inputs X, H0, sequence_lengths, W, R, B; outputs Y, Ho. Gates are stacked
/// z, r, h; activations are f (update and reset gates) and g (hidden candidate). With linear_before_reset,
/// B is [dirs, 4·hidden]: z and r biases (W's plus R's), then W's and R's h biases apart.
public struct GRUSequence: RecurrentSequenceOp {
    public static let type = "GRUSequence"
    public static let version = "opset5"
    public static let gateCount = 3
    public static let hasCellState = false
    public static let activationCount = 2
    public var hiddenSize = 0
    public var direction = RecurrentDirection.forward
    public var activations: ActivationList = ["sigmoid", "tanh"]
    public var activationsAlpha: [Double] = []
    public var activationsBeta: [Double] = []
    public var clip = 0.0
    public var linearBeforeReset = false
    public static var fields: [AttributeField<Self>] {
        [.init("direction", \.direction), .init("linear_before_reset", \.linearBeforeReset), .init("hidden_size", \.hiddenSize),
         .init("activations", \.activations), .init("activations_alpha", \.activationsAlpha),
         .init("activations_beta", \.activationsBeta), .init("clip", \.clip)]
    }
    public var biasGateCount: Int { linearBeforeReset ? 4 : 3 }
    public init() {}
    public init(hiddenSize: Int, direction: RecurrentDirection = .forward, activations: ActivationList = ["sigmoid", "tanh"],
                clip: Double = 0, linearBeforeReset: Bool = false) {
        self.hiddenSize = hiddenSize
        self.direction = direction
        self.activations = activations
        self.clip = clip
        self.linearBeforeReset = linearBeforeReset
    }
}
