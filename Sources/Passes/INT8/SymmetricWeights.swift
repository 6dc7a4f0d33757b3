import OVIR

/// A weight tensor quantized symmetrically per output channel, as NNCF stores weights: `w ≈ q × scale[c]`
/// with `q` in [-127, 127] (narrow range, no zero point) and `scale[c] = max|w[c]| / 127`.
public struct SymmetricWeights: Equatable {
    /// The integer weights, in the original layout.
    public let values: [Int8]
    /// One scale per channel group along the chosen axes, in row-major order of those axes.
    public let scales: [Float]

    /// Quantizes `weights` (row-major, `dims`) with one scale per index of the leading `channelAxes` dims
    /// (Convolution: 1, `[OC]`; GroupConvolution: 2, `[G, OC/G]`), or, with `columns`, one scale per index of
    /// the last dim (a MatMul weight `[K, N]` read without transpose_b). An all-zero channel gets scale 1.
    public init(weights: [Float], dims: [Int], channelAxes: Int, columns: Bool = false) {
        let total = weights.count
        let channels: Int, channelOf: (Int) -> Int
        if columns {
            channels = dims.last ?? 1
            channelOf = { $0 % channels }
        } else {
            channels = dims.prefix(channelAxes).reduce(1, *)
            let inner = channels == 0 ? 0 : total / channels
            channelOf = { $0 / inner }
        }
        var maxAbs = [Float](repeating: 0, count: channels)
        for i in 0..<total { maxAbs[channelOf(i)] = max(maxAbs[channelOf(i)], abs(weights[i])) }
        let scales = maxAbs.map { $0 > 0 ? $0 / 127 : 1 }
        values = (0..<total).map { i in
            let q = (weights[i] / scales[channelOf(i)]).rounded(.toNearestOrEven)
            return Int8(max(-127, min(127, q)))
        }
        self.scales = scales
    }
}
