/// A plain recurrent network over a sequence (opset5): inputs X, H0, sequence_lengths, W, R, B; outputs Y, Ho;
/// Ht = f(Xt·Wᵀ + Ht-1·Rᵀ + B) with the one activation f.
public struct RNNSequence: RecurrentSequenceOp {
    public static let type = "RNNSequence"
    public static let version = "opset5"
    public static let gateCount = 1
    public static let hasCellState = false
    public static let activationCount = 1
    public var hiddenSize = 0
    public var direction = RecurrentDirection.forward
    public var activations: ActivationList = ["tanh"]
    public var activationsAlpha: [Double] = []
    public var activationsBeta: [Double] = []
    public var clip = 0.0
    public static var fields: [AttributeField<Self>] {
        [.init("direction", \.direction), .init("hidden_size", \.hiddenSize), .init("activations", \.activations),
         .init("activations_alpha", \.activationsAlpha), .init("activations_beta", \.activationsBeta), .init("clip", \.clip)]
    }
    public init() {}
    public init(hiddenSize: Int, direction: RecurrentDirection = .forward, activations: ActivationList = ["tanh"], clip: Double = 0) {
        self.hiddenSize = hiddenSize
        self.direction = direction
        self.activations = activations
        self.clip = clip
    }
}
