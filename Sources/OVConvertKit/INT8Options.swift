import Calibration
import Foundation
import Passes

/// `--int8 --data DIR`: post-training quantization, calibrated on samples.
public struct INT8Options: Sendable {
    /// Calibration samples, one `.npz` per sample holding one array per model input (named after it).
    public var samples: [URL]
    /// How each quantization point's range is chosen from its statistics.
    public var estimator: RangeEstimator
    /// Ignore lists and what counts as quantizable.
    public var quantization: QuantizationOptions
    /// Called after each calibrated sample with (done, total), from a worker thread.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(samples: [URL], estimator: RangeEstimator = INT8Options.defaultEstimator,
                quantization: QuantizationOptions = QuantizationOptions(), progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.samples = samples
        self.estimator = estimator
        self.quantization = quantization
        self.progress = progress
    }

    public static let defaultEstimator = RangeEstimator.minMax

    /// The estimator a `--int8-ranges` value names: minmax, percentile (1e-4 each side) or mse.
    public static func estimator(named name: String) -> RangeEstimator? {
        switch name.lowercased() {
        case "minmax": .minMax
        case "percentile": .percentile(1e-4)
        case "mse": .mse
        default: nil
        }
    }

    /// The `.npz` files directly in `folder`, sorted by name.
    public static func npzSamples(in folder: String) throws -> [URL] {
        let url = URL(fileURLWithPath: folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        return names.filter { $0.hasSuffix(".npz") }.sorted().map { url.appendingPathComponent($0) }
    }
}
