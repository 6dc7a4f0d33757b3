import Foundation
import Passes

/// What to convert and where to write it.
public struct ConversionOptions: Sendable {
    /// The source model (`.onnx`, a TorchScript dump `.ts.txt`, or an OpenVINO IR `.xml` to re-process),
    /// recognized by its content.
    public var modelPath: String
    /// `--weights FILE`: a TorchScript dump's safetensors file, when it is not `NAME.safetensors` beside the dump.
    public var weightsPath: String?
    /// The output folder; default `<stem>_openvino_model` next to the model.
    public var outputFolder: String?
    /// Replace an existing output folder.
    public var force: Bool
    /// `--input` occurrences as given, each `NAME[1,3,640,640],[?,128],...` in ovc's syntax (see `InputShapeSpec`).
    public var input: [String]
    /// `--batch N`: dim 0 of every input.
    public var batch: Int?
    /// `--imgsz H[,W]`: height and width of the one 4-D input.
    public var imgsz: String?
    /// `--verify [--verify-tol RTOL[,ATOL]]`: read the written IR back and compare it with the source graph
    /// through the evaluator before the folder is renamed into place; nil skips verification.
    public var verify: RoundTripVerifier?
    /// `--verify-inputs in.npz`: verify on these arrays (by input name) instead of seeded random inputs;
    /// only used with `verify`.
    public var verifyInputs: String?
    /// `--half`: store f32 weights as f16 (decompressed to f32 at load), except those FP16 would damage.
    public var half = false
    /// `--nms`: final detections inside the model; nil leaves the detection output raw.
    public var nms: NMSOptions?
    /// `--int8 --data DIR`: quantize to INT8 after the passes, calibrated on samples; nil keeps FP32.
    public var int8: INT8Options?
    /// `--names FILE`: class names for `metadata.yaml` and `--nms`.
    public var namesFile: String?
    /// `--allow-newer-opset`: convert an ONNX model importing an opset newer than the translators know, as the
    /// newest they know (with a warning), instead of refusing it.
    public var allowNewerOpset = false
    /// `--max-nodes`, `--max-subgraph-depth`, `--max-fold-bytes`: what the model may make the conversion hold.
    public var limits = ConversionLimits()
    /// `--disable PASS` occurrences: passes of the standard pipeline not to run (names as `-v` prints them).
    public var disabledPasses: [String]

    public init(modelPath: String, outputFolder: String? = nil, force: Bool = false,
                input: [String] = [], batch: Int? = nil, imgsz: String? = nil, verify: RoundTripVerifier? = nil,
                verifyInputs: String? = nil, disabledPasses: [String] = []) {
        self.modelPath = modelPath
        self.outputFolder = outputFolder
        self.force = force
        self.input = input
        self.batch = batch
        self.imgsz = imgsz
        self.verify = verify
        self.verifyInputs = verifyInputs
        self.disabledPasses = disabledPasses
    }

    /// The input shapes asked for, parsed.
    func inputShapeSpec() throws -> InputShapeSpec {
        try InputShapeSpec(input: input, batch: batch, imgsz: imgsz)
    }

    /// The model's file name without its extension (`.ts.txt` counts as one): the name of the written files.
    public var stem: String {
        let name = (modelPath as NSString).lastPathComponent
        if name.hasSuffix(".ts.txt"), name.count > 7 { return String(name.dropLast(7)) }
        let ext = (name as NSString).pathExtension
        return ext.isEmpty ? name : (name as NSString).deletingPathExtension
    }

    /// The output folder actually used.
    public var resolvedOutputFolder: String {
        if let o = outputFolder { return o }
        let dir = (modelPath as NSString).deletingLastPathComponent
        return (dir as NSString).appendingPathComponent("\(stem)_openvino_model")
    }

    /// The parameters recorded in the IR's `<rt_info>` (only what the user chose, no absolute paths,
    /// so converting the same model gives the same bytes wherever it lives).
    func recordedParameters(format: String) -> [(String, String)] {
        var p = [("input_model", (modelPath as NSString).lastPathComponent), ("framework", format)]
        if !input.isEmpty { p.append(("input", input.joined(separator: ","))) }
        if let b = batch { p.append(("batch", String(b))) }
        if let s = imgsz { p.append(("imgsz", s)) }
        if half { p.append(("half", "True")) }
        if let int8 {
            p += [("int8", "True"), ("int8_ranges", int8.estimator.name)]  // int8_samples once the data is listed
            if int8.quantization.biasCorrection { p.append(("bias_correction", "True")) }
            if !int8.quantization.ignoredNames.isEmpty { p.append(("ignore", int8.quantization.ignoredNames.sorted().joined(separator: ","))) }
            if !int8.quantization.ignoredTypes.isEmpty { p.append(("ignore_types", int8.quantization.ignoredTypes.sorted().joined(separator: ","))) }
        }
        if let nms {
            p.append(("nms", "True"))
            p += [("conf", "\(nms.confidence)"), ("iou", "\(nms.iou)"), ("max_det", "\(nms.maxDetections)")]
            if nms.agnostic { p.append(("agnostic", "True")) }
            if let layout = nms.layout { p.append(("nms_layout", layout.rawValue)) }
        }
        if let names = namesFile { p.append(("names", (names as NSString).lastPathComponent)) }
        if let w = weightsPath { p.append(("weights", (w as NSString).lastPathComponent)) }
        if allowNewerOpset { p.append(("allow_newer_opset", "True")) }
        // The only limit that can change the IR (a larger value may fold more); the others refuse or do not.
        if limits.maxFoldBytes != ConversionLimits.defaultMaxFoldBytes { p.append(("max_fold_bytes", String(limits.maxFoldBytes))) }
        if !disabledPasses.isEmpty { p.append(("disable", disabledPasses.joined(separator: ","))) }
        return p
    }
}
