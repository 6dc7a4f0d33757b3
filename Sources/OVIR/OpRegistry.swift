/// The op types the IR reader can build, looked up by `<layer type version>`.
public struct OpRegistry {
    private var table: [String: any Op.Type] = [:]

    public init(_ types: [any Op.Type]) {
        for t in types { table[Self.key(t.type, t.version)] = t }
    }

    /// The op type for a layer; `type` matches case-insensitively, as in OpenVINO.
    public func lookup(type: String, version: String) -> (any Op.Type)? {
        table[Self.key(type, version)]
    }

    public var count: Int { table.count }

    private static func key(_ type: String, _ version: String) -> String {
        "\(type.lowercased())@\(version.lowercased())"
    }
}

extension OpRegistry {
    /// Every op this package defines.
    public static let builtin = OpRegistry(
        [Parameter.self, Constant.self, Result.self, ShapeOf.self, Broadcast.self]
    )
}
