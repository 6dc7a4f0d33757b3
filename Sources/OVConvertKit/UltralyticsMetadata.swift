import Foundation
import Yams

/// The metadata of an Ultralytics export: what Ultralytics writes into an ONNX model's `metadata_props` (each
/// value `str()`-ed, structured ones as Python literals) and what its loader reads from the `metadata.yaml`
/// beside an OpenVINO IR (`openvino-ir-facts.md` §7.4–7.5).
struct UltralyticsMetadata {
    /// Entries in order: text keys as strings, structured keys parsed.
    private(set) var entries: [(key: String, value: PythonLiteral)]

    /// Keys whose values Ultralytics writes as Python literals; the others are plain text.
    static let literalKeys: Set<String> = ["stride", "batch", "channels", "imgsz", "names", "args", "kpt_shape", "kpt_names", "end2end"]
    /// The order of the keys in an Ultralytics export, which a new file follows.
    static let keyOrder = ["description", "author", "date", "version", "license", "docs", "stride", "task", "batch",
                           "imgsz", "names", "kpt_shape", "kpt_names", "args", "channels", "end2end"]

    init(entries: [(key: String, value: PythonLiteral)] = []) {
        self.entries = entries
    }

    /// The source's metadata if it is an Ultralytics export's (it has parseable `names` and `stride` or `task`),
    /// else nil. A structured value that does not parse stays a string.
    init?(metadata: [(key: String, value: String)]) {
        let keys = Set(metadata.map(\.key))
        guard keys.contains("names"), keys.contains("stride") || keys.contains("task") else { return nil }
        entries = metadata.map { key, text in
            guard Self.literalKeys.contains(key), let value = try? PythonLiteral(parsing: text) else { return (key, .string(text)) }
            return (key, value)
        }
        guard names != nil else { return nil }
    }

    subscript(key: String) -> PythonLiteral? {
        entries.first { $0.key == key }?.value
    }

    /// Sets `key`, in place if present, else where `keyOrder` puts it among the keys present.
    mutating func set(_ key: String, _ value: PythonLiteral) {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
            return
        }
        let rank = Self.keyOrder.firstIndex(of: key) ?? Self.keyOrder.count
        let at = entries.firstIndex { (Self.keyOrder.firstIndex(of: $0.key) ?? Self.keyOrder.count) > rank } ?? entries.count
        entries.insert((key, value), at: at)
    }

    /// Class index → name, from `names` (a dict of index → name, or a list), in index order.
    var names: [(index: Int, name: String)]? {
        switch self["names"] {
        case .dict(let pairs)?:
            var out: [(index: Int, name: String)] = []
            for (k, v) in pairs {
                guard let i = k.intValue, case .string(let name) = v else { return nil }
                out.append((i, name))
            }
            return out.sorted { $0.index < $1.index }
        case .list(let items)?:
            var out: [(index: Int, name: String)] = []
            for (i, v) in items.enumerated() {
                guard case .string(let name) = v else { return nil }
                out.append((i, name))
            }
            return out
        default:
            return nil
        }
    }

    /// `task` (detect, segment, pose, obb, classify), if given.
    var task: String? {
        if case .string(let t)? = self["task"] { return t }
        return nil
    }

    /// Whether the export's head already ends in final detections (`end2end: True`, or `args` with `nms: True`).
    var isEndToEnd: Bool {
        self["end2end"] == .bool(true) || self["args"]?["nms"] == .bool(true)
    }

    /// The YAML text of `metadata.yaml`, keys in entry order.
    func yaml() throws -> String {
        try Yams.serialize(node: Node(entries.map { (Node($0.key), Self.node($0.value)) }), width: -1, allowUnicode: true)
    }

    /// A literal as YAML: numbers, booleans and null plain; strings single-quoted, so none reads back as another type.
    private static func node(_ value: PythonLiteral) -> Node {
        switch value {
        case .int(let v): Node(String(v))
        case .float(let v): Node(v.isFinite ? yamlFloat(v) : v.isNaN ? ".nan" : v < 0 ? "-.inf" : ".inf")
        case .bool(let v): Node(v ? "true" : "false")
        case .none: Node("null")
        case .string(let s): Node(s, .implicit, .singleQuoted)
        case .list(let items): Node(items.map(node))
        case .dict(let pairs): Node(pairs.map { (key($0.key), node($0.value)) })
        }
    }

    /// A finite float as YAML 1.1 (PyYAML) reads back as a float: with a decimal point, `1.0e-05` not `1e-05`.
    private static func yamlFloat(_ v: Double) -> String {
        let text = "\(v)"
        return text.contains(".") || !text.contains("e") ? text : text.replacingOccurrences(of: "e", with: ".0e")
    }

    /// A mapping key: plain when it is an identifier YAML reads back as the same string (`batch`), else as `node`.
    private static func key(_ value: PythonLiteral) -> Node {
        let keywords: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
        if case .string(let s) = value, let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
           s.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }),
           !keywords.contains(s.lowercased()) {
            return Node(s)
        }
        return node(value)
    }
}
