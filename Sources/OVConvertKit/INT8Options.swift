import Calibration
import Foundation
import Passes

/// `--int8 --data PATH`: post-training quantization, calibrated on samples.
public struct INT8Options: Sendable {
    /// Where the calibration samples come from.
    public enum Data: Sendable {
        /// A folder of images (JPEG/PNG) or arrays (`.npy`/`.npz`), or an Ultralytics dataset YAML, listed once the
        /// model's inputs are known (`CalibrationDataset`).
        case path(String, CalibrationOptions)
        /// Samples already held, each a tensor per input (Parameter) name.
        case samples(any CalibrationSource)
    }

    public var data: Data
    /// How each quantization point's range is chosen from its statistics.
    public var estimator: RangeEstimator
    /// Ignore lists and what counts as quantizable.
    public var quantization: QuantizationOptions
    /// `--int8-max-drop`: the largest drop of the INT8 model against FP32 on held-out samples
    /// (`INT8AccuracyControl`); nil measures nothing.
    public var maxDrop: Double?
    /// `--int8-held-out`: the samples `maxDrop` is measured on (a folder or dataset YAML as `data` is, preprocessed
    /// alike), at most `heldOutPathSamples` spread over it; nil takes up to `heldOutSamples` files of the data that
    /// calibration did not use, else the calibration samples themselves (with a warning).
    public var heldOut: String?
    public var heldOutSamples = 16
    public var heldOutPathSamples = 64
    /// Called after each calibrated sample with (done, total), from a worker thread.
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// Told what `--int8-max-drop` is measuring, from the converting thread.
    public var status: (@Sendable (String) -> Void)?

    public init(data: Data, estimator: RangeEstimator = INT8Options.defaultEstimator,
                quantization: QuantizationOptions = QuantizationOptions(), progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.data = data
        self.estimator = estimator
        self.quantization = quantization
        self.progress = progress
    }

    /// Min/max, as measured (Tools/verify/run int8: 32 calibration crops of photographs, a photograph left out and 8
    /// crops of it): detections after NMS agreed with FP32's at pooled F1 (conf 0.25) 0.966 with minmax, 0.929 with
    /// mse on nudenet_320n (15 FP32 boxes), 0.968 and 0.938 on yolov8n_doclaynet (16 boxes); percentile was worst
    /// (class scores off by up to 0.48 on nudenet). mse gave the smaller class-score error on one whole photograph
    /// (doclaynet 0.041 vs 0.176), so the margin is small; measure again with more data. meanminmax, NNCF's default
    /// for activations, reproduces NNCF's ranges (nudenet's /model.1 output: 100.9 where minmax gives 183.0 and NNCF
    /// 101.0) and its accuracy: F1 0.714 against minmax's 0.879 and NNCF's 0.737 (Tools/bench/int8's held-out
    /// photographs, 300 samples).
    public static let defaultEstimator = RangeEstimator.minMax

    /// The estimator a `--int8-ranges` value names: minmax, meanminmax, percentile (1e-4 each side) or mse.
    public static func estimator(named name: String) -> RangeEstimator? {
        switch name.lowercased() {
        case "minmax": .minMax
        case "meanminmax": .meanMinMax
        case "percentile": .percentile(1e-4)
        case "mse": .mse
        default: nil
        }
    }
}
