import CLibXML2
import Foundation

/// A parsed XML file (libxml2 tree, network access forbidden). Elements borrow from it.
final class XMLDocument {
    private let doc: xmlDocPtr

    /// Parses `path`; errors carry libxml2's message and line.
    init(path: String) throws {
        xmlResetLastError()
        // BIG_LINES: without it libxml2 reports every line past 65535 as 65535.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue)
        guard let doc = xmlReadFile(path, nil, options) else {
            var reason = "not well-formed XML"
            if let e = xmlGetLastError(), let m = e.pointee.message {
                let text = String(cString: m).trimmingCharacters(in: .whitespacesAndNewlines)
                reason = e.pointee.line > 0 ? "line \(e.pointee.line): \(text)" : text
            }
            throw XMLParseError(path: path, reason: reason)
        }
        self.doc = doc
    }

    deinit { xmlFreeDoc(doc) }

    /// The root element, if any.
    var root: XMLElement? {
        xmlDocGetRootElement(doc).map { XMLElement(node: $0, owner: self) }
    }
}

/// One element of an `XMLDocument`.
struct XMLElement {
    let node: xmlNodePtr
    let owner: XMLDocument

    var name: String { String(cString: node.pointee.name) }

    /// The source line, for error messages.
    var line: Int { Int(xmlGetLineNo(node)) }

    /// Child elements in document order.
    var children: [XMLElement] {
        var out: [XMLElement] = []
        var cur = node.pointee.children
        while let c = cur {
            if c.pointee.type == XML_ELEMENT_NODE { out.append(XMLElement(node: c, owner: owner)) }
            cur = c.pointee.next
        }
        return out
    }

    /// Child elements called `name`.
    func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }

    /// The first child element called `name`.
    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }

    /// Attributes in document order.
    var attributes: [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        var cur = node.pointee.properties
        while let a = cur {
            out.append((String(cString: a.pointee.name), Self.text(of: a.pointee.children)))
            cur = a.pointee.next
        }
        return out
    }

    /// The value of attribute `name`.
    func attribute(_ name: String) -> String? {
        attributes.first { $0.key == name }?.value
    }

    /// The concatenated text of a node list (an attribute's value, an element's content).
    static func text(of list: xmlNodePtr?) -> String {
        var bytes: [UInt8] = []
        var cur = list
        while let n = cur {
            if n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE, let c = n.pointee.content {
                var p = c
                while p.pointee != 0 { bytes.append(p.pointee); p += 1 }
            }
            cur = n.pointee.next
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The element's text content (direct text children).
    var text: String { Self.text(of: node.pointee.children) }
}

/// An XML file that libxml2 could not parse.
struct XMLParseError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}
