/// A Python literal as Ultralytics writes its export metadata into ONNX `metadata_props`
/// (`str(value)` of ints, floats, strings, booleans, None, lists, tuples and dicts):
/// `{0: 'person', 1: 'bicycle'}`, `[640, 640]`, `{'batch': 1, 'half': False}`.
enum PythonLiteral: Equatable {
    case int(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case none
    case list([PythonLiteral])
    case dict([(key: PythonLiteral, value: PythonLiteral)])

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x == y
        case (.float(let x), .float(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.bool(let x), .bool(let y)): x == y
        case (.none, .none): true
        case (.list(let x), .list(let y)): x == y
        case (.dict(let x), .dict(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// A malformed literal, with the character offset where parsing stopped.
    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { "at character \(offset + 1): \(message)" }
    }

    /// Parses `text`, which must hold exactly one literal (surrounding whitespace allowed).
    init(parsing text: String) throws {
        var parser = Parser(Array(text.unicodeScalars))
        self = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected text after the value") }
    }

    /// The value as an Int, for `.int` (and a whole `.float`).
    var intValue: Int? {
        switch self {
        case .int(let v): v
        case .float(let v) where v.rounded() == v && abs(v) < 1e15: Int(v)
        default: nil
        }
    }

    /// The entry of a `.dict` whose key is the string `key`.
    subscript(key: String) -> PythonLiteral? {
        guard case .dict(let entries) = self else { return nil }
        return entries.first { $0.key == .string(key) }?.value
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var i = 0
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { i >= scalars.count }
        func error(_ message: String) -> ParseError { ParseError(offset: i, message: message) }

        mutating func skipSpace() {
            while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        }

        mutating func value(depth: Int) throws -> PythonLiteral {
            guard depth < 64 else { throw error("nested more than 64 deep") }
            skipSpace()
            guard i < scalars.count else { throw error("expected a value, found the end") }
            switch scalars[i] {
            case "{": return try container(close: "}", depth: depth, isDict: true)
            case "[": return try container(close: "]", depth: depth, isDict: false)
            case "(": return try container(close: ")", depth: depth, isDict: false)
            case "'", "\"": return .string(try string())
            default: return try word()
            }
        }

        /// `{k: v, ...}`, `[a, ...]` or `(a, ...)`, a trailing comma allowed.
        mutating func container(close: Unicode.Scalar, depth: Int, isDict: Bool) throws -> PythonLiteral {
            i += 1
            var items: [PythonLiteral] = [], entries: [(key: PythonLiteral, value: PythonLiteral)] = []
            while true {
                skipSpace()
                if i < scalars.count, scalars[i] == close { i += 1; break }
                let first = try value(depth: depth + 1)
                skipSpace()
                if isDict {
                    guard i < scalars.count, scalars[i] == ":" else { throw error("expected ':' in a dict") }
                    i += 1
                    entries.append((first, try value(depth: depth + 1)))
                    skipSpace()
                } else {
                    items.append(first)
                }
                guard i < scalars.count else { throw error("expected '\(close)', found the end") }
                if scalars[i] == "," { i += 1; continue }
                guard scalars[i] == close else { throw error("expected ',' or '\(close)'") }
                i += 1
                break
            }
            return isDict ? .dict(entries) : .list(items)
        }

        /// A quoted string with Python's common escapes.
        mutating func string() throws -> String {
            let quote = scalars[i]
            i += 1
            var out = String.UnicodeScalarView()
            while i < scalars.count {
                let c = scalars[i]
                i += 1
                if c == quote { return String(out) }
                guard c == "\\" else { out.append(c); continue }
                guard i < scalars.count else { break }
                let e = scalars[i]
                i += 1
                switch e {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "0": out.append("\0")
                case "x", "u", "U":
                    let count = e == "x" ? 2 : e == "u" ? 4 : 8
                    guard i + count <= scalars.count,
                          let code = UInt32(String(String.UnicodeScalarView(scalars[i..<i + count])), radix: 16),
                          let scalar = Unicode.Scalar(code) else { throw error("bad \\\(e) escape") }
                    out.append(scalar)
                    i += count
                default: out.append(e)  // \\, \', \" and anything else as itself
                }
            }
            throw error("unterminated string")
        }

        /// A number, True, False or None.
        mutating func word() throws -> PythonLiteral {
            let start = i
            while i < scalars.count, !",:]})".unicodeScalars.contains(scalars[i]), !scalars[i].properties.isWhitespace { i += 1 }
            let text = String(String.UnicodeScalarView(scalars[start..<i]))
            switch text {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default: break
            }
            if let v = Int(text) { return .int(v) }
            if let v = Double(text), !text.isEmpty { return .float(v) }
            i = start
            throw error(text.isEmpty ? "expected a value" : "'\(text)' is not a Python literal")
        }
    }
}
