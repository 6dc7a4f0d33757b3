/// The settings of `--nms`: Ultralytics' defaults for exported detectors.
public struct NMSOptions: Equatable, Sendable {
    /// Boxes whose best class score is not above this are dropped (`--conf`).
    public var confidence = 0.25
    /// A box overlapping a higher-scoring one of its class by more than this IoU is suppressed (`--iou`).
    public var iou = 0.7
    /// Rows per image in the output, the best first, zero-padded (`--max-det`).
    public var maxDetections = 300
    /// Suppress across classes, not per class (`--agnostic`).
    public var agnostic = false
    /// The head's layout when its shape cannot tell (`--nms-layout`).
    public var layout: DetectionLayout?
    /// The number of classes, when the model's names or `--names` give it: channels beyond them ride along.
    public var classCount: Int?

    public init() {}

    /// Why the values cannot be used, or nil: what the command line checks before any work.
    public var problem: String? {
        guard confidence.isFinite, (0..<1).contains(confidence) else { return "--conf must be in [0, 1), got \(confidence)" }
        guard iou.isFinite, iou > 0, iou <= 1 else { return "--iou must be in (0, 1], got \(iou)" }
        guard maxDetections >= 1, maxDetections <= 100_000 else { return "--max-det must be in 1...100000, got \(maxDetections)" }
        if let c = classCount, c < 1 { return "the class count must be at least 1, got \(c)" }
        return nil
    }
}
