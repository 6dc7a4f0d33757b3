import OVIR

/// Calibration samples, each a tensor per model input name, read one at a time when asked for (in any order,
/// from any thread): `CalibrationDataset` reads files, `InMemorySamples` holds tensors.
public protocol CalibrationSource: Sendable {
    /// How many samples there are.
    var count: Int { get }
    /// Sample `index` (0..<count); an unreadable or unsuitable file throws, naming it.
    func sample(at index: Int) throws -> [String: Tensor]
}
