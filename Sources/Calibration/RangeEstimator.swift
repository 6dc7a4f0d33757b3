import Passes

/// How a quantization point's range is chosen from its statistics.
public enum RangeEstimator: Sendable, Equatable {
    /// The observed min and max: nothing clips, outliers stretch the grid.
    case minMax
    /// The means over samples of each sample's min and max (NNCF's MEAN_MINMAX, its default for per-tensor
    /// activations): a few samples with extreme values stretch the grid less.
    case meanMinMax
    /// The `q` and `1 - q` quantiles of the kept values (`q` = 1e-4 clips the outer 0.01% on each side).
    case percentile(Double)
    /// The range, shrunk from min/max in steps, whose 256-level FakeQuantize gives the least mean squared error
    /// on the kept values (clipping error against rounding error).
    case mse

    /// How `--int8-ranges` and the IR's rt_info spell it: `minmax`, `percentile 0.0001`, `mse`.
    public var name: String {
        switch self {
        case .minMax: "minmax"
        case .meanMinMax: "meanminmax"
        case .percentile(let q): "percentile \(q)"
        case .mse: "mse"
        }
    }

    /// The range for `statistics`, or nil when nothing finite was observed.
    public func range(_ statistics: TensorStatistics) -> ClosedRange<Float>? {
        guard statistics.min.isFinite, statistics.max.isFinite, statistics.min <= statistics.max else { return nil }
        let full = statistics.min...statistics.max
        switch self {
        case .minMax:
            return full
        case .meanMinMax:
            guard let mean = statistics.meanSampleRange else { return full }
            return mean.min...Swift.max(mean.min, mean.max)
        case .percentile(let q):
            guard let sorted = statistics.sortedKept(),
                  let low = TensorStatistics.quantile(q, ofSorted: sorted),
                  let high = TensorStatistics.quantile(1 - q, ofSorted: sorted) else { return full }
            // A non-negative value keeps 0 as its low end (it stays unsigned).
            return (statistics.min >= 0 ? statistics.min : low)...Swift.max(low, high)
        case .mse:
            guard !statistics.kept.isEmpty else { return full }
            var best = full, bestError = Double.infinity
            for step in 0...35 {
                let shrink = 1 - Float(step) * 0.02
                let candidate = (full.lowerBound * shrink)...(full.upperBound * shrink)
                let error = Self.quantizationError(statistics.kept, candidate)
                if error < bestError {
                    best = candidate
                    bestError = error
                }
            }
            return best
        }
    }

    /// Mean squared error of `values` through the FakeQuantize `QuantizeINT8` builds for `range`.
    static func quantizationError(_ values: [Float], _ range: ClosedRange<Float>) -> Double {
        let (low, high) = QuantizeINT8.fakeQuantizeRange(range)
        let step = (high - low) / 255
        var sum = 0.0
        for v in values {
            let clipped = Swift.min(Swift.max(v, low), high)
            let q = ((clipped - low) / step).rounded(.toNearestOrEven) * step + low
            let d = Double(q - v)
            sum += d * d
        }
        return sum / Double(values.count)
    }
}
