import XCTest
@testable import OVConvertKit

/// Python literals as Ultralytics `str()`s its export metadata into ONNX `metadata_props`.
final class PythonLiteralTests: XCTestCase {
    private func parse(_ text: String) throws -> PythonLiteral {
        try PythonLiteral(parsing: text)
    }

    /// Asserts that `text` is refused at character offset `offset` (0-based) with a message containing `message`.
    private func assertMalformed(_ text: String, at offset: Int, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PythonLiteral(parsing: text), "'\(text)'", file: file, line: line) { error in
            guard let e = error as? PythonLiteral.ParseError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(e.offset, offset, "'\(text)': \(e)", file: file, line: line)
            XCTAssertTrue(e.message.contains(message), "'\(text)': \(e)", file: file, line: line)
            XCTAssertEqual(e.description, "at character \(offset + 1): \(e.message)", file: file, line: line)
        }
    }

    func testScalars() throws {
        XCTAssertEqual(try parse("32"), .int(32))
        XCTAssertEqual(try parse("-7"), .int(-7))
        XCTAssertEqual(try parse("0.25"), .float(0.25))
        XCTAssertEqual(try parse("1e-3"), .float(0.001))
        XCTAssertEqual(try parse("-2.5E2"), .float(-250))
        XCTAssertEqual(try parse("1.0"), .float(1))
        XCTAssertEqual(try parse("inf"), .float(.infinity))
        XCTAssertEqual(try parse("True"), .bool(true))
        XCTAssertEqual(try parse("False"), .bool(false))
        XCTAssertEqual(try parse("None"), .none)
        XCTAssertEqual(try parse("  'detect'\n"), .string("detect"), "surrounding whitespace")
        // an int and a float of the same value are different literals
        XCTAssertNotEqual(try parse("1"), try parse("1.0"))
        // Python spells them capitalized; JSON's spellings are not Python literals
        assertMalformed("true", at: 0, "'true' is not a Python literal")
        assertMalformed("null", at: 0, "'null' is not a Python literal")
    }

    func testStringsWithEscapesAndBothQuotes() throws {
        XCTAssertEqual(try parse(#"'traffic light'"#), .string("traffic light"))
        XCTAssertEqual(try parse(#""it's""#), .string("it's"), "a single quote inside double quotes")
        XCTAssertEqual(try parse(#"'say "hi"'"#), .string(#"say "hi""#), "double quotes inside single quotes")
        XCTAssertEqual(try parse(#"'it\'s'"#), .string("it's"))
        XCTAssertEqual(try parse(#""a \"b\"""#), .string(#"a "b""#))
        XCTAssertEqual(try parse(#"'a\\b'"#), .string(#"a\b"#))
        XCTAssertEqual(try parse(#"'1\t2\n3\r'"#), .string("1\t2\n3\r"))
        // \x41 = A, \u00e9 = é, \U0001F600 = 😀
        XCTAssertEqual(try parse(#"'\x41\u00e9\U0001F600'"#), .string("Aé😀"))
        XCTAssertEqual(try parse("'café'"), .string("café"), "non-ASCII as is")
        XCTAssertEqual(try parse("''"), .string(""))
        // separators inside a string are text
        XCTAssertEqual(try parse("'a, b: {c}'"), .string("a, b: {c}"))
    }

    func testListsTuplesAndDicts() throws {
        XCTAssertEqual(try parse("[640, 640]"), .list([.int(640), .int(640)]))
        XCTAssertEqual(try parse("(1, 2)"), .list([.int(1), .int(2)]), "a tuple reads as a list")
        XCTAssertEqual(try parse("(17,)"), .list([.int(17)]), "a one-element tuple")
        XCTAssertEqual(try parse("[1, 2,]"), .list([.int(1), .int(2)]), "a trailing comma")
        XCTAssertEqual(try parse("[]"), .list([]))
        XCTAssertEqual(try parse("{ }"), .dict([]))
        XCTAssertEqual(try parse("{0: 'person', 1: 'bicycle'}"), .dict([(.int(0), .string("person")), (.int(1), .string("bicycle"))]))
        // a dict keeps its order as written
        XCTAssertNotEqual(try parse("{1: 'b', 0: 'a'}"), try parse("{0: 'a', 1: 'b'}"))
        XCTAssertEqual(try parse("{'batch': 1, 'half': False, 'nms': True, 'conf': None}"),
                       .dict([(.string("batch"), .int(1)), (.string("half"), .bool(false)), (.string("nms"), .bool(true)), (.string("conf"), .none)]))
    }

    func testNesting() throws {
        let value = try parse("{'kpt_shape': [17, 3], 'sizes': ((1, 2), [3.5]), 'inner': {'x': {'y': None}},}")
        XCTAssertEqual(value, .dict([
            (.string("kpt_shape"), .list([.int(17), .int(3)])),
            (.string("sizes"), .list([.list([.int(1), .int(2)]), .list([.float(3.5)])])),
            (.string("inner"), .dict([(.string("x"), .dict([(.string("y"), .none)]))])),
        ]))
        XCTAssertEqual(value["kpt_shape"], .list([.int(17), .int(3)]))
        XCTAssertEqual(value["inner"]?["x"]?["y"], PythonLiteral.none)
        XCTAssertNil(value["missing"])
        XCTAssertNil(PythonLiteral.list([])["kpt_shape"], "only dicts have entries")
        // 64 levels are fine; the 65th is refused where it opens (offset 64)
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        XCTAssertNoThrow(try parse(deep))
        assertMalformed(String(repeating: "[", count: 65) + String(repeating: "]", count: 65), at: 64, "nested more than 64 deep")
    }

    func testIntValue() throws {
        XCTAssertEqual(PythonLiteral.int(3).intValue, 3)
        XCTAssertEqual(PythonLiteral.float(640).intValue, 640, "a whole float")
        XCTAssertNil(PythonLiteral.float(0.5).intValue)
        XCTAssertNil(PythonLiteral.float(.infinity).intValue)
        XCTAssertNil(PythonLiteral.string("3").intValue)
        XCTAssertNil(PythonLiteral.bool(true).intValue)
    }

    /// Offsets count Unicode scalars from 0; the description counts characters from 1.
    func testMalformedInputNamesWhereItStopped() {
        assertMalformed("", at: 0, "expected a value, found the end")
        assertMalformed("   ", at: 3, "expected a value, found the end")
        assertMalformed("[1, 2", at: 5, "expected ']', found the end")
        assertMalformed("[1 2]", at: 3, "expected ',' or ']'")
        assertMalformed("(1; 2)", at: 1, "'1;' is not a Python literal")
        assertMalformed("{'a' 1}", at: 5, "expected ':' in a dict")
        assertMalformed("{'a': 1 'b': 2}", at: 8, "expected ',' or '}'")
        assertMalformed("{: 1}", at: 1, "expected a value")
        assertMalformed("[1, , 2]", at: 4, "expected a value")
        assertMalformed("'abc", at: 4, "unterminated string")
        assertMalformed("'abc\\", at: 5, "unterminated string")
        assertMalformed(#"'\x4'"#, at: 3, #"bad \x escape"#)
        assertMalformed(#"'\uZZZZ'"#, at: 3, #"bad \u escape"#)
        assertMalformed("[1] x", at: 4, "unexpected text after the value")
        assertMalformed("1 2", at: 2, "unexpected text after the value")
        assertMalformed("[nope]", at: 1, "'nope' is not a Python literal")
        assertMalformed("{0: 'é', 1: bad}", at: 12, "'bad' is not a Python literal")
    }
}
