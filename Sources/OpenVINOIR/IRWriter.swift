import Foundation
import OVIR

/// Serializes a `Graph` as OpenVINO IR v11: an XML file and a BIN file with the Const bytes.
/// The output depends only on the graph, so writing twice gives identical bytes.
public struct IRWriter {
    public init() {}

    /// Writes `graph` to `xmlURL` and its weights to `binURL`, streaming Const bytes to the BIN (those of body
    /// graphs too, into the same BIN).
    @discardableResult
    public func write(_ graph: Graph, xmlURL: URL, binURL: URL) throws -> IRWriteSummary {
        let numbering = LayerNumbering(graph)
        var tensors: [Tensor] = []
        graph.walk { g, _ in tensors += g.nodes.compactMap { ($0.op as? Constant)?.tensor } }
        try Self.refuseToOverwriteMappedWeights(tensors, binURL: binURL)

        let session = Session(w: try XMLTextWriter(), bin: try BinWriter(path: binURL.path))
        let xml = try xmlBytes(graph, numbering: numbering, session: session)
        try session.bin.close()
        do {
            try Data(xml).write(to: xmlURL)
        } catch {
            throw IRWriteError(path: xmlURL.path, error: error)
        }
        return IRWriteSummary(xmlBytes: xml.count, binBytes: session.bin.size, constants: session.constants,
                              deduplicatedConstants: session.bin.deduplicated, numbering: numbering)
    }

    /// One write: the XML being built, the BIN being filled (in layer order, bodies where their layer is), and the
    /// number of Const layers written.
    final class Session {
        let w: XMLTextWriter
        let bin: BinWriter
        var constants = 0

        init(w: XMLTextWriter, bin: BinWriter) {
            self.w = w
            self.bin = bin
        }
    }

    /// The XML document; Const bytes go to the session's BIN as their layers are written.
    func xmlBytes(_ graph: Graph, numbering: LayerNumbering, session: Session) throws -> [UInt8] {
        let w = session.w
        try w.start("net")
        try w.attribute("name", graph.name)
        try w.attribute("version", "11")
        try writeContents(of: graph, numbering: numbering, session: session)
        try w.end()
        return try w.finish()
    }

    /// `<layers>`, `<edges>` and `<rt_info>` of a model or a body.
    func writeContents(of graph: Graph, numbering: LayerNumbering, session: Session) throws {
        let w = session.w
        try w.start("layers")
        for (id, node) in numbering.layers.enumerated() {
            try writeLayer(node, id: id, numbering: numbering, session: session)
        }
        try w.end()

        try w.start("edges")
        for (id, node) in numbering.layers.enumerated() {
            for (port, input) in node.inputs.enumerated() {
                guard let from = numbering.layerID(of: input.node) else {
                    throw GraphError(node: node.name, "input \(port) comes from '\(input.node.name)', which is not serialized")
                }
                try w.empty("edge", [("from-layer", String(from)), ("from-port", String(numbering.portID(of: input))),
                                     ("to-layer", String(id)), ("to-port", String(port))])
            }
        }
        try w.end()

        try w.start("rt_info")
        for entry in graph.rtInfo.entries { try writeModelRTInfo(entry, to: w) }
        try w.end()
    }

    /// A `<layer>`. An op owning bodies is written as OpenVINO's serializer writes it: its port maps (and a Loop's
    /// back edges) first, no `<data>`, its bodies last.
    private func writeLayer(_ node: Node, id: Int, numbering: LayerNumbering, session: Session) throws {
        let w = session.w
        try w.start("layer")
        try w.attribute("id", String(id))
        try w.attribute("name", node.name)
        try w.attribute("type", node.op.typeName)
        try w.attribute("version", node.op.opsetName)

        let bodies = node.subgraphs.map(LayerNumbering.init)
        try writePortMaps(node, bodies: bodies, to: w)

        if let constant = node.op as? Constant {
            let t = constant.tensor
            let blob = try session.bin.append(t)
            session.constants += 1
            try w.empty("data", [("element_type", t.elementType.rawValue),
                                 ("shape", t.dims.map(String.init).joined(separator: ",")),
                                 ("offset", String(blob.offset)), ("size", String(blob.size))])
        } else {
            let attributes = node.op.attributes
            if !attributes.isEmpty || node.op is Parameter { try w.empty("data", attributes) }
        }

        // OpenVINO moves a Loop's <input> before its rt_info.
        let inputFirst = node.op is Loop
        if inputFirst { try writeInputPorts(node, to: w) }
        if !node.rtInfo.isEmpty {
            try w.start("rt_info")
            for a in node.rtInfo {
                try w.empty("attribute", [("name", a.name), ("version", a.version)] + a.values.map { ($0.key, $0.value) })
            }
            try w.end()
        }
        if !inputFirst { try writeInputPorts(node, to: w) }

        if node.outputCount > 0 {
            try w.start("output")
            for (i, type) in node.outputTypes.enumerated() {
                try w.start("port")
                try w.attribute("id", String(numbering.portID(of: node.output(i))))
                try w.attribute("precision", type.elementType.precision)
                let names = node.tensorNames[i]
                if !names.isEmpty { try w.attribute("names", TensorNameList.encode(names)) }
                for dim in type.shape.dims ?? [] {
                    try w.start("dim")
                    try w.text(String(dim.portValue))
                    try w.end()
                }
                try w.end()
            }
            try w.end()
        }

        for ((body, numbering), name) in zip(zip(node.subgraphs, bodies), node.subgraphNames) {
            try w.start(name)
            if !body.name.isEmpty { try w.attribute("name", body.name) }
            try writeContents(of: body, numbering: numbering, session: session)
            try w.end()
        }
        try w.end()
    }

    private func writeInputPorts(_ node: Node, to w: XMLTextWriter) throws {
        guard !node.inputs.isEmpty else { return }
        try w.start("input")
        for k in node.inputs.indices { try w.empty("port", [("id", String(k))]) }
        try w.end()
    }

    /// `<key value="..."/>` for a value, a nested element for a map; keys that are not XML names
    /// become `<info name="key" .../>`.
    private func writeModelRTInfo(_ entry: RTInfoEntry, to w: XMLTextWriter) throws {
        if XMLTagName.isValid(entry.key) {
            try w.start(entry.key)
        } else {
            try w.start("info")
            try w.attribute("name", entry.key)
        }
        switch entry.value {
        case .value(let v): try w.attribute("value", v)
        case .map(let children): for c in children { try writeModelRTInfo(c, to: w) }
        }
        try w.end()
    }

    /// Writing over the BIN that Const tensors are mapped from would truncate it under them.
    private static func refuseToOverwriteMappedWeights(_ tensors: [Tensor], binURL: URL) throws {
        var target = stat()
        guard stat(binURL.path, &target) == 0 else { return }
        for t in tensors {
            guard case .mapped(let file, _) = t.storage else { continue }
            var source = stat()
            if stat(file.path, &source) == 0, source.st_dev == target.st_dev, source.st_ino == target.st_ino {
                throw IRWriteError(path: binURL.path, reason: "is the file the graph's weights are mapped from; write to another path")
            }
        }
    }
}
