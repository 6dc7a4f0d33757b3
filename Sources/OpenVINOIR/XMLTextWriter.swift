import CLibXML2
import Foundation

/// A thin wrapper over libxml2's `xmlTextWriter` that builds an indented UTF-8 document in memory.
final class XMLTextWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() throws {
        guard let buffer = xmlBufferCreate() else { throw XMLWriteError("cannot allocate an XML buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw XMLWriteError("cannot create an XML writer")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        try check(Self.withXMLChar("\t") { xmlTextWriterSetIndentString(writer, $0) }, "indent")
        try check(xmlTextWriterStartDocument(writer, "1.0", nil, nil), "start document")
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    /// Opens `<name>`.
    func start(_ name: String) throws {
        try check(Self.withXMLChar(name) { xmlTextWriterStartElement(writer, $0) }, "<\(name)>")
    }

    /// Adds an attribute to the open element (escaped by libxml2).
    func attribute(_ name: String, _ value: String) throws {
        let rc = Self.withXMLChar(name) { n in Self.withXMLChar(value) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
        try check(rc, "attribute \(name)")
    }

    /// Writes text content into the open element.
    func text(_ value: String) throws {
        try check(Self.withXMLChar(value) { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    /// Closes the innermost open element (`<x/>` when it has no content).
    func end() throws {
        try check(xmlTextWriterEndElement(writer), "end element")
    }

    /// Writes `<name a="..." .../>`.
    func empty(_ name: String, _ attributes: [(String, String)]) throws {
        try start(name)
        for (k, v) in attributes { try attribute(k, v) }
        try end()
    }

    /// Closes the document and returns its bytes.
    func finish() throws -> [UInt8] {
        try check(xmlTextWriterEndDocument(writer), "end document")
        try check(xmlTextWriterFlush(writer), "flush")
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    private func check(_ rc: Int32, _ what: String) throws {
        if rc < 0 { throw XMLWriteError("libxml2 failed to write \(what)") }
    }

    static func withXMLChar<R>(_ s: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
        s.withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: 1, body) }
    }
}

/// libxml2 refused to write part of a document.
struct XMLWriteError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
