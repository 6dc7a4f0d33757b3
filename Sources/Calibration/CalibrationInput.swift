import OVIR

/// One model input as calibration data must feed it: its name (the key of each sample), other names an `.npz`
/// array may use for it (its tensor names), and its element type and shape.
public struct CalibrationInput: Sendable, Equatable {
    public var name: String
    public var otherNames: [String]
    public var type: TensorType

    public init(name: String, otherNames: [String] = [], type: TensorType) {
        self.name = name
        self.otherNames = otherNames
        self.type = type
    }

    /// `'images' (f32 [1,3,640,640])`, for messages.
    var described: String { "'\(name)' (\(type.elementType) [\(type.shape)])" }
}
