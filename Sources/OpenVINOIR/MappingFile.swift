import Foundation
import OVIR

/// The legacy Model Optimizer `NAME.mapping` file: which IR layer output holds each framework tensor.
public struct MappingFile: Equatable {
    /// One `<map>`: a framework tensor and the IR output port that carries it.
    public struct Entry: Equatable, CustomStringConvertible {
        public var frameworkName: String
        public var frameworkPort: Int
        public var irName: String
        public var irPort: Int
        public var irLayerID: Int

        public init(frameworkName: String, frameworkPort: Int, irName: String, irPort: Int, irLayerID: Int) {
            self.frameworkName = frameworkName
            self.frameworkPort = frameworkPort
            self.irName = irName
            self.irPort = irPort
            self.irLayerID = irLayerID
        }

        public var description: String { "\(frameworkName):\(frameworkPort) -> \(irName) (layer \(irLayerID), port \(irPort))" }
    }

    /// A framework tensor: the producing framework node/tensor name and its output index.
    public struct FrameworkTensor: Equatable {
        public var name: String
        public var port: Int

        public init(name: String, port: Int) {
            self.name = name
            self.port = port
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// One entry for every tensor name on a serialized output port that `framework` knows
    /// (keyed by tensor name), sorted by framework name, then framework port, then IR layer and port.
    public init(numbering: LayerNumbering, framework: [String: FrameworkTensor]) {
        var entries: [Entry] = []
        for (layerID, node) in numbering.layers.enumerated() {
            for output in node.outputs {
                for name in output.names {
                    guard let f = framework[name] else { continue }
                    entries.append(Entry(frameworkName: f.name, frameworkPort: f.port, irName: node.name,
                                         irPort: numbering.portID(of: output), irLayerID: layerID))
                }
            }
        }
        self.entries = entries.sorted {
            ($0.frameworkName, $0.frameworkPort, $0.irLayerID, $0.irPort) < ($1.frameworkName, $1.frameworkPort, $1.irLayerID, $1.irPort)
        }
    }

    /// The file's bytes: `<?xml version="1.0"?>` and `<mapping>` with one `<map>` per entry.
    public func xmlBytes() throws -> [UInt8] {
        let w = try XMLTextWriter()
        try w.start("mapping")
        for e in entries {
            try w.start("map")
            try w.empty("framework", [("name", e.frameworkName), ("out_port_id", String(e.frameworkPort))])
            try w.empty("IR", [("name", e.irName), ("out_port_id", String(e.irPort)), ("id", String(e.irLayerID))])
            try w.end()
        }
        try w.end()
        return try w.finish()
    }

    /// Writes the file to `url`.
    public func write(to url: URL) throws {
        try Data(try xmlBytes()).write(to: url)
    }

    /// Reads a mapping file written in this layout.
    public static func read(from url: URL) throws -> MappingFile {
        let doc: XMLDocument
        do { doc = try XMLDocument(path: url.path) } catch let e as XMLParseError {
            throw IRReadError(file: url.path, e.reason)
        }
        guard let root = doc.root, root.name == "mapping" else { throw IRReadError(file: url.path, "the root element is not <mapping>") }
        return MappingFile(entries: try root.children("map").map { map in
            func attribute(_ element: String, _ key: String) throws -> String {
                guard let v = map.child(element)?.attribute(key) else {
                    throw IRReadError(file: url.path, "<map> on line \(map.line) has no \(element)/@\(key)")
                }
                return v
            }
            func int(_ element: String, _ key: String) throws -> Int {
                let text = try attribute(element, key)
                guard let v = Int(text) else { throw IRReadError(file: url.path, "<map> on line \(map.line): bad \(element)/@\(key) '\(text)'") }
                return v
            }
            return Entry(frameworkName: try attribute("framework", "name"), frameworkPort: try int("framework", "out_port_id"),
                         irName: try attribute("IR", "name"), irPort: try int("IR", "out_port_id"), irLayerID: try int("IR", "id"))
        })
    }
}
