/// A cursor over the UTF-8 bytes of a graph dump: lexing primitives, offsets turned into line:column, and
/// syntax errors that show the offending line with a caret.
///
/// Columns count bytes (1-based), like most compilers; dumps are ASCII apart from string contents.
/// Every loop advances `pos` or stops, and nothing rescans a line, so long lines stay linear.
struct DumpScanner {
    let bytes: [UInt8]
    let path: String
    var pos = 0
    /// The offset where each line starts.
    private let lineStarts: [Int]

    init(_ text: String, path: String) {
        bytes = Array(text.utf8)
        self.path = path
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == Byte.newline { starts.append(i + 1) }
        lineStarts = starts
    }

    // MARK: - Looking

    var isAtEnd: Bool { pos >= bytes.count }

    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    func byte(at offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }

    /// True at a newline or the end of the text (after `skipSpaces`).
    var isAtLineEnd: Bool { peek == nil || peek == Byte.newline }

    /// True if the text at `pos` is `literal`.
    func looksAt(_ literal: String) -> Bool {
        var p = pos
        for b in literal.utf8 {
            guard p < bytes.count, bytes[p] == b else { return false }
            p += 1
        }
        return true
    }

    /// True if the text at `pos` is the word `word`, not followed by more identifier bytes.
    func looksAt(word: String) -> Bool {
        looksAt(word) && !(byte(at: pos + word.utf8.count).map(Byte.isIdentifier) ?? false)
    }

    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    // MARK: - Consuming

    /// Skips spaces, tabs and carriage returns, not newlines.
    mutating func skipSpaces() {
        while let b = peek, b == Byte.space || b == Byte.tab || b == Byte.carriageReturn { pos += 1 }
    }

    /// Skips spaces and newlines (inside the parameter list of a multi-line `graph(` header).
    mutating func skipWhitespace() {
        while let b = peek, b == Byte.space || b == Byte.tab || b == Byte.carriageReturn || b == Byte.newline { pos += 1 }
    }

    /// Skips empty lines and `#` comment lines, leaving `pos` after the indentation of the next statement.
    mutating func skipBlankLines() {
        while true {
            skipSpaces()
            if peek == Byte.hash { _ = readRun { $0 != Byte.newline } }
            guard peek == Byte.newline else { return }
            pos += 1
        }
    }

    mutating func consume(_ literal: String) -> Bool {
        guard looksAt(literal) else { return false }
        pos += literal.utf8.count
        return true
    }

    mutating func consume(word: String) -> Bool {
        guard looksAt(word: word) else { return false }
        pos += word.utf8.count
        return true
    }

    /// Consumes `literal` or throws "expected `what`, found ...".
    mutating func expect(_ literal: String, _ what: String? = nil) throws {
        guard consume(literal) else { throw expected(what ?? "'\(literal)'") }
    }

    /// Consumes the end of the line (trailing spaces allowed).
    mutating func expectLineEnd(_ what: String = "the end of the line") throws {
        skipSpaces()
        guard isAtLineEnd else { throw expected(what) }
        if !isAtEnd { pos += 1 }
    }

    /// Consumes the longest run of bytes satisfying `predicate`.
    mutating func readRun(_ predicate: (UInt8) -> Bool) -> Range<Int> {
        let start = pos
        while let b = peek, predicate(b) { pos += 1 }
        return start..<pos
    }

    /// `%` + the longest run of name bytes not ending in `.`; returns the name without `%`. Names are mostly
    /// `[A-Za-z0-9_.]`, but torch prints any debug name it was given: modules registered under names such as
    /// `model/22/dfl/conv/Conv` (onnx2torch) give `%self.model/22/dfl/conv/Conv.weight`.
    mutating func readValueName() throws -> String {
        let start = pos
        guard consume("%") else { throw expected("a value name '%name'") }
        var run = readRun(Byte.isValueName)
        while run.upperBound > run.lowerBound, bytes[run.upperBound - 1] == Byte.dot { run = run.lowerBound..<(run.upperBound - 1) }
        pos = run.upperBound
        guard !run.isEmpty else {
            pos = start
            throw expected("a value name '%name'")
        }
        return text(run)
    }

    /// An integer or float lexeme: `-1`, `2.`, `-0.`, `1.0000000000000001e-05`, `1e+10`, `inf`, `-inf`, `nan`.
    /// An integer lexeme too large for `Int` becomes a float.
    mutating func readNumber() throws -> TSAttributeValue {
        let start = pos
        let negative = consume("-")
        if consume(word: "inf") { return .float(negative ? -.infinity : .infinity) }
        if consume(word: "nan") { return .float(.nan) }
        let digits = readRun(Byte.isDigit)
        guard !digits.isEmpty else {
            pos = start
            throw expected("a number")
        }
        var isInteger = true
        if consume(".") {
            isInteger = false
            _ = readRun(Byte.isDigit)
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            if !consume("+") { _ = consume("-") }
            guard !readRun(Byte.isDigit).isEmpty else { throw expected("the digits of an exponent") }
            isInteger = false
        }
        let lexeme = text(start..<pos)
        if isInteger, let value = Int(lexeme) { return .int(value) }
        guard let value = Double(lexeme) else {
            pos = start
            throw expected("a number")
        }
        return .float(value)
    }

    /// A double-quoted string with C escapes (`\n`, `\"`, `\\`, `\x41`, octal `\303\251` for non-ASCII bytes).
    mutating func readString() throws -> String {
        try expect("\"")
        var out: [UInt8] = []
        while true {
            guard let b = peek, b != Byte.newline else { throw expected("a closing '\"'") }
            pos += 1
            if b == Byte.quote { return String(decoding: out, as: UTF8.self) }
            guard b == Byte.backslash else {
                out.append(b)
                continue
            }
            guard let e = peek else { throw expected("an escape sequence") }
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case Byte.quote, Byte.backslash, UInt8(ascii: "'"), UInt8(ascii: "?"): out.append(e)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = 0
                var count = 0
                while count < 3, let d = peek, d >= UInt8(ascii: "0"), d <= UInt8(ascii: "7") {
                    value = value * 8 + Int(d - UInt8(ascii: "0"))
                    pos += 1
                    count += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
                continue
            case UInt8(ascii: "x"):
                pos += 1
                var value = 0
                var count = 0
                while count < 2, let d = peek, let h = Byte.hexValue(d) {
                    value = value * 16 + h
                    pos += 1
                    count += 1
                }
                guard count > 0 else { throw expected("hex digits after '\\x'") }
                out.append(UInt8(value))
                continue
            default:
                throw expected("an escape sequence (\\n, \\t, \\\", \\\\, \\x.., octal)")
            }
            pos += 1
        }
    }

    /// From an opening `[`, `(` or `{` at `start` to just past its partner on the same line, skipping strings.
    /// Any closer closes any opener: the text is kept, not interpreted.
    func endOfBalanced(from start: Int) throws -> Int {
        var depth = 0
        var p = start
        var inString = false
        while p < bytes.count, bytes[p] != Byte.newline {
            let b = bytes[p]
            p += 1
            if inString {
                if b == Byte.backslash { p += 1 } else if b == Byte.quote { inString = false }
                continue
            }
            switch b {
            case Byte.quote: inString = true
            case Byte.openBracket, Byte.openParen, Byte.openBrace: depth += 1
            case Byte.closeBracket, Byte.closeParen, Byte.closeBrace:
                depth -= 1
                if depth == 0 { return p }
            default: break
            }
        }
        throw expected(inString ? "a closing '\"'" : "a closing bracket", at: min(p, bytes.count))
    }

    // MARK: - Positions and errors

    /// 1-based line and byte column of `offset`.
    func location(_ offset: Int) -> (line: Int, column: Int) {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// "PATH:L:C: expected `what`, found ..." at `offset` (default: `pos`).
    func expected(_ what: String, at offset: Int? = nil, note: String? = nil) -> TorchScriptFrontendError {
        let at = offset ?? pos
        let message = "expected \(what), found \(describe(at: at))" + (note.map { " (\($0))" } ?? "")
        return error(message, at: at)
    }

    /// "PATH:L:C: message", then the line and a caret under the column.
    func error(_ message: String, at offset: Int) -> TorchScriptFrontendError {
        let offset = max(0, min(offset, bytes.count))
        let (line, column) = location(offset)
        let start = lineStarts[line - 1]
        var end = start
        while end < bytes.count, bytes[end] != Byte.newline { end += 1 }
        if end > start, bytes[end - 1] == Byte.carriageReturn { end -= 1 }
        let at = min(offset, end)
        // Long lines (inline tensors, fuzzed input) are shown as a window around the column.
        var from = start
        var to = end
        if end - start > 160 {
            from = max(start, at - 60)
            to = min(end, from + 120)
            while from > start, from < bytes.count, Byte.isContinuation(bytes[from]) { from -= 1 }
            while to < end, Byte.isContinuation(bytes[to]) { to += 1 }
        }
        let lead = from > start ? "..." : ""
        let tail = to < end ? "..." : ""
        let pad = lead.map { _ in " " }.joined()
            + String(decoding: bytes[from..<max(from, at)], as: UTF8.self).map { $0 == "\t" ? "\t" : " " }.joined()
        let shown = lead + text(from..<to) + tail
        return TorchScriptFrontendError(.syntax, "\(path):\(line):\(column): \(message)\n  \(shown)\n  \(pad)^")
    }

    /// What is at `offset`, for "found ...": a word, one character, "end of line" or "end of file".
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let b = bytes[offset]
        if b == Byte.newline || (b == Byte.carriageReturn && (offset + 1 == bytes.count || bytes[offset + 1] == Byte.newline)) {
            return "end of line"
        }
        var end = offset + 1
        if Byte.isIdentifier(b) {
            while end < bytes.count, end - offset < 40, Byte.isIdentifier(bytes[end]) { end += 1 }
        } else {
            while end < bytes.count, Byte.isContinuation(bytes[end]) { end += 1 }
        }
        return "'\(text(offset..<end))'"
    }
}

extension DumpScanner {
    /// Byte constants and classes for the scanner.
    enum Byte {
        static let newline = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")
        static let space = UInt8(ascii: " ")
        static let tab = UInt8(ascii: "\t")
        static let hash = UInt8(ascii: "#")
        static let dot = UInt8(ascii: ".")
        static let comma = UInt8(ascii: ",")
        static let quote = UInt8(ascii: "\"")
        static let backslash = UInt8(ascii: "\\")
        static let openBracket = UInt8(ascii: "[")
        static let closeBracket = UInt8(ascii: "]")
        static let openParen = UInt8(ascii: "(")
        static let closeParen = UInt8(ascii: ")")
        static let openBrace = UInt8(ascii: "{")
        static let closeBrace = UInt8(ascii: "}")

        static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

        static func isLetter(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
        }

        /// `[A-Za-z0-9_]`.
        static func isIdentifier(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") }

        /// `[A-Za-z0-9_.]`: value names and qualified class names.
        static func isName(_ b: UInt8) -> Bool { isIdentifier(b) || b == dot }

        /// A byte of a value name: anything but whitespace, the delimiters `,()[]=` and the quote, `%` and `#`.
        static func isValueName(_ b: UInt8) -> Bool {
            switch b {
            case 0...0x20, 0x7F, UInt8(ascii: ","), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "="), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "#"): return false
            default: return true
            }
        }

        /// A UTF-8 continuation byte (`10xxxxxx`).
        static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }

        static func hexValue(_ b: UInt8) -> Int? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A")) + 10
            default: return nil
            }
        }
    }
}
