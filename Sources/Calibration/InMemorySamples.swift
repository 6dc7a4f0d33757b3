import OVIR

/// Samples given as tensors, for callers that already hold them (tests, or data made in memory).
public struct InMemorySamples: CalibrationSource {
    public var samples: [[String: Tensor]]

    public init(_ samples: [[String: Tensor]]) {
        self.samples = samples
    }

    public var count: Int { samples.count }

    public func sample(at index: Int) throws -> [String: Tensor] { samples[index] }
}
