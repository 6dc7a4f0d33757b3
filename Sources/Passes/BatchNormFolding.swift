import Evaluator
import OVIR

/// BatchNormInference with constant statistics becomes a per-channel Multiply and Add, and a per-output-channel
/// constant Multiply after a Convolution, GroupConvolution or MatMul with constant weights is folded into the
/// weights (OpenVINO's BatchNormDecomposition, ConvolutionMultiplyFusion, MatMulMultiplyFusion): a
/// convolution followed by batch norm becomes the convolution with scaled weights and one bias Add.
///
/// Weights behind a decompression Convert (compressed weights) are not Consts, so those convolutions stay as
/// they are.
public struct BatchNormFolding: RewritePass {
    public let name = "BatchNormFolding"
    public let summary = "batch norms become scale and shift; per-channel scales after convolutions/MatMuls fold into the weights"

    public init() {}

    public var rules: [Rule] {
        let x = Pattern.any("x"), s = ConstantChainMerging.float("s"), b = ConstantChainMerging.float("b")
        let statistic = { (name: String) in Pattern.constant(name, where: { ConstantMath.isFloat($0) && $0.dims.count == 1 }) }
        return [
            // BatchNormInference(x, gamma, beta, mean, var) -> x * scale + shift,
            // scale = gamma / sqrt(var + eps), shift = beta - mean * scale (each shaped [C, 1, ...] for x's rank)
            Rule("BatchNormToScaleShift", .op(BatchNormInference.self, x, statistic("gamma"), statistic("beta"),
                                              statistic("mean"), statistic("variance"))) { m in
                guard let rank = m["x"].shape.rank, let epsilon = (m.root.op as? BatchNormInference)?.epsilon,
                      let gamma = m.constant("gamma").doubleValues(), let beta = m.constant("beta").doubleValues(),
                      let mean = m.constant("mean").doubleValues(), let variance = m.constant("variance").doubleValues(),
                      Set([gamma.count, beta.count, mean.count, variance.count]).count == 1 else { return nil }
                let scale = zip(gamma, variance).map { $0 / ($1 + epsilon).squareRoot() }
                let shift = (0..<beta.count).map { beta[$0] - mean[$0] * scale[$0] }
                let dims = [gamma.count] + Array(repeating: 1, count: rank - 2)
                let type = m.constant("gamma").elementType
                let scaleTensor = try Evaluator().convert(.f32(scale.map(Float.init), dims: dims), to: type)
                let shiftTensor = try Evaluator().convert(.f32(shift.map(Float.init), dims: dims), to: type)
                return try m.add(Add(), m.add(Multiply(), m["x"], m.constant(scaleTensor)), m.constant(shiftTensor))
            },
            // op(x, W) * s -> op(x, W * s), s per output channel
            Rule("ScaleIntoWeights", Self.weighted * s) { m in
                guard let weights = try Self.scaledWeights(m["op"], by: m.constant("s")) else { return nil }
                return try Self.rebuild(m, m["op"], weights: weights)
            },
            // (op(x, W) + b) * s -> op(x, W * s) + b * s, s per output channel
            Rule("ScaleThroughBias", (Self.weighted + b) * s) { m in
                guard let weights = try Self.scaledWeights(m["op"], by: m.constant("s")) else { return nil }
                let bias = try ConstantMath.compute(Multiply(), m.constant("b"), m.constant("s"))
                return try m.add(Add(), Self.rebuild(m, m["op"], weights: weights), m.constant(bias))
            },
        ]
    }

    /// A Convolution, GroupConvolution or MatMul whose weights (input 1) are a Const, captured as "op".
    static var weighted: Pattern {
        let x = Pattern.any("input"), w = Pattern.constant("weights", where: ConstantMath.isFloat)
        return Pattern.oneOf(.op(Convolution.self, x, w), .op(GroupConvolution.self, x, w), .op(MatMul.self, x, w)).named("op")
    }

    /// `value`'s op again, reading the same input and `weights`.
    static func rebuild(_ m: Match, _ value: Output, weights: Tensor) throws -> Output {
        try m.add(value.node.op, value.node.inputs[0], m.constant(weights))
    }

    /// The weights of `value` (a Convolution, GroupConvolution or MatMul) scaled per output channel by `s`,
    /// or nil when `s` is not per output channel of `value` (or of another element type than the weights).
    static func scaledWeights(_ value: Output, by s: Tensor) throws -> Tensor? {
        guard let weights = value.node.inputs[1].constant, weights.elementType == s.elementType,
              let rank = value.shape.rank else { return nil }
        let w = weights.dims
        // The output's channel axis, the channel count, and the dims the factors take to broadcast over the weights.
        let axis: Int, channels: Int, factorDims: (Int) -> [Int]
        switch value.node.op {
        case is Convolution:
            guard w.count >= 2 else { return nil }
            (axis, channels) = (1, w[0])
            factorDims = { c in [c] + Array(repeating: 1, count: w.count - 1) }
        case is GroupConvolution:
            guard w.count >= 3 else { return nil }
            (axis, channels) = (1, w[0] * w[1])
            factorDims = { c in (c == 1 ? [1, 1] : [w[0], w[1]]) + Array(repeating: 1, count: w.count - 2) }
        case let matMul as MatMul:
            // Only 2-D weights: the output's last axis is their column (row, when transposed) axis.
            guard w.count == 2, rank >= 1 else { return nil }
            (axis, channels) = (rank - 1, matMul.transposeB ? w[0] : w[1])
            factorDims = { c in matMul.transposeB ? [c, 1] : [1, c] }
        default:
            return nil
        }
        guard rank > axis, s.dims.count <= rank else { return nil }
        let aligned = Array(repeating: 1, count: rank - s.dims.count) + s.dims
        guard aligned.enumerated().allSatisfy({ $0.offset == axis || $0.element == 1 }),
              aligned[axis] == channels || aligned[axis] == 1 else { return nil }
        let factors = ConstantMath.reshaped(s, factorDims(aligned[axis]))
        return try ConstantMath.compute(Multiply(), weights, factors)
    }
}
