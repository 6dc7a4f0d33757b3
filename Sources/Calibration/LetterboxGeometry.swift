/// Where a `width`×`height` image goes in a `targetWidth`×`targetHeight` canvas when letterboxed as Ultralytics'
/// `LetterBox(new_shape, auto=False, scaleup=True, center=True)` places it: scaled by
/// `r = min(targetHeight / height, targetWidth / width)` to `round(width * r)`×`round(height * r)` (Python's round,
/// half to even), the padding split with `round(pad / 2 - 0.1)` before (top, left) and `round(pad / 2 + 0.1)` after.
public struct LetterboxGeometry: Sendable, Equatable {
    /// The scaled image's size (at least 1×1).
    public var width: Int
    public var height: Int
    /// The padding before the image.
    public var left: Int
    public var top: Int

    public init(width: Int, height: Int, left: Int, top: Int) {
        self.width = width
        self.height = height
        self.left = left
        self.top = top
    }

    public init(imageWidth: Int, imageHeight: Int, targetWidth: Int, targetHeight: Int) {
        let r = min(Double(targetHeight) / Double(imageHeight), Double(targetWidth) / Double(imageWidth))
        width = min(targetWidth, max(1, Int((Double(imageWidth) * r).rounded(.toNearestOrEven))))
        height = min(targetHeight, max(1, Int((Double(imageHeight) * r).rounded(.toNearestOrEven))))
        left = Int((Double(targetWidth - width) / 2 - 0.1).rounded(.toNearestOrEven))
        top = Int((Double(targetHeight - height) / 2 - 0.1).rounded(.toNearestOrEven))
    }
}
