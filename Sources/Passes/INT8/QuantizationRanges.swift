import OVIR

/// Calibrated activation ranges, one `[low, high]` per quantization point (an output port feeding a quantized
/// input), as the statistics collection measured and a range estimator chose them. `QuantizeINT8` reads them;
/// they hold ports of the graph the statistics ran on, so they belong to that graph only.
public struct QuantizationRanges {
    /// The chosen range of each point; `low <= high`, both finite.
    public var ranges: [Output: ClosedRange<Float>]
    /// Per-channel means of the points feeding quantized weights, along `Plan.channelAxes` (bias correction).
    public var channelMeans: [Output: [Float]] = [:]

    public init(_ ranges: [Output: ClosedRange<Float>] = [:]) {
        self.ranges = ranges
    }

    public subscript(_ point: Output) -> ClosedRange<Float>? {
        get { ranges[point] }
        set { ranges[point] = newValue }
    }

    /// The same ranges on a copy of their graph (`Graph.copyWithCounterparts`); points the copy left out are dropped.
    public func moved(to counterparts: [ObjectIdentifier: Node]) -> QuantizationRanges {
        var moved = QuantizationRanges()
        for (point, range) in ranges {
            if let node = counterparts[ObjectIdentifier(point.node)] { moved[Output(node, point.index)] = range }
        }
        for (point, means) in channelMeans {
            if let node = counterparts[ObjectIdentifier(point.node)] { moved.channelMeans[Output(node, point.index)] = means }
        }
        return moved
    }
}
