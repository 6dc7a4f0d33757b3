import ArgumentParser
import Calibration
import Foundation
import OVConvertKit
import Passes

/// `ovconvert [convert] MODEL [-o DIR] [--force] [--input SPEC]... [--batch N] [--imgsz H[,W]] [--verify ...] [--half] [-q|-v]`:
/// converts an ONNX model or a TorchScript graph dump to OpenVINO IR.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an ONNX model or a TorchScript graph dump (or re-process an OpenVINO IR) to OpenVINO IR v11 (XML + BIN + mapping file).",
        discussion: """
        Writes <stem>_openvino_model/ next to the model (or DIR with -o), holding <stem>.xml, <stem>.bin and \
        <stem>.mapping (ONNX tensor names → IR layer/port, in the legacy Model Optimizer layout). The folder is \
        built in a temporary folder and renamed into place at the end, so a failed conversion leaves nothing behind.

        MODEL is recognized by its content: an ONNX protobuf, a TorchScript graph dump (NAME.ts.txt: the printed \
        graph of torch.jit.freeze(torch.jit.trace(model)) or of a trace's inlined_graph, with its weights in \
        NAME.safetensors beside it or --weights FILE; Tools/export_torchscript.py writes the pair), or an OpenVINO IR .xml.

        Input shapes (ovc's syntax): --input 'images[1,3,640,640]' or --input 'a[?,128],b[1..8,..640]' \
        (dims: 3, ? or -1 dynamic, 1..8 bounded, ..640, 2..); unnamed entries like '[1,3,640,640]' apply in input \
        order; --input may repeat. --batch N sets dim 0 of every input; --imgsz H[,W] sets the height and width \
        of the one 4-D input, keeping its batch and channels. Dims the model leaves dynamic stay dynamic unless \
        given; a dim the model fixes cannot change. The shapes are checked through the whole graph and recorded \
        in the IR's rt_info (conversion_parameters).

        --verify reads the written IR back from disk and runs it and the translated source graph through the \
        reference evaluator on the same seeded random inputs (f32 uniform in [0,1), integers 0..3; dynamic dims \
        take their lower bound, or 1), printing max abs/rel error per output. It fails when any element exceeds \
        atol + rtol*|source| (default --verify-tol 1e-5,1e-6) or is NaN/Inf on one side only; the folder is then \
        not written. --verify-inputs in.npz (implies --verify) verifies on those arrays instead, one per input, \
        named after it.

        Optimization: --disable PASS skips one pass of the pipeline (repeatable; -v lists the passes and what \
        each did); --trace-rewrites lists each rewrite rule that fired (Swish, HSwish, GeluErf, ...) with its count.

        Exit codes: 0 success; 1 internal error; 3 unreadable or invalid model file \
        (including external data outside the model's folder); 4 unsupported operators (all listed at once) or an \
        ONNX opset newer than ovconvert knows (--allow-newer-opset converts it anyway); \
        5 a node cannot be converted; 6 the output folder exists (use --force) or cannot be written; \
        7 an --input/--batch/--imgsz shape the model contradicts (unknown input, wrong rank, a changed static \
        dim, or type inference failing at the named node); 8 --verify found the IR read back differing from the \
        source graph (or unreadable); 9 --verify cannot run (ops without an evaluator kernel, all named, or \
        inputs it cannot generate); 10 a --verify-inputs file that cannot be read or does not fit the model's \
        inputs (names, element types, shapes); 12 --nms cannot apply to the model (no detection output, or it \
        already ends in NMS); 13 a TorchScript dump's weights file missing, malformed, or not matching the dump \
        (graph_sha256, a missing key, a dtype or shape other than the annotation's); 14 the model exceeds a limit \
        (--max-nodes, --max-subgraph-depth; the message names the limit and its option); 15 --int8 calibration \
        data that cannot be used (a missing path, no images or arrays, a file that does not decode or does not \
        fit the input, named); 64 bad command line \
        (including malformed shapes); 130 and 143 interrupted by SIGINT or SIGTERM.

        Limits, so that a hostile or broken file is refused instead of exhausting memory: --max-nodes N (default \
        \(ConversionLimits.defaultMaxNodes)) counts the translated graph's nodes, those of If/Loop bodies included; \
        --max-subgraph-depth N (default \(ConversionLimits.defaultMaxSubgraphDepth)) bounds bodies within bodies; \
        --max-fold-bytes N (default \(ConversionLimits.defaultMaxFoldBytes), 1 GiB) is the largest value constant \
        folding computes: a larger one is left to compute at run time, with a warning naming it. A tensor claiming \
        more bytes than its file holds is refused (exit 3) before anything is allocated.

        A failed or interrupted conversion (an error, a full disk, a file size limit, SIGINT or SIGTERM) leaves no \
        output folder and no temporary folder, and an existing output folder as it was: --force replaces it only \
        once the new one is complete.

        --half stores each f32 weight as an f16 Const read through a Convert to f32 marked `decompression`, as ovc's \
        default --compress_to_fp16 does (about half the .bin; OpenVINO's CPU plugin keeps such weights in f16 and \
        computes in f32). Integer constants, shape values and FakeQuantize inputs stay as they are, and so does any \
        constant f16 would damage (a value beyond ±65504, or small values such as normalization epsilons that would \
        flush to 0 or subnormals); the summary lists each one kept in f32 and why. With --half, --verify defaults to \
        --verify-tol 1e-2,1e-3; with --nms, to 1e-5,1e-3 (box corners in pixels).

        --nms replaces a YOLO-style detection output ([B,4+nc,N] as YOLOv8/v9/v11, or [B,N,5+nc] as YOLOv5/v7, \
        whose objectness multiplies the class scores; --nms-layout when the shape cannot tell) by its final \
        detections, computed inside the model: [B,max_det,6+extra] rows of x1,y1,x2,y2,score,class in input pixels, \
        best first, zero-padded; channels beyond the classes (mask coefficients, keypoints) ride along after them. \
        Each box keeps its best class and boxes are suppressed per class (across classes with --agnostic), as \
        Ultralytics does. Batch, height and width stay dynamic where the model has them so. The class count comes \
        from an Ultralytics export's metadata or --names FILE (a YAML list or mapping, a dataset YAML, or one name \
        a line), else from the channels. MODEL may also be an OpenVINO IR .xml (ours, ovc's or an Ultralytics \
        export), whose compressed or quantized weights stay as they are. A model that already ends in NMS or final \
        detections, or has no detection output, is refused (exit 12) naming its outputs and shapes.

        metadata.yaml, which Ultralytics' YOLO(folder) loader reads, is written beside the XML for Ultralytics \
        exports and whenever --nms or --names is given.
        """
    )

    @Argument(help: ArgumentHelp("The ONNX model or TorchScript dump to convert, or an OpenVINO IR .xml to re-process.", valueName: "MODEL"))
    var model: String

    @Option(help: ArgumentHelp("A TorchScript dump's weights (default: NAME.safetensors beside NAME.ts.txt).", valueName: "FILE"))
    var weights: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "The output folder (default: <stem>_openvino_model next to the model).", valueName: "DIR"))
    var output: String?

    @Option(help: ArgumentHelp(
        "Input shapes, e.g. images[1,3,640,640] or [?,128],[1..8] in input order; name->VALUE (sr->16000, m[2]->[1,0]) "
            + "freezes an input to a constant; repeatable.", valueName: "SPEC"))
    var input: [String] = []

    @Option(help: ArgumentHelp("Set dim 0 of every input.", valueName: "N"))
    var batch: Int?

    @Option(help: ArgumentHelp("Set the height and width of the one 4-D input (W defaults to H).", valueName: "H[,W]"))
    var imgsz: String?

    @Flag(help: "Read the written IR back and compare its outputs with the source graph's on random inputs.")
    var verify = false

    @Option(name: .customLong("verify-inputs"), help: ArgumentHelp(
        "Verify on these arrays (one per input, named after it) instead of random inputs; implies --verify.", valueName: "NPZ"))
    var verifyInputs: String?

    @Option(name: .customLong("verify-tol"), help: ArgumentHelp(
        "Tolerance for --verify: |ir - source| <= ATOL + RTOL*|source| (default 1e-5,1e-6).", valueName: "RTOL[,ATOL]"))
    var verifyTol: RoundTripVerifier?

    @Flag(help: ArgumentHelp(
        "Store f32 weights as f16 (OpenVINO's compressed weights), except those f16 would damage (all listed)."))
    var half = false

    @Flag(help: "Insert NMS after a YOLO-style detection output: final boxes [B,max_det,6+extra] inside the model.")
    var nms = false

    @Flag(help: "Quantize to INT8 (FakeQuantize on activations, i8 weights per channel), calibrated on --data.")
    var int8 = false

    @Option(help: ArgumentHelp(
        "--int8: calibration data: a folder of images (.jpg, .png) or arrays (.npy for one input, .npz with one array per "
            + "input), searched recursively, or an Ultralytics dataset YAML (its val split, else train).",
        valueName: "DIR|YAML"))
    var data: String?

    @Option(help: ArgumentHelp("--int8: samples to calibrate on, spread over the data (default 300).", valueName: "N"))
    var subset: Int?

    @Option(help: ArgumentHelp(
        "--int8 on images: subtracted from each 0-255 pixel, one value or one per channel in the input's order (default 0).",
        valueName: "M[,M,M]"))
    var mean: String?

    @Option(help: ArgumentHelp(
        "--int8 on images: then divided by, one value or one per channel (default 255).", valueName: "S[,S,S]"))
    var scale: String?

    @Flag(help: "--int8 on images: feed channels as B, G, R (default R, G, B).")
    var bgr = false

    @Option(help: ArgumentHelp("--int8 on images: letterbox (keep the aspect ratio, pad 114; default) or stretch.",
                               valueName: "MODE"))
    var resize: Preprocessing.Resize?

    @Option(name: .customLong("int8-ranges"), help: ArgumentHelp(
        "--int8: how ranges are chosen from the statistics: minmax (default), meanminmax (the means of each sample's min "
            + "and max, NNCF's default), mse, or percentile (clips 0.01% each side).",
        valueName: "METHOD"))
    var int8Ranges: String?

    @Option(name: .customLong("int8-max-drop"), help: ArgumentHelp(
        "--int8: measure INT8 against FP32 on held-out samples (--int8-held-out, else up to 16 files of --data beyond "
            + "--subset) and return the most sensitive nodes to float until the drop is at most X: 1 - F1 of detections "
            + "after NMS (averaged over conf 0.10-0.50) for a YOLO-style head, 1 - top-1 agreement for [B,C] outputs, else "
            + "the relative error.", valueName: "X"))
    var int8MaxDrop: Double?

    @Option(name: .customLong("int8-held-out"), help: ArgumentHelp(
        "--int8-max-drop: measure on this data instead (as --data takes it, preprocessed alike; up to 64 samples spread "
            + "over it), e.g. a validation split.", valueName: "DIR|YAML"))
    var int8HeldOut: String?

    @Flag(name: .customLong("bias-correction"), help: ArgumentHelp(
        "--int8: take the mean shift each quantized node's i8 weights add off its bias (helps small random-weight nets; "
            + "measured no better on trained detectors, so off by default)."))
    var biasCorrection = false

    @Option(help: ArgumentHelp(
        "--int8: nodes to keep in float, by friendly name; a name also covers the nodes named under it (NAME/...): what "
            + "the frontend made of an ONNX node (/m/Conv → /m/Conv/conv), or a scope (/model.22).", valueName: "NAME,..."))
    var ignore: String?

    @Option(name: .customLong("ignore-types"), help: ArgumentHelp("--int8: op types to keep in float (Add, MatMul, ...).",
                                                                  valueName: "OP,..."))
    var ignoreTypes: String?

    @Option(help: ArgumentHelp("--nms: minimum class score of a detection, in [0,1) (default 0.25).", valueName: "X"))
    var conf: Double?

    @Option(help: ArgumentHelp("--nms: IoU above which a box is suppressed, in (0,1] (default 0.7).", valueName: "X"))
    var iou: Double?

    @Option(name: .customLong("max-det"), help: ArgumentHelp("--nms: detections kept per image (default 300).", valueName: "N"))
    var maxDet: Int?

    @Flag(help: "--nms: suppress boxes across classes, not per class.")
    var agnostic = false

    @Option(name: .customLong("nms-layout"), help: ArgumentHelp(
        "--nms: the head's layout when its shape cannot tell (yolov8: [B,4+nc,N]; yolov5: [B,N,5+nc]).", valueName: "LAYOUT"))
    var nmsLayout: DetectionLayout?

    @Option(help: ArgumentHelp(
        "Class names (YAML list or mapping, dataset YAML, or one name a line) for metadata.yaml and --nms.", valueName: "FILE"))
    var names: String?

    @Option(name: .customLong("disable"), help: ArgumentHelp(
        "Do not run this optimization pass (\(Pipeline.standardPassNames.joined(separator: ", "))); repeatable.", valueName: "PASS"))
    var disable: [String] = []

    @Flag(name: .customLong("trace-rewrites"), help: "List each rewrite rule that fired, with its count.")
    var traceRewrites = false

    @Option(help: ArgumentHelp(
        "Also write the conversion report as JSON to this file (time per phase and per pass, files, --nms, --verify).",
        valueName: "FILE"))
    var report: String?

    @Flag(name: .customLong("allow-newer-opset"), help: ArgumentHelp(
        "Convert a model importing an ONNX opset newer than ovconvert knows as the newest it knows (with a warning)."))
    var allowNewerOpset = false

    @Option(name: .customLong("max-nodes"), help: ArgumentHelp(
        "Refuse a model whose translated graph has more nodes, those of If/Loop bodies included.",
        valueName: "N"))
    var maxNodes = ConversionLimits.defaultMaxNodes

    @Option(name: .customLong("max-subgraph-depth"), help: ArgumentHelp(
        "Refuse a model whose If/Loop bodies nest deeper.", valueName: "N"))
    var maxSubgraphDepth = ConversionLimits.defaultMaxSubgraphDepth

    @Option(name: .customLong("max-fold-bytes"), help: ArgumentHelp(
        "Leave a constant subgraph whose value has more bytes unfolded, with a warning.",
        valueName: "N"))
    var maxFoldBytes = ConversionLimits.defaultMaxFoldBytes

    @Flag(help: "Replace the output folder if it already exists.")
    var force = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print the time of each stage and every op count.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("-q/--quiet and -v/--verbose cannot be combined") }
        if verifyTol != nil, !verify, verifyInputs == nil { throw ValidationError("--verify-tol needs --verify") }
        do { _ = try Pipeline.standard.disabling(disable) } catch let e as UnknownPassError { throw ValidationError("--disable: \(e)") }
        if !nms {
            let given = [("--conf", conf != nil), ("--iou", iou != nil), ("--max-det", maxDet != nil), ("--agnostic", agnostic),
                         ("--nms-layout", nmsLayout != nil)].filter(\.1).map(\.0)
            if !given.isEmpty { throw ValidationError("\(given.joined(separator: ", ")) \(given.count == 1 ? "needs" : "need") --nms") }
        }
        if let problem = nmsOptions?.problem { throw ValidationError(problem) }
        if int8, data == nil { throw ValidationError("--int8 needs --data DIR") }
        if !int8 {
            let given = [("--data", data != nil), ("--subset", subset != nil), ("--mean", mean != nil), ("--scale", scale != nil),
                         ("--bgr", bgr), ("--resize", resize != nil), ("--int8-ranges", int8Ranges != nil), ("--int8-max-drop", int8MaxDrop != nil),
                         ("--int8-held-out", int8HeldOut != nil),
                         ("--bias-correction", biasCorrection),
                         ("--ignore", ignore != nil), ("--ignore-types", ignoreTypes != nil)].filter(\.1).map(\.0)
            if !given.isEmpty { throw ValidationError("\(given.joined(separator: ", ")) \(given.count == 1 ? "needs" : "need") --int8") }
        }
        if int8, int8HeldOut != nil, int8MaxDrop == nil { throw ValidationError("--int8-held-out needs --int8-max-drop") }
        if let int8MaxDrop, !(int8MaxDrop >= 0 && int8MaxDrop < 1) {
            throw ValidationError("--int8-max-drop \(int8MaxDrop): must be in [0, 1)")
        }
        if let subset, subset < 1 { throw ValidationError("--subset \(subset): must be at least 1") }
        if let int8Ranges, INT8Options.estimator(named: int8Ranges) == nil {
            throw ValidationError("--int8-ranges \(int8Ranges): expected minmax, meanminmax, percentile or mse")
        }
        if let problem = limits.problem { throw ValidationError(problem) }
        if let report {
            // Checked before the work, so a report that cannot be written leaves no converted folder either.
            let parent = (report as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent.isEmpty ? "." : parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--report \(report): the folder \(parent) does not exist")
            }
        }
    }

    /// `--max-nodes`, `--max-subgraph-depth`, `--max-fold-bytes`.
    var limits: ConversionLimits {
        ConversionLimits(maxNodes: maxNodes, maxSubgraphDepth: maxSubgraphDepth, maxFoldBytes: maxFoldBytes)
    }

    /// The `--nms` settings, nil without `--nms`.
    var nmsOptions: NMSOptions? {
        guard nms else { return nil }
        var options = NMSOptions()
        if let conf { options.confidence = conf }
        if let iou { options.iou = iou }
        if let maxDet { options.maxDetections = maxDet }
        options.agnostic = agnostic
        options.layout = nmsLayout
        return options
    }

    /// The `--int8` settings, nil without `--int8`.
    func int8Options() throws -> INT8Options? {
        guard int8, let data else { return nil }
        var calibration = CalibrationOptions()
        if let subset { calibration.subset = subset }
        if let side = imgsz.flatMap({ Int($0.split(separator: ",").first ?? "") }) { calibration.imageSize = side }
        do {
            calibration.preprocessing = try Preprocessing(resize: resize ?? .letterbox, mean: try values(mean, "--mean") ?? [0],
                                                          scale: try values(scale, "--scale") ?? [255], bgr: bgr)
        } catch let e as CalibrationError {
            throw ValidationError("--mean/--scale: \(e)")
        }
        var options = INT8Options(data: .path(data, calibration),
                                  estimator: int8Ranges.flatMap(INT8Options.estimator(named:)) ?? INT8Options.defaultEstimator)
        func list(_ s: String?) -> Set<String> { Set((s ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
        // A scope written with its trailing slash (/model.22/) means the scope.
        options.quantization.ignoredNames = Set(list(ignore).map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        options.quantization.ignoredTypes = list(ignoreTypes)
        options.quantization.biasCorrection = biasCorrection
        options.maxDrop = int8MaxDrop
        options.heldOut = int8HeldOut
        if !quiet, let bar = ProgressBar(label: "calibrating") {
            options.progress = { done, total in bar.update(done, of: total) }
            options.status = { bar.status($0) }
        }
        return options
    }

    /// `--mean`/`--scale`: comma-separated numbers.
    private func values(_ text: String?, _ option: String) throws -> [Float]? {
        guard let text else { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw ValidationError("\(option) \(text): expected numbers separated by commas") }
        return parts.map { $0! }
    }

    func run() throws {
        InterruptHandling.install()
        var options = ConversionOptions(modelPath: model, outputFolder: output, force: force,
                                        input: input, batch: batch, imgsz: imgsz,
                                        verify: verify || verifyInputs != nil ? (verifyTol ?? (half ? .half : nms ? .nms : RoundTripVerifier())) : nil,
                                        verifyInputs: verifyInputs, disabledPasses: disable)
        options.half = half
        options.nms = nmsOptions
        options.int8 = try int8Options()
        options.allowNewerOpset = allowNewerOpset
        options.limits = limits
        options.weightsPath = weights
        options.namesFile = names
        do {
            // The accuracy control's status line is cleared before the summary or an error.
            defer { options.int8?.status?("") }
            let result = try Converter(options).run()
            if !quiet {
                for w in result.warnings { FileHandle.standardError.write(Data("ovconvert: warning: \(w)\n".utf8)) }
                print(SummaryFormatter(verbose: verbose, traceRewrites: traceRewrites).format(result))
            }
            if let report {
                do {
                    try ReportJSON(result).text().write(toFile: report, atomically: true, encoding: .utf8)
                } catch {
                    throw ConversionFailure(.outputFolder, "--report \(report): \(error.localizedDescription)")
                }
            }
        } catch let failure as ConversionFailure {
            FileHandle.standardError.write(Data("ovconvert: error: \(failure.message)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}

extension DetectionLayout: ExpressibleByArgument {}

extension Preprocessing.Resize: ExpressibleByArgument {}

extension RoundTripVerifier: ExpressibleByArgument {
    /// `--verify-tol RTOL[,ATOL]`.
    public init?(argument: String) { self.init(tolerance: argument) }
}
