import Foundation
import OVIR

/// Reads OpenVINO IR (v10/v11 XML plus BIN) into a `Graph`. Const tensors are slices of the
/// memory-mapped BIN; ops are built through `registry`.
public struct IRReader {
    public var registry: OpRegistry

    public init(registry: OpRegistry = .builtin) {
        self.registry = registry
    }

    /// Reads `xmlURL`; weights come from `binURL`, by default the XML path with a `.bin` extension.
    /// The BIN is opened only when the model has a Const.
    public func read(xmlURL: URL, binURL: URL? = nil) throws -> Graph {
        let file = xmlURL.path
        let doc: XMLDocument
        do { doc = try XMLDocument(path: file) } catch let e as XMLParseError {
            throw IRReadError(file: file, e.reason)
        }
        guard let net = doc.root, net.name == "net" else { throw IRReadError(file: file, "the root element is not <net>") }
        guard let version = net.attribute("version"), version == "10" || version == "11" else {
            throw IRReadError(file: file, "unsupported IR version '\(net.attribute("version") ?? "")' (expected 10 or 11)")
        }
        let weights = IRWeights(path: (binURL ?? xmlURL.deletingPathExtension().appendingPathExtension("bin")).path)
        let (graph, _) = try IRGraphBuilder.graph(from: net, file: file, weights: weights, registry: registry)
        return graph
    }

    /// A child with `value` is a string, a child without is a map; `<info name=...>` carries its key.
    static func modelRTInfo(_ element: XMLElement) -> RTInfo {
        .map(element.children.map { child in
            let key = child.name == "info" ? child.attribute("name") ?? "info" : child.name
            if let v = child.attribute("value") { return RTInfoEntry(key: key, value: .value(v)) }
            return RTInfoEntry(key: key, value: modelRTInfo(child))
        })
    }
}

/// One `<layer>` as declared in the XML.
struct IRLayer {
    let id: Int
    let name: String
    let type: String
    let version: String
    let element: XMLElement
    /// Input port ids in operand order.
    let inputPorts: [Int]
    /// Output port ids in output order.
    let outputPorts: [Int]
    /// Tensor names per output port.
    let outputNames: [[String]]

    init(parsing element: XMLElement, file: String) throws {
        func required(_ key: String) throws -> String {
            guard let v = element.attribute(key) else {
                throw IRReadError(file: file, layerID: Int(element.attribute("id") ?? ""), layerName: element.attribute("name"),
                                  "<layer> (line \(element.line)) is missing mandatory attribute '\(key)'")
            }
            return v
        }
        let idText = try required("id")
        guard let id = Int(idText), id >= 0 else {
            throw IRReadError(file: file, layerName: element.attribute("name"), "bad layer id '\(idText)' (line \(element.line))")
        }
        self.id = id
        name = try required("name")
        type = try required("type")
        version = try required("version")
        self.element = element

        let error = { (message: String) in IRReadError(file: file, layerID: id, layerName: element.attribute("name"), message) }
        func portID(_ port: XMLElement) throws -> Int {
            guard let text = port.attribute("id"), let v = Int(text) else { throw error("a <port> (line \(port.line)) has no valid id") }
            return v
        }
        let inputs = element.child("input")?.children("port") ?? []
        let outputs = element.child("output")?.children("port") ?? []
        inputPorts = try inputs.map(portID)
        outputPorts = try outputs.map(portID)
        guard Set(inputPorts + outputPorts).count == inputPorts.count + outputPorts.count else { throw error("port ids are not unique") }
        outputNames = try outputs.map { port in
            guard let p = port.attribute("precision") else { throw error("output port \(try portID(port)) is missing mandatory attribute 'precision'") }
            guard ElementType(precision: p) != nil else { throw error("output port \(try portID(port)) has unknown precision '\(p)'") }
            return TensorNameList.decode(port.attribute("names") ?? "")
        }
    }

    /// The attributes of `<data>`, or nil when the layer has none.
    var data: [String: String]? {
        element.child("data").map { Dictionary($0.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// Layer `<rt_info><attribute name version .../>` entries.
    var rtInfo: [RTAttribute] {
        (element.child("rt_info")?.children("attribute") ?? []).map { a in
            let all = a.attributes
            return RTAttribute(name: a.attribute("name") ?? "", version: a.attribute("version") ?? "0",
                               values: all.filter { $0.key != "name" && $0.key != "version" })
        }
    }

    var isParameter: Bool { type.lowercased() == "parameter" }
    var isResult: Bool { type.lowercased() == "result" }
    var isConst: Bool { ["const", "constant"].contains(type.lowercased()) }
}
