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

    /// MSE, as measured (Tools/verify/run int8, 32 calibration crops, a held-out photograph): the class scores of
    /// yolov8n_doclaynet differed from FP32 by at most 0.041 with mse, 0.176 with minmax, 0.143 with percentile;
    /// nudenet_320n's by 0.073, 0.074, 0.482.
    public static let defaultEstimator = RangeEstimator.mse

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
