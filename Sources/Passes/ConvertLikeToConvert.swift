import OVIR

/// OpenVINO's `ConvertConvertLike`: ConvertLike whose "like" input has a known element type becomes a plain
/// Convert, which no longer reads that input. ONNX functions (CastLike in expanded Swish, GELU, HardSigmoid,
/// ...) cast their constants like the data input; once they are Convert(Const), constant folding removes them.
public struct ConvertLikeToConvert: RewritePass {
    public let name = "ConvertLikeToConvert"
    public let summary = "ConvertLike with a known target element type becomes Convert"

    public init() {}

    public var rules: [Rule] {
        [
            // ConvertLike(x, like) -> Convert(x, like's element type)
            Rule("ConvertLike", .op(ConvertLike.self, .any("x"), .any("like"))) { m in
                let type = m["like"].elementType
                return type == .dynamic ? nil : try m.add(Convert(type), m["x"])
            },
        ]
    }
}
