/// What calibration keeps of one quantization point's values over the samples: the exact min and max, the sums of
/// each sample's min and max (their means), and an evenly strided subsample of bounded size that the percentile and
/// MSE estimators read.
public struct TensorStatistics: Sendable {
    public private(set) var min: Float = .infinity
    public private(set) var max: Float = -.infinity
    /// How many values were observed (all of them, not only the kept ones).
    public private(set) var count = 0
    /// Over the samples whose min and max are finite (NaNs aside), the sums of each one's min and of its max, and
    /// how many.
    public private(set) var sampleMinSum = 0.0
    public private(set) var sampleMaxSum = 0.0
    public private(set) var samples = 0
    /// The kept values, in observation order.
    public private(set) var kept: [Float] = []
    /// Per channel along one axis (`observeChannels`), the sum of the values and how many were summed each.
    public private(set) var channelSums: [Double] = []
    public private(set) var channelCount = 0

    public init() {}

    /// Observes one sample's values, keeping at most `budget` of them, evenly strided from `offset % stride`
    /// (varying the offset between samples keeps different positions). NaNs are not counted.
    public mutating func observe(_ values: UnsafeBufferPointer<Float>, budget: Int, offset: Int = 0) {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where !v.isNaN {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        min = Swift.min(min, lo)
        max = Swift.max(max, hi)
        if lo.isFinite, hi.isFinite {
            sampleMinSum += Double(lo)
            sampleMaxSum += Double(hi)
            samples += 1
        }
        count += values.count
        guard budget > 0, !values.isEmpty else { return }
        let stride = (values.count + budget - 1) / budget
        var i = offset % stride
        while i < values.count {
            if !values[i].isNaN { kept.append(values[i]) }
            i += stride
        }
    }

    /// Adds one sample's values of shape `dims` to the per-channel sums along `axis` (bias correction reads their
    /// means). A sample whose channel count differs from earlier ones is not summed.
    public mutating func observeChannels(_ values: UnsafeBufferPointer<Float>, dims: [Int], axis: Int) {
        guard dims.indices.contains(axis), values.count == dims.reduce(1, *) else { return }
        let channels = dims[axis], inner = dims[(axis + 1)...].reduce(1, *), outer = dims[..<axis].reduce(1, *)
        if channelSums.isEmpty { channelSums = [Double](repeating: 0, count: channels) }
        guard channelSums.count == channels, channels > 0 else { return }
        for o in 0..<outer {
            for c in 0..<channels {
                let base = (o * channels + c) * inner
                var sum = 0.0
                for i in 0..<inner { sum += Double(values[base + i]) }
                channelSums[c] += sum
            }
        }
        channelCount += outer * inner
    }

    /// The mean over samples of each sample's min and max; nil when no sample had a finite one.
    public var meanSampleRange: (min: Float, max: Float)? {
        samples == 0 ? nil : (Float(sampleMinSum / Double(samples)), Float(sampleMaxSum / Double(samples)))
    }

    /// The mean of each channel summed by `observeChannels`; nil when none was.
    public var channelMeans: [Float]? {
        channelCount == 0 ? nil : channelSums.map { Float($0 / Double(channelCount)) }
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
        sampleMinSum += other.sampleMinSum
        sampleMaxSum += other.sampleMaxSum
        samples += other.samples
        kept += other.kept
        if channelSums.isEmpty {
            channelSums = other.channelSums
            channelCount = other.channelCount
        } else if channelSums.count == other.channelSums.count {
            for c in channelSums.indices { channelSums[c] += other.channelSums[c] }
            channelCount += other.channelCount
        }
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
