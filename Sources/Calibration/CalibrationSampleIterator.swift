import OVIR

/// Walks a `CalibrationSource` in order, reading each sample only when `next()` reaches it.
public struct CalibrationSampleIterator {
    let source: any CalibrationSource
    /// The index of the sample the next call returns.
    public private(set) var index = 0

    init(source: any CalibrationSource) {
        self.source = source
    }

    /// The next sample, or nil after the last; throws for an unreadable one (a later call goes on with the next).
    public mutating func next() throws -> [String: Tensor]? {
        guard index < source.count else { return nil }
        defer { index += 1 }
        return try source.sample(at: index)
    }
}
