/// What to take from calibration data and how to turn images into inputs.
public struct CalibrationOptions: Sendable, Equatable {
    /// Fewer samples than this get a warning: ranges from so few are noisy.
    public static let advisedMinimum = 32

    /// How many samples to use (not batches): all when the data holds fewer, else this many spread evenly over
    /// the sorted files.
    public var subset: Int
    public var preprocessing: Preprocessing
    /// The height and width images are resized to where the model's input leaves them dynamic.
    public var imageSize: Int
    /// The split of a dataset YAML: `val`, `train` or another key; nil takes `val`, or `train` when there is no `val`.
    public var split: String?
    /// Larger images are refused.
    public var maxPixels: Int

    public init(subset: Int = 300, preprocessing: Preprocessing = .ultralytics, imageSize: Int = 640, split: String? = nil,
                maxPixels: Int = ImageDecoder.defaultMaxPixels) {
        self.subset = subset
        self.preprocessing = preprocessing
        self.imageSize = imageSize
        self.split = split
        self.maxPixels = maxPixels
    }
}
