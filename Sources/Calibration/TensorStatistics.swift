/// What calibration keeps of one quantization point's values over the samples: the exact min and max, and an
/// evenly strided subsample of bounded size that the percentile and MSE estimators read.
public struct TensorStatistics: Sendable {
    public private(set) var min: Float = .infinity
    public private(set) var max: Float = -.infinity
    /// How many values were observed (all of them, not only the kept ones).
    public private(set) var count = 0
    /// The kept values, in observation order.
    public private(set) var kept: [Float] = []

    public init() {}

    /// Observes one sample's values, keeping at most `budget` of them, evenly strided from `offset % stride`
    /// (varying the offset between samples keeps different positions). NaNs are not counted.
    public mutating func observe(_ values: UnsafeBufferPointer<Float>, budget: Int, offset: Int = 0) {
        var lo = min, hi = max
        for v in values where !v.isNaN {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        min = lo
        max = hi
        count += values.count
        guard budget > 0, !values.isEmpty else { return }
        let stride = (values.count + budget - 1) / budget
        var i = offset % stride
        while i < values.count {
            if !values[i].isNaN { kept.append(values[i]) }
            i += stride
        }
    }

    /// Observes an array of values (tests, and callers that hold arrays).
    public mutating func observe(_ values: [Float], budget: Int, offset: Int = 0) {
        values.withUnsafeBufferPointer { observe($0, budget: budget, offset: offset) }
    }

    /// Adds what `other` observed.
    public mutating func merge(_ other: TensorStatistics) {
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        count += other.count
        kept += other.kept
    }

    /// The `q`-quantile (0...1) of the kept values, linearly interpolated between neighbours; nil when none kept.
    public func quantile(_ q: Double) -> Float? {
        sortedKept().flatMap { Self.quantile(q, ofSorted: $0) }
    }

    func sortedKept() -> [Float]? { kept.isEmpty ? nil : kept.sorted() }

    static func quantile(_ q: Double, ofSorted values: [Float]) -> Float? {
        guard !values.isEmpty else { return nil }
        let position = Swift.min(Swift.max(q, 0), 1) * Double(values.count - 1)
        let below = Int(position.rounded(.down)), above = Swift.min(below + 1, values.count - 1)
        let t = Float(position - Double(below))
        return values[below] + (values[above] - values[below]) * t
    }
}
