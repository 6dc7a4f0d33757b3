import Foundation
import OVIR
import Passes
import Yams

/// What makes a converted detector ready to deploy: `--nms` (final detections inside the model) and the
/// Ultralytics-loadable folder (`metadata.yaml` beside the XML, rt_info `model_info`), from the source's
/// Ultralytics metadata, else from `--names`, else numbered classes.
struct DetectorExport {
    let options: ConversionOptions
    /// The source's Ultralytics metadata: an ONNX export's `metadata_props`, or the `metadata.yaml` beside an IR.
    let source: UltralyticsMetadata?
    /// Class names: `--names`, else the source's.
    let names: [(index: Int, name: String)]?

    init(options: ConversionOptions, imported: ImportedModel) throws {
        self.options = options
        // An IR's metadata.yaml describes that IR (its --names, its end2end after --nms); its rt_info only records
        // the metadata of the framework model it was first converted from.
        var source = imported.format == "openvino_ir" ? try Self.metadataBeside(options.modelPath) : nil
        if source == nil { source = UltralyticsMetadata(metadata: imported.metadata) }
        self.source = source
        names = try options.namesFile.map { try ClassNames.read(path: $0) } ?? source?.names
    }

    /// Whether the folder gets a `metadata.yaml`: for Ultralytics exports, and whenever `--nms` or `--names` is given.
    var writesMetadata: Bool { source != nil || options.nms != nil || options.namesFile != nil }

    /// Inserts the NMS graph when `--nms` asks for it; refusals name the output, its shape and why.
    func insertNMS(into graph: Graph) throws -> ConversionReport.NMS? {
        guard var nms = options.nms else { return nil }
        let path = options.modelPath
        if let source, source.isEndToEnd {
            throw ConversionFailure(.nmsNotApplicable, "\(path): --nms: the model's metadata says its head already ends in "
                + "final detections (end2end or nms), so there is nothing to suppress")
        }
        if let task = source?.task, !["detect", "segment", "pose"].contains(task) {
            throw ConversionFailure(.nmsNotApplicable, "\(path): --nms: the model's task is '\(task)'; NMS applies to "
                + "detect, segment and pose models" + (task == "obb" ? " (rotated boxes need rotated IoU)" : ""))
        }
        nms.classCount = nms.classCount ?? names?.count
        let head: DetectionHead
        do {
            head = try DetectionHead.find(in: graph, layout: nms.layout, classCount: nms.classCount)
        } catch let e as NMSRefusal {
            throw ConversionFailure(.nmsNotApplicable, "\(path): --nms: \(e.message)")
        }
        let before = head.prediction.type
        do {
            try InsertNMS(nms).insert(at: head, in: graph)
        } catch let e as GraphError {
            throw ConversionFailure(.badNode, "\(path): --nms: while inserting NMS after output '\(head.result.name)': \(e)")
        }
        return ConversionReport.NMS(output: head.result.name, before: before, after: head.result.inputs[0].type,
                                    layout: head.layout.rawValue, classes: head.classes, extra: head.extra, options: nms)
    }

    /// The `metadata.yaml` of the written folder: the source's entries, with what this conversion changed.
    func metadata(for graph: Graph, nms: ConversionReport.NMS?) -> UltralyticsMetadata {
        var meta = source ?? UltralyticsMetadata()
        if source == nil {
            meta.set("description", .string("\(options.stem) converted by ovconvert"))
            meta.set("author", .string("ovconvert"))
            meta.set("version", .string(OVConvertVersion.current))
            meta.set("stride", .int(32))
            meta.set("task", .string("detect"))
        }
        let image = graph.parameters.first { $0.outputTypes[0].shape.rank == 4 }?.outputTypes[0].shape.dims
        let dynamic = image.map { $0.contains { $0.value == nil } } ?? false
        let batch = image?[0].value ?? meta["batch"]?.intValue ?? 1
        meta.set("batch", .int(batch))
        if let h = image?[2].value, let w = image?[3].value {
            meta.set("imgsz", .list([.int(h), .int(w)]))
        } else if meta["imgsz"] == nil {
            meta.set("imgsz", .list([.int(640), .int(640)]))
        }
        // A model that already ends in NMS (re-processing an --nms IR) keeps saying so.
        let endToEnd = nms != nil || source?.isEndToEnd == true || graph.nodes.contains { DetectionHead.nmsOpTypes.contains($0.op.typeName) }
        let classNames = names ?? (0..<(nms?.classes ?? 0)).map { ($0, "class\($0)") }
        meta.set("names", .dict(classNames.map { (.int($0.index), .string($0.name)) }))
        var args: [(key: PythonLiteral, value: PythonLiteral)] = []
        if case .dict(let pairs)? = meta["args"] { args = pairs }
        for (key, value) in [("batch", PythonLiteral.int(batch)), ("half", .bool(options.half)), ("int8", .bool(false)),
                             ("dynamic", .bool(dynamic)), ("nms", .bool(endToEnd))] {
            if let i = args.firstIndex(where: { $0.key == .string(key) }) { args[i].value = value } else { args.append((.string(key), value)) }
        }
        meta.set("args", .dict(args))
        meta.set("channels", .int(image?[1].value ?? meta["channels"]?.intValue ?? 3))
        meta.set("end2end", .bool(endToEnd))
        return meta
    }

    /// Model rt_info `model_info` as Ultralytics' OpenVINO export writes it (OpenVINO's model API reads it).
    func recordModelInfo(_ graph: Graph, _ meta: UltralyticsMetadata, nms: ConversionReport.NMS?) {
        let labels = (meta.names ?? []).map { $0.name.replacingOccurrences(of: " ", with: "_") }.joined(separator: " ")
        var info: [(String, String)] = [("model_type", "YOLO"), ("reverse_input_channels", "YES"), ("pad_value", "114"),
                                        ("scale_values", "255"), ("labels", labels)]
        if meta.task != "classify" { info.append(("resize_type", "fit_to_window_letterbox")) }
        if let nms {
            info.append(("iou_threshold", "\(nms.options.iou)"))
            info.append(("confidence_threshold", "\(nms.options.confidence)"))
        }
        for (k, v) in info { graph.rtInfo.set(["model_info", k], .value(v)) }
    }

    /// An Ultralytics export folder's `metadata.yaml` beside the IR, if there is one.
    private static func metadataBeside(_ xmlPath: String) throws -> UltralyticsMetadata? {
        let path = ((xmlPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("metadata.yaml")
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let text = String(data: data, encoding: .utf8), let node = try? Yams.compose(yaml: text), case .mapping(let pairs) = node else {
            throw ConversionFailure(.badModelFile, "\(path): not a YAML mapping of Ultralytics metadata")
        }
        let meta = UltralyticsMetadata(entries: pairs.map { (key, value) in (key.string ?? "", literal(value)) })
        return meta.names == nil ? nil : meta
    }

    /// A YAML value as the literal Ultralytics' metadata would hold.
    private static func literal(_ node: Yams.Node) -> PythonLiteral {
        switch node {
        case .scalar:
            if let i = node.int { return .int(i) }
            if let b = node.bool { return .bool(b) }
            if let d = node.float { return .float(d) }
            if node.null != nil { return .none }
            return .string(node.string ?? "")
        case .sequence(let items): return .list(items.map(literal))
        case .mapping(let pairs): return .dict(pairs.map { (literal($0.key), literal($0.value)) })
        case .alias: return .none
        }
    }
}
