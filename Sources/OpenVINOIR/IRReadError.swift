/// An IR file that cannot be read; names the file and, when known, the layer.
public struct IRReadError: Error, CustomStringConvertible {
    public let file: String
    public let layerID: Int?
    public let layerName: String?
    public let message: String

    public init(file: String, layerID: Int? = nil, layerName: String? = nil, _ message: String) {
        self.file = file
        self.layerID = layerID
        self.layerName = layerName
        self.message = message
    }

    public var description: String {
        var where_ = file
        if let layerID { where_ += ": layer \(layerID)" }
        if let layerName { where_ += " '\(layerName)'" }
        return "\(where_): \(message)"
    }
}
