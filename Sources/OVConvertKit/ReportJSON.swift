import Foundation
import OVIR

/// The conversion report as JSON (`--report FILE`): what the summary prints, for build pipelines to read —
/// the model's interface, layers, files, time per phase and per pass, and what --half, --nms and --verify did.
/// Keys sorted, so the same conversion gives the same text but for the times.
public struct ReportJSON {
    public let report: ConversionReport

    public init(_ report: ConversionReport) {
        self.report = report
    }

    /// The JSON text (pretty-printed, keys sorted, a final newline).
    public func text() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    var object: [String: Any] {
        let r = report
        func port(_ p: ConversionReport.Port) -> [String: Any] {
            ["name": p.name, "element_type": "\(p.type.elementType)", "shape": Self.shape(p.type.shape)]
        }
        var o: [String: Any] = [
            "ovconvert": OVConvertVersion.current,
            "model": r.model,
            "output_folder": r.outputFolder,
            "inputs": r.inputs.map(port),
            "outputs": r.outputs.map(port),
            "layers": r.layerCount,
            "op_counts": Dictionary(uniqueKeysWithValues: r.opCounts.map { ($0.op, $0.count) }),
            "files": r.files.map { ["path": $0.path, "bytes": $0.bytes] as [String: Any] },
            "deduplicated_constants": r.deduplicatedConstants,
            "warnings": r.warnings,
            "seconds": ["load": r.seconds.load, "passes": r.seconds.passes, "write": r.seconds.write, "total": r.seconds.total],
            "passes": r.passes.map { p -> [String: Any] in
                ["name": p.name, "changed": p.result.changed, "seconds": p.seconds, "skipped": p.result.skipped,
                 "rewrites": Dictionary(p.result.rewrites.map { ($0.rule, $0.count) }, uniquingKeysWith: +)]
            },
        ]
        if let half = r.half { o["half"] = ["compressed": half.compressed, "kept_in_f32": half.keptInF32] }
        if let int8 = r.int8 {
            var q: [String: Any] = ["samples": int8.samples, "ranges": int8.ranges, "quantized": int8.quantized,
                                    "kept_in_float": int8.keptFloat, "seconds": int8.seconds]
            if let a = int8.accuracy {
                q["max_drop"] = ["metric": a.metric, "samples": a.samples, "held_out": a.heldOut, "limit": a.maxDrop,
                                 "before": a.before, "after": a.after, "returned_to_float": a.returned, "ranked": a.ranked,
                                 "measured": a.measured.map { ["in_float": $0.count, "drop": $0.drop] as [String: Any] }] as [String: Any]
            }
            o["int8"] = q
        }
        if let nms = r.nms {
            o["nms"] = ["output": nms.output, "layout": nms.layout, "classes": nms.classes, "extra": nms.extra,
                        "shape_before": Self.shape(nms.before.shape), "shape_after": Self.shape(nms.after.shape),
                        "conf": nms.options.confidence, "iou": nms.options.iou, "max_det": nms.options.maxDetections,
                        "agnostic": nms.options.agnostic] as [String: Any]
        }
        if let v = r.verification {
            o["verify"] = ["passed": v.passed, "rtol": v.rtol, "atol": v.atol, "inputs": v.inputs, "notes": v.notes,
                           "outputs": v.outputs.map { ["name": $0.name, "max_abs": $0.maxAbs, "max_rel": $0.maxRel, "ok": $0.ok] as [String: Any] }]
                as [String: Any]
        }
        return o
    }

    /// A shape as a list: static dims as numbers, others as text ("?", "1..8"); a dynamic rank as null.
    static func shape(_ shape: Shape) -> Any {
        guard let dims = shape.dims else { return NSNull() }
        return dims.map { dim -> Any in dim.value.map { $0 as Any } ?? "\(dim)" }
    }
}
