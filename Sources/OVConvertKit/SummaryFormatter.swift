import Foundation
import Passes

/// The one-screen summary printed after a conversion.
public struct SummaryFormatter {
    public var verbose: Bool
    /// `--trace-rewrites`: list each rewrite rule that fired, with its count.
    public var traceRewrites: Bool
    /// Op kinds listed without `verbose`.
    let topOps = 10

    public init(verbose: Bool = false, traceRewrites: Bool = false) {
        self.verbose = verbose
        self.traceRewrites = traceRewrites
    }

    public func format(_ r: ConversionReport) -> String {
        var lines = ["ovconvert \(OVConvertVersion.current): \(r.model) → \(r.outputFolder)"]
        let width = max(r.inputs.map(\.name.count).max() ?? 0, r.outputs.map(\.name.count).max() ?? 0)
        func port(_ p: ConversionReport.Port) -> String {
            p.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(p.type.elementType) [\(p.type.shape)]"
        }
        lines += r.inputs.map { "  input   " + port($0) }
        lines += r.outputs.map { "  output  " + port($0) }
        let shown = verbose ? r.opCounts : Array(r.opCounts.prefix(topOps))
        var ops = shown.map { "\($0.op) ×\($0.count)" }.joined(separator: ", ")
        if shown.count < r.opCounts.count { ops += ", … \(r.opCounts.count - shown.count) more kinds (-v lists all)" }
        lines.append("  layers  \(r.layerCount): \(ops)")
        var files = r.files.map { "\(($0.path as NSString).lastPathComponent) \(Self.bytes($0.bytes))" }.joined(separator: ", ")
        if r.deduplicatedConstants > 0 { files += " (\(r.deduplicatedConstants) duplicate constants stored once)" }
        lines.append("  wrote   \(files)")
        if let nms = r.nms {
            let o = nms.options
            lines.append("  nms     '\(nms.output)' \(nms.layout) head [\(nms.before.shape)], \(nms.classes) classes"
                + (nms.extra > 0 ? " + \(nms.extra) extra channels" : "") + " → [\(nms.after.shape)]: conf \(o.confidence), "
                + "iou \(o.iou), max_det \(o.maxDetections)" + (o.agnostic ? ", class-agnostic" : ", per class"))
        }
        if let half = r.half {
            let kept = half.keptInF32.count
            lines.append("  half    \(half.compressed) weight\(half.compressed == 1 ? "" : "s") stored as f16" + (kept == 0 ? "" : ", \(kept) kept in f32:"))
            lines += half.keptInF32.map { "  half    kept " + $0 }
        }
        if let int8 = r.int8 {
            lines.append("  int8    \(int8.quantized) nodes quantized, calibrated on \(int8.samples) sample\(int8.samples == 1 ? "" : "s") "
                + "(\(int8.ranges) ranges)" + (int8.keptFloat.isEmpty ? "" : ", \(int8.keptFloat.count) kept in float" + (verbose ? ":" : " (-v lists them)")))
            if verbose { lines += int8.keptFloat.map { "  int8    kept " + $0 } }
            if let a = int8.accuracy {
                let on = "\(a.samples) \(a.heldOut ? "held-out" : "calibration") sample\(a.samples == 1 ? "" : "s")"
                var line = "  int8    --int8-max-drop \(a.maxDrop): \(a.metric) drop \(Self.fixed(a.before)) on \(on)"
                if !a.returned.isEmpty {
                    line += "; \(a.returned.count) of \(a.ranked) nodes returned to float (most sensitive first: "
                        + a.returned.map { "'\($0)'" }.joined(separator: ", ") + "): drop \(Self.fixed(a.after))"
                }
                lines.append(line)
                if verbose, !a.measured.isEmpty {
                    lines.append("  int8    --int8-max-drop measured (most sensitive in float: drop): "
                        + a.measured.map { "\($0.count): \(Self.fixed($0.drop))" }.joined(separator: ", "))
                }
            }
        }
        if verbose {
            for pass in r.passes {
                lines.append("  pass    \(pass.name): \(pass.result.changed ? "changed the graph" : "no change")"
                    + String(format: " (%.3f s)", pass.seconds))
                // --half's kept constants are listed above.
                if pass.name == CompressWeightsToFP16().name || (pass.name == "QuantizeINT8" && r.int8 != nil) { continue }
                lines += pass.result.skipped.map { "  pass    \(pass.name) skipped \($0)" }
            }
        }
        if traceRewrites {
            let fired = r.passes.flatMap { pass in pass.result.rewrites.map { "\(pass.name)/\($0.rule) ×\($0.count)" } }
            lines.append("  rewrite " + (fired.isEmpty ? "no rule fired" : fired.joined(separator: ", ")))
        }
        if let v = r.verification {
            if verbose { lines += v.inputs.map { "  verify  input \($0)" } }
            lines += v.notes.map { "  verify  note: \($0)" }
            lines += v.lines().map { "  verify  " + $0 }
        }
        var time = String(format: "  time    %.3f s", r.seconds.total)
        if verbose {
            time += String(format: " (load %.3f s, passes %.3f s, write %.3f s)", r.seconds.load, r.seconds.passes, r.seconds.write)
        }
        lines.append(time)
        return lines.joined(separator: "\n")
    }

    /// `0.0123`.
    static func fixed(_ x: Double) -> String { String(format: "%.4f", x) }

    /// `512 B`, `61.2 KB`, `245.1 MB`.
    static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        if n < 1024 * 1024 { return String(format: "%.1f KB", Double(n) / 1024) }
        if n < 1024 * 1024 * 1024 { return String(format: "%.1f MB", Double(n) / 1048576) }
        return String(format: "%.2f GB", Double(n) / 1073741824)
    }
}
