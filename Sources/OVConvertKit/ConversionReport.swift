import OVIR
import Passes

/// What a conversion produced: the model's interface, its ops, the files written and the time taken.
public struct ConversionReport: Sendable {
    public struct Port: Sendable {
        public let name: String
        public let type: TensorType
    }

    public struct WrittenFile: Sendable {
        public let path: String
        public let bytes: Int
    }

    public let model: String
    public let outputFolder: String
    public let inputs: [Port]
    public let outputs: [Port]
    /// Layer counts by `type`, most frequent first (ties by name).
    public let opCounts: [(op: String, count: Int)]
    public let layerCount: Int
    public var files: [WrittenFile]
    public let deduplicatedConstants: Int
    /// Nodes that converted but may not match the source exactly, each naming the file and node.
    public let warnings: [String]
    /// What each pass of the pipeline did, in pipeline order.
    public let passes: [PassReport]
    /// Seconds per stage: load (and translate), passes, write, total.
    public let seconds: (load: Double, passes: Double, write: Double, total: Double)
    /// The `--verify` result (it passed, or the conversion would have failed); nil without `--verify`.
    public var verification: VerificationReport? = nil
    /// The `--half` outcome; nil without `--half`.
    public var half: Half? = nil

    /// The `--int8` outcome; nil without `--int8`.
    public var int8: INT8? = nil

    /// The `--nms` outcome; nil without `--nms`.
    public var nms: NMS? = nil
    /// Whether `metadata.yaml` was written (an Ultralytics export, `--nms` or `--names`).
    public var wroteMetadata = false

    /// What `--nms` inserted.
    public struct NMS: Sendable {
        /// The detection output, its type before and after.
        public let output: String
        public let before: TensorType
        public let after: TensorType
        public let layout: String
        public let classes: Int
        /// Channels per box beyond the classes (mask coefficients, keypoints), carried into each row.
        public let extra: Int
        public let options: NMSOptions
    }

    /// What `--int8` did.
    public struct INT8: Sendable {
        /// Calibration samples used.
        public let samples: Int
        /// The range estimator (`minmax`, `percentile`, `mse`).
        public let ranges: String
        /// Nodes reading a FakeQuantize (run in int8 where the CPU plugin can).
        public let quantized: Int
        /// Quantizable nodes kept in float, each `Op 'name': reason`.
        public let keptFloat: [String]
        /// What `--int8-max-drop` measured and chose; nil without it.
        public let accuracy: Accuracy?
        /// Seconds for calibration, accuracy control and quantization.
        public let seconds: Double

        public struct Accuracy: Sendable {
            /// What the drop measures (`INT8AccuracyControl.Metric`).
            public let metric: String
            /// Samples measured on, and whether calibration left them out.
            public let samples: Int
            public let heldOut: Bool
            public let maxDrop: Double
            /// The drop with every planned node quantized, and after returning `returned` to float.
            public let before: Double
            public let after: Double
            /// Nodes returned to float, most sensitive first.
            public let returned: [String]
            /// Quantized nodes ranked by sensitivity (0 when the drop was within the limit from the start).
            public let ranked: Int
            /// The search's measurements: how many of the most sensitive nodes were in float, and the drop.
            public let measured: [(count: Int, drop: Double)]
        }
    }

    /// What `--half` did to the weights.
    public struct Half: Sendable {
        /// f32 Consts now stored as f16 (each read through a decompression Convert).
        public let compressed: Int
        /// Every f32 Const left in f32, `'name' [dims]: reason`.
        public let keptInF32: [String]
    }
}
