import Foundation
import Yams

/// Class names from a `--names` file: a YAML list, a YAML mapping of index to name (or an Ultralytics dataset
/// YAML, whose `names` key holds either), or plain text with one name a line.
enum ClassNames {
    /// Index → name, in index order; a file that cannot be read, or names nothing, is refused naming it.
    static func read(path: String) throws -> [(index: Int, name: String)] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConversionFailure(.badOptions, "--names \(path): cannot be read as UTF-8 text")
        }
        let names: [(index: Int, name: String)]
        do {
            names = try parse(text)
        } catch let e as ConversionFailure {
            throw ConversionFailure(e.reason, "--names \(path): \(e.message)")
        }
        guard !names.isEmpty else { throw ConversionFailure(.badOptions, "--names \(path): names no class") }
        return names
    }

    static func parse(_ text: String) throws -> [(index: Int, name: String)] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, _) {
            // A YAML mapping, refused by Yams: read as lines, "0: person" would become a name.
            let key = duplicates.first ?? "?"
            throw ConversionFailure(.badOptions, Int(key) != nil ? "class \(key) is named twice" : "key '\(key)' is given twice")
        } catch {
            node = nil  // not YAML: one name a line
        }
        if let node, let names = try fromNode(node["names"] ?? node) { return names }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.enumerated().map { ($0.offset, $0.element) }
    }

    /// A sequence of names or a mapping of index → name; nil for a lone scalar (a plain-text file).
    private static func fromNode(_ node: Node) throws -> [(index: Int, name: String)]? {
        switch node {
        case .sequence(let items):
            return try items.enumerated().map { i, item in
                guard let name = item.string else { throw ConversionFailure(.badOptions, "entry \(i) is not a name") }
                return (i, name)
            }
        case .mapping(let pairs):
            var out: [(index: Int, name: String)] = []
            var seen = Set<Int>()
            for (key, value) in pairs {
                guard let i = key.int, i >= 0 else {
                    throw ConversionFailure(.badOptions, "key '\(key.string ?? "?")' is not a class index")
                }
                guard let name = value.string else { throw ConversionFailure(.badOptions, "class \(i) has no name") }
                guard seen.insert(i).inserted else { throw ConversionFailure(.badOptions, "class \(i) is named twice") }
                out.append((i, name))
            }
            out.sort { $0.index < $1.index }
            guard out.map(\.index) == Array(0..<out.count) else {
                throw ConversionFailure(.badOptions, "class indices must be 0 to \(out.count - 1), each once")
            }
            return out
        default:
            return nil
        }
    }
}
