/// What `QuantizeINT8` may quantize: the ignore lists (`--ignore`, `--ignore-types`) and which element-wise ops
/// count as quantizable.
public struct QuantizationOptions: Sendable, Equatable {
    /// Friendly names of nodes to keep in float (their inputs get no FakeQuantize, their weights stay f32), each
    /// also covering the nodes named under it: a source model's node name covers what the frontend made of it
    /// (ONNX Conv `/m/Conv` → Convolution `/m/Conv/conv` + bias Add `/m/Conv`), and a scope its contents (`/model.22`).
    public var ignoredNames: Set<String>
    /// More nodes to keep in float, by friendly name, each with the reason the pass reports (`--int8-max-drop`
    /// returns the most sensitive ones to float).
    public var keptFloat: [String: String] = [:]
    /// Op types to keep in float (`Convolution`, `MatMul`, `Add`, ...).
    public var ignoredTypes: Set<String>
    /// Quantize both inputs of an Add of two activation branches (residual blocks), as NNCF's CPU
    /// configuration does for element-wise ops; LPT then runs the Add on integers.
    public var quantizeResidualAdds: Bool
    /// Keep a YOLO-style detection head's post-processing (DFL, box decoding, score sigmoid) in float;
    /// see `FloatDetectionHead`.
    public var keepDetectionHeadFloat: Bool

    /// Shift each quantized node's bias (a constant Add after it) by the mean its i8 weights' rounding adds to
    /// the output, from the calibrated per-channel means of its input (`QuantizeINT8`). Off by default: measured
    /// (Tools/verify/run int8) it halves the fixtures' error, but on the trained detectors it was no better
    /// (nudenet_320n pooled F1 0.929 with it, 0.966 without; yolov8n_doclaynet 0.968 both).
    public var biasCorrection = false

    /// Whether `--ignore` names `name` or a prefix of it that ends before a `/`.
    public func ignores(name: String) -> Bool {
        guard !ignoredNames.isEmpty else { return false }
        if ignoredNames.contains(name) { return true }
        return name.indices.contains { name[$0] == "/" && ignoredNames.contains(String(name[..<$0])) }
    }

    public init(ignoredNames: Set<String> = [], ignoredTypes: Set<String> = [], quantizeResidualAdds: Bool = true,
                keepDetectionHeadFloat: Bool = true) {
        self.ignoredNames = ignoredNames
        self.ignoredTypes = ignoredTypes
        self.quantizeResidualAdds = quantizeResidualAdds
        self.keepDetectionHeadFloat = keepDetectionHeadFloat
    }
}
