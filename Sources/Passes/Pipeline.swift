import OVIR

/// The passes a conversion runs, in order, and one run of them over a graph.
public struct Pipeline {
    public var passes: [any Pass]

    public init(_ passes: [any Pass]) {
        self.passes = passes
    }

    /// The conversion's pipeline, run after translation and after the input shapes are set (shapes made
    /// static by `--input`/`--batch`/`--imgsz` are what lets shape subgraphs fold).
    public static var standard: Pipeline {
        Pipeline([
            // Before folding: it turns the Reshape targets' batch pieces into 0, so what is left folds whole.
            SimplifySecondInputOfReshape(),
            ConstantFolding(),
        ])
    }

    /// `standard`, then with `half` the FP16 weight compression, last: every pass before it computes on f32
    /// weights, and no pass after it could fold the decompression Converts away.
    public static func standard(half: Bool) -> Pipeline {
        var pipeline = standard
        if half { pipeline.passes.append(CompressWeightsToFP16()) }
        return pipeline
    }

    /// Runs every pass once, in order, and returns what each did.
    public func run(on graph: Graph) throws -> [PassReport] {
        try passes.map { pass in
            let result = try pass.run(on: graph)
            return PassReport(name: pass.name, summary: pass.summary, result: result)
        }
    }
}

/// One pass's run, as the conversion report carries it.
public struct PassReport: Equatable, Sendable {
    public let name: String
    public let summary: String
    public let result: PassResult

    public init(name: String, summary: String, result: PassResult) {
        self.name = name
        self.summary = summary
        self.result = result
    }
}
