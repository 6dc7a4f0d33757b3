/// Reads the text of a TorchScript graph dump (`str(graph)` of a traced, inlined or frozen module) into a `TSBlock`.
///
/// Only syntax and duplicate definitions are checked here; what the values mean (uses before definitions,
/// operator arity, weights) is the importer's business. Indentation is not significant: a `blockN(` line belongs
/// to the node just before it in the same block, and `-> (...)` closes the innermost open block.
public enum TorchScriptDumpParser {
    /// The deepest nesting of blocks, of types and of attribute values that is accepted.
    public static let maxDepth = 200

    /// Parses a whole dump; `path` names the file in error messages (`PATH:LINE:COL: expected X, found Y`).
    public static func parse(_ text: String, path: String) throws -> TSBlock {
        var parser = DumpParser(scanner: DumpScanner(text, path: path))
        return try parser.parseGraph()
    }
}

/// The grammar of facts §1–§3 over a `DumpScanner`.
private struct DumpParser {
    typealias Byte = DumpScanner.Byte

    var s: DumpScanner
    /// Offset of each defined value name, to reject a second definition.
    var definitions: [String: Int] = [:]

    init(scanner: DumpScanner) {
        s = scanner
    }

    // MARK: - Graph, blocks, nodes

    /// `graph(%a : T,\n      %b : T):` body `return (...)`, then only blank lines.
    mutating func parseGraph() throws -> TSBlock {
        s.skipBlankLines()
        let start = s.pos
        guard s.looksAt("graph(") else { throw s.expected("'graph('") }
        _ = s.consume("graph")
        let parameters = try parseParameters()
        try s.expect(":")
        try s.expectLineEnd()
        let (nodes, returns) = try parseBody(closing: nil, depth: 0)
        s.skipBlankLines()
        if s.looksAt(word: "with") {
            throw s.expected("the end of the dump after 'return (...)'",
                             note: "fusion-group subgraphs ('with prim::FusionGroup_0 = graph(...)') are not supported")
        }
        guard s.isAtEnd else { throw s.expected("the end of the dump after 'return (...)'") }
        return TSBlock(parameters: parameters, nodes: nodes, returns: returns, line: s.location(start).line)
    }

    /// Statements up to `return (...)` (the graph, `closing` nil) or `-> (...)` (a block, `closing` names it).
    mutating func parseBody(closing: String?, depth: Int) throws -> (nodes: [TSNode], returns: [String]) {
        var nodes: [TSNode] = []
        let statement = closing.map { "a node or '-> (...)' closing \($0)" } ?? "a node or 'return (...)'"
        while true {
            s.skipBlankLines()
            let start = s.pos
            let isReturn = s.consume(word: "return")
            if isReturn || s.consume("->") {
                guard isReturn == (closing == nil) else { throw s.expected(statement, at: start) }
                s.skipSpaces()
                let returns = try parseNameList()
                try s.expectLineEnd()
                return (nodes, returns)
            }
            if let number = blockHeaderNumber() {
                guard let owner = nodes.indices.last else { throw s.expected(statement, note: "a block follows the node that owns it") }
                let next = nodes[owner].blocks.count
                guard number == next else { throw s.expected("'block\(next)('") }
                nodes[owner].blocks.append(try parseBlock(depth: depth + 1))
                continue
            }
            guard s.peek == UInt8(ascii: "%") || s.peek == UInt8(ascii: "=") else { throw s.expected(statement) }
            nodes.append(try parseNode())
        }
    }

    /// The N of a `blockN(` at `pos`, without consuming; -1 when N does not fit in an Int.
    func blockHeaderNumber() -> Int? {
        guard s.looksAt("block") else { return nil }
        var p = s.pos + "block".utf8.count
        let digitsStart = p
        while let b = s.byte(at: p), Byte.isDigit(b) { p += 1 }
        guard p > digitsStart, s.byte(at: p) == Byte.openParen else { return nil }
        return Int(s.text(digitsStart..<p)) ?? -1
    }

    /// `blockN(%a : T, ...):` body `-> (...)`.
    mutating func parseBlock(depth: Int) throws -> TSBlock {
        let start = s.pos
        guard depth <= TorchScriptDumpParser.maxDepth else {
            throw s.error("blocks nested deeper than \(TorchScriptDumpParser.maxDepth) levels", at: start)
        }
        let header = s.readRun(Byte.isIdentifier)
        let line = s.location(start).line
        let parameters = try parseParameters()
        try s.expect(":")
        try s.expectLineEnd()
        let (nodes, returns) = try parseBody(closing: "\(s.text(header)) (line \(line))", depth: depth)
        return TSBlock(parameters: parameters, nodes: nodes, returns: returns, line: line)
    }

    /// `(%a : T, %b : T)`, newlines allowed between entries.
    mutating func parseParameters() throws -> [TSValueDecl] {
        try s.expect("(")
        var parameters: [TSValueDecl] = []
        s.skipWhitespace()
        if s.consume(")") { return parameters }
        while true {
            parameters.append(try parseValueDecl().decl)
            s.skipWhitespace()
            if s.consume(",") {
                s.skipWhitespace()
                continue
            }
            try s.expect(")", "',' or ')'")
            return parameters
        }
    }

    /// `%name` with an optional ` : Type`; untyped values are plain tensors.
    mutating func parseValueDecl() throws -> (decl: TSValueDecl, typed: Bool) {
        let offset = s.pos
        let name = try s.readValueName()
        if let first = definitions[name] {
            let (line, column) = s.location(first)
            throw s.error("%\(name) is defined twice (first at line \(line), column \(column))", at: offset)
        }
        definitions[name] = offset
        s.skipSpaces()
        var type = TSType.tensor(TSTensorType(scalarType: nil, sizes: nil))
        let typed = s.consume(":")
        if typed {
            s.skipSpaces()
            type = try parseType(depth: 1).type
        }
        let (line, column) = s.location(offset)
        return (TSValueDecl(name: name, type: type, line: line, column: column), typed)
    }

    /// `%o1 : T, %o2 : T = ns::kind[attr=value, ...](%in1, %in2), scope: S # file:line:col`.
    mutating func parseNode() throws -> TSNode {
        let line = s.location(s.pos).line
        var outputs: [TSValueDecl] = []
        if s.peek != UInt8(ascii: "=") {
            while true {
                let (decl, typed) = try parseValueDecl()
                outputs.append(decl)
                s.skipSpaces()
                if s.consume(",") {
                    s.skipSpaces()
                    continue
                }
                try s.expect("=", typed ? "',' or '='" : "':', ',' or '='")
                break
            }
        } else {
            s.pos += 1
        }
        s.skipSpaces()
        let kind = try parseKind()
        let attributes = try s.peek == Byte.openBracket ? parseAttributes() : []
        guard s.peek == Byte.openParen else { throw s.expected(attributes.isEmpty ? "'[' or '('" : "'('") }
        let inputs = try parseNameList()
        var scope: String?
        var source: String?
        s.skipSpaces()
        if s.consume(",") {
            s.skipSpaces()
            try s.expect("scope:", "'scope:'")
            s.skipSpaces()
            scope = s.text(trimmed(s.readRun { $0 != Byte.hash && $0 != Byte.newline }))
        }
        if s.consume("#") {
            s.skipSpaces()
            source = s.text(trimmed(s.readRun { $0 != Byte.newline }))
        }
        try s.expectLineEnd("', scope: ...', '# source' or the end of the line")
        return TSNode(outputs: outputs, kind: kind, attributes: attributes, inputs: inputs, scope: scope, source: source, line: line)
    }

    /// `namespace::name`, e.g. `aten::_convolution`.
    mutating func parseKind() throws -> String {
        let start = s.pos
        let namespace = s.readRun(Byte.isIdentifier)
        guard !namespace.isEmpty, s.consume("::"), !s.readRun(Byte.isIdentifier).isEmpty else {
            let note = s.byte(at: start) == UInt8(ascii: "^") ? "prim::PythonOp (a custom autograd Function) cannot be converted" : nil
            throw s.expected("an operator kind like 'aten::relu'", at: start, note: note)
        }
        return s.text(start..<s.pos)
    }

    /// `(%a, %b)` or `()`: input lists, `return (...)`, `-> (...)`.
    mutating func parseNameList() throws -> [String] {
        try s.expect("(")
        var names: [String] = []
        s.skipSpaces()
        if s.consume(")") { return names }
        while true {
            names.append(try s.readValueName())
            s.skipSpaces()
            if s.consume(",") {
                s.skipSpaces()
                continue
            }
            try s.expect(")", "',' or ')'")
            return names
        }
    }

    /// `range` without trailing spaces, tabs and carriage returns.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var end = range.upperBound
        while end > range.lowerBound, let b = s.byte(at: end - 1), b == Byte.space || b == Byte.tab || b == Byte.carriageReturn { end -= 1 }
        return range.lowerBound..<end
    }

    // MARK: - Types (facts §2)

    /// The scalar type names that prefix tensor types (`Float(1, 3)`, `Long(device=cpu)`).
    static let scalarTypeNames: Set<String> = [
        "Byte", "Char", "Short", "Int", "Long", "Half", "Float", "Double", "ComplexHalf", "ComplexFloat", "ComplexDouble",
        "Bool", "QInt8", "QUInt8", "QInt32", "BFloat16", "QUInt4x2", "QUInt2x4", "Bits1x8", "Bits2x4", "Bits4x2", "Bits8",
        "Bits16", "Float8_e5m2", "Float8_e4m3fn", "Float8_e5m2fnuz", "Float8_e4m3fnuz", "Float8_e8m0fnu", "Float4_e2m1fn_x2",
        "UInt16", "UInt32", "UInt64", "UInt1", "UInt2", "UInt3", "UInt4", "UInt5", "UInt6", "UInt7",
        "Int1", "Int2", "Int3", "Int4", "Int5", "Int6", "Int7",
    ]

    /// A type with its `[]` / `?` suffixes, and its height (1 for a leaf). `depth` counts the levels around it, so
    /// `depth - 1 + height`, the height of the whole annotation, is kept within `maxDepth`: suffixes wrap what is
    /// already built, so the nesting of the recursion alone would not bound the tree.
    mutating func parseType(depth: Int) throws -> (type: TSType, height: Int) {
        guard depth <= TorchScriptDumpParser.maxDepth else { throw tooDeep() }
        var (type, height) = try parsePrimaryType(depth: depth)
        while true {
            if s.looksAt("[]") {
                s.pos += 2
                type = .list(type)
            } else if s.consume("?") {
                type = .optional(type)
            } else {
                return (type, height)
            }
            height += 1
            guard depth - 1 + height <= TorchScriptDumpParser.maxDepth else { throw tooDeep() }
        }
    }

    func tooDeep() -> TorchScriptFrontendError {
        s.error("types nested deeper than \(TorchScriptDumpParser.maxDepth) levels", at: s.pos)
    }

    /// A type without suffixes and its height.
    mutating func parsePrimaryType(depth: Int) throws -> (type: TSType, height: Int) {
        if s.peek == Byte.openParen {
            let (types, height) = try parseTypeList(close: Byte.closeParen, depth: depth)
            return (.tuple(types, names: nil), height + 1)
        }
        let nameRange = s.readRun(Byte.isName)
        guard !nameRange.isEmpty else { throw s.expected("a type") }
        let name = s.text(nameRange)
        let open = s.peek == Byte.openParen
        if name == "NamedTuple", open { return try parseNamedTuple(depth: depth) }
        if name == "Dict", open {
            let start = s.pos
            let (types, height) = try parseTypeList(close: Byte.closeParen, depth: depth)
            guard types.count == 2 else { throw s.error("expected 2 types in Dict(...), found \(types.count)", at: start) }
            return (.dict(types[0], types[1]), height + 1)
        }
        if name == "Tensor" || Self.scalarTypeNames.contains(name) {
            let sizes = try open ? parseTensorSizes() : nil
            return (.tensor(TSTensorType(scalarType: name == "Tensor" ? nil : name, sizes: sizes)), 1)
        }
        if open || (s.peek == Byte.openBracket && s.byte(at: s.pos + 1) != Byte.closeBracket) {
            let (types, height) = try parseTypeList(close: open ? Byte.closeParen : Byte.closeBracket, depth: depth)
            return (.generic(name, types), height + 1)
        }
        return (name.contains(".") ? .classType(name) : .named(name), 1)
    }

    /// `(T1, T2)`, `(T,)`, `()` or `[T]` (for `Future[T]`), the opener at `pos`; the height is the tallest element's.
    mutating func parseTypeList(close: UInt8, depth: Int) throws -> (types: [TSType], height: Int) {
        s.pos += 1
        let closer = String(decoding: [close], as: UTF8.self)
        var types: [TSType] = []
        var height = 0
        s.skipSpaces()
        if s.consume(closer) { return (types, height) }
        while true {
            let element = try parseType(depth: depth + 1)
            types.append(element.type)
            height = max(height, element.height)
            s.skipSpaces()
            if s.consume(",") {
                s.skipSpaces()
                if s.consume(closer) { return (types, height) }
                continue
            }
            try s.expect(closer, "',' or '\(closer)'")
            return (types, height)
        }
    }

    /// `NamedTuple(a : Tensor, b : int)`.
    mutating func parseNamedTuple(depth: Int) throws -> (type: TSType, height: Int) {
        s.pos += 1
        var names: [String] = []
        var types: [TSType] = []
        var height = 0
        s.skipSpaces()
        if s.consume(")") { return (.tuple(types, names: names), 1) }
        while true {
            let field = s.readRun(Byte.isIdentifier)
            guard !field.isEmpty else { throw s.expected("a field name") }
            s.skipSpaces()
            try s.expect(":")
            s.skipSpaces()
            let element = try parseType(depth: depth + 1)
            names.append(s.text(field))
            types.append(element.type)
            height = max(height, element.height)
            s.skipSpaces()
            if s.consume(",") {
                s.skipSpaces()
                continue
            }
            try s.expect(")", "',' or ')'")
            return (.tuple(types, names: names), height + 1)
        }
    }

    /// `(1, *, SS(-25), strides=[...], requires_grad=0, device=cpu)`: the sizes, unknown dims as nil; only keywords
    /// means a 0-dim tensor.
    mutating func parseTensorSizes() throws -> [Int?] {
        try s.expect("(")
        var sizes: [Int?] = []
        s.skipSpaces()
        if s.consume(")") { return sizes }
        while true {
            if s.consume("*") {
                sizes.append(nil)
            } else if s.consume("SS(") {
                _ = s.consume("-")
                guard !s.readRun(Byte.isDigit).isEmpty else { throw s.expected("a symbolic size number") }
                try s.expect(")")
                sizes.append(nil)
            } else if let b = s.peek, Byte.isDigit(b) {
                let start = s.pos
                guard let size = Int(s.text(s.readRun(Byte.isDigit))) else {
                    throw s.error("expected a dimension that fits in 64 bits, found '\(s.text(start..<s.pos))'", at: start)
                }
                sizes.append(size)
            } else if let b = s.peek, Byte.isLetter(b) {
                _ = s.readRun(Byte.isIdentifier)
                try s.expect("=", "'=' after a tensor property name")
                if s.peek == Byte.openBracket {
                    s.pos = try s.endOfBalanced(from: s.pos)
                } else if s.readRun({ $0 != Byte.comma && $0 != Byte.closeParen && $0 != Byte.newline }).isEmpty {
                    throw s.expected("a tensor property value")
                }
            } else {
                throw s.expected("a dimension, '*', 'SS(-N)' or 'name=value'")
            }
            s.skipSpaces()
            if s.consume(",") {
                s.skipSpaces()
                continue
            }
            try s.expect(")", "',' or ')'")
            return sizes
        }
    }

    // MARK: - Attributes (facts §3)

    /// `[name=value, ...]`.
    mutating func parseAttributes() throws -> [(name: String, value: TSAttributeValue)] {
        try s.expect("[")
        var attributes: [(name: String, value: TSAttributeValue)] = []
        s.skipSpaces()
        if s.consume("]") { return attributes }
        while true {
            let name = s.readRun(Byte.isIdentifier)
            guard !name.isEmpty else { throw s.expected("an attribute name") }
            try s.expect("=", "'=' after the attribute name")
            let value = try parseValue(depth: 1)
            attributes.append((s.text(name), value))
            s.skipSpaces()
            if s.consume(",") {
                s.skipSpaces()
                continue
            }
            try s.expect("]", "',' or ']' after the attribute value")
            return attributes
        }
    }

    /// One attribute value, starting right after `=` (or a list separator).
    mutating func parseValue(depth: Int) throws -> TSAttributeValue {
        let start = s.pos
        guard depth <= TorchScriptDumpParser.maxDepth else {
            throw s.error("attribute values nested deeper than \(TorchScriptDumpParser.maxDepth) levels", at: start)
        }
        s.skipSpaces()
        guard let c = s.peek else { throw s.expected("an attribute value") }
        switch c {
        case Byte.quote:
            return .string(try s.readString())
        case Byte.openBracket:
            if isTensorTag(at: s.pos) { return .tensor(text: try scanTensorRepr(from: start)) }
            if nextNonSpace(after: s.pos) == UInt8(ascii: "<") { return try scanOpaque() }
            return .list(try parseSequence(close: Byte.closeBracket, depth: depth))
        case Byte.openParen:
            if isSliceHeader(at: s.pos) { return .tensor(text: try scanTensorRepr(from: start)) }
            return .tuple(try parseSequence(close: Byte.closeParen, depth: depth))
        case Byte.openBrace:
            return try parseBraced()
        case UInt8(ascii: "<"):
            return try parseAngled()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumberOrTensor(from: start)
        default:
            if s.looksAt(word: "inf") || s.looksAt(word: "nan") { return try parseNumberOrTensor(from: start) }
            if s.consume(word: "True") { return .bool(true) }
            if s.consume(word: "False") { return .bool(false) }
            if s.consume(word: "None") { return .opaque("None") }
            if s.looksAt(word: "Columns") { return .tensor(text: try scanTensorRepr(from: start)) }
            if s.looksAt("annotate(") { return try parseAnnotate(depth: depth) }
            throw s.expected("an attribute value")
        }
    }

    /// `{0.5}` and `{2}` tensors; a dict repr (`{"a": 1}`) is kept as opaque text.
    mutating func parseBraced() throws -> TSAttributeValue {
        let end = try s.endOfBalanced(from: s.pos)
        let inner = s.bytes[(s.pos + 1)..<(end - 1)]
        let isTensor = !inner.isEmpty && !inner.contains(UInt8(ascii: ":")) && !inner.contains(Byte.quote)
        let text = s.text(s.pos..<end)
        s.pos = end
        return isTensor ? .tensor(text: text) : .opaque(text)
    }

    /// `<Tensor>` (a tensor in the weights file) or `<Graph>` and the like (opaque).
    mutating func parseAngled() throws -> TSAttributeValue {
        let open = s.pos
        s.pos += 1
        guard !s.readRun(Byte.isIdentifier).isEmpty, s.consume(">") else { throw s.expected("'<Tensor>' or '<Graph>'", at: open) }
        let text = s.text(open..<s.pos)
        return text == "<Tensor>" ? .tensor(text: text) : .opaque(text)
    }

    /// `[a, b]` or `(a, b)` / `(a,)`; the opener is at `pos`.
    mutating func parseSequence(close: UInt8, depth: Int) throws -> [TSAttributeValue] {
        s.pos += 1
        let closer = String(decoding: [close], as: UTF8.self)
        var items: [TSAttributeValue] = []
        s.skipSpaces()
        if s.consume(closer) { return items }
        while true {
            items.append(try parseValue(depth: depth + 1))
            s.skipSpaces()
            if s.consume(",") {
                s.skipSpaces()
                if close == Byte.closeParen, s.consume(closer) { return items }
                continue
            }
            try s.expect(closer, "',' or '\(closer)'")
            return items
        }
    }

    /// A number; or, when more follows before the end of the value, an inline tensor repr
    /// (` 0.3834  0.7570 [ CPUFloatType{2} ]`, `0.01 *  6.7810 ...`).
    mutating func parseNumberOrTensor(from start: Int) throws -> TSAttributeValue {
        let number = try s.readNumber()
        let end = s.pos
        s.skipSpaces()
        if let b = s.peek, b != Byte.comma, b != Byte.closeBracket, b != Byte.closeParen, b != Byte.newline {
            return .tensor(text: try scanTensorRepr(from: start))
        }
        s.pos = end
        return number
    }

    /// `annotate(List[int], [])`.
    mutating func parseAnnotate(depth: Int) throws -> TSAttributeValue {
        s.pos += "annotate(".utf8.count
        s.skipSpaces()
        let typeStart = s.pos
        var nesting = 0
        while let b = s.peek, b != Byte.newline, !(nesting == 0 && (b == Byte.comma || b == Byte.closeParen)) {
            if b == Byte.openBracket || b == Byte.openParen { nesting += 1 }
            if b == Byte.closeBracket || b == Byte.closeParen { nesting -= 1 }
            s.pos += 1
        }
        let type = s.text(trimmed(typeStart..<s.pos))
        guard !type.isEmpty else { throw s.expected("a type in annotate(...)") }
        try s.expect(",", "',' after the annotated type")
        let value = try parseValue(depth: depth + 1)
        s.skipSpaces()
        try s.expect(")", "')' closing annotate(...)")
        return .annotated(type: type, value)
    }

    /// `[<Tensors>]` and other bracketed values kept as text.
    mutating func scanOpaque() throws -> TSAttributeValue {
        let start = s.pos
        s.pos = try s.endOfBalanced(from: start)
        return .opaque(s.text(start..<s.pos))
    }

    /// An inline tensor repr from `start` to the end of its `[ CPUFloatType{...} ]` tag, found by bracket depth
    /// (`(1,.,.) = ` slice headers hold commas inside parentheses).
    mutating func scanTensorRepr(from start: Int) throws -> String {
        var p = start
        var parens = 0
        while let b = s.byte(at: p), b != Byte.newline, b != Byte.quote {
            if b == Byte.openBracket, parens == 0 {
                s.pos = try s.endOfBalanced(from: p)
                return s.text(start..<s.pos)
            }
            if b == Byte.openParen { parens += 1 }
            if b == Byte.closeParen {
                guard parens > 0 else { break }
                parens -= 1
            }
            if parens == 0, b == Byte.comma || b == Byte.closeBracket { break }
            p += 1
        }
        s.pos = p
        throw s.expected("a tensor repr ending in '[ CPUFloatType{...} ]'")
    }

    /// `[ CPUFloatType{0} ]`: the tag alone, as printed for an empty tensor.
    func isTensorTag(at offset: Int) -> Bool {
        var p = offset + 1
        while s.byte(at: p) == Byte.space { p += 1 }
        let wordStart = p
        while let b = s.byte(at: p), Byte.isIdentifier(b) { p += 1 }
        return p > wordStart && s.byte(at: p) == Byte.openBrace
    }

    /// `(1,.,.) = `: the slice header of a multi-dimensional tensor repr (a tuple prints `, ` between items).
    func isSliceHeader(at offset: Int) -> Bool {
        var p = offset + 1
        while let b = s.byte(at: p), Byte.isDigit(b) || b == Byte.comma { p += 1 }
        return p > offset + 2 && s.byte(at: p - 1) == Byte.comma && s.byte(at: p) == Byte.dot
    }

    func nextNonSpace(after offset: Int) -> UInt8? {
        var p = offset + 1
        while s.byte(at: p) == Byte.space { p += 1 }
        return s.byte(at: p)
    }
}
