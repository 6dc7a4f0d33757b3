import Foundation
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
            // Before folding: Convert(Const) folds, ConvertLike(Const, x) does not (x is no constant).
            ConvertLikeToConvert(),
            // Before the rewrites: the constants their patterns test (1/6, sqrt(2), ...) must be Consts.
            ConstantFolding(),
            // After folding (targets and axes are Consts) and before CSE: what stays of a shape subgraph with dynamic
            // dims; a Reshape target it makes static lets type inference know the dims downstream.
            ShapeSubgraphSimplification(),
            // Before BatchNormFolding, as OpenVINO's SharedOpOptimization: convolutions of one input with equal
            // weights merge while their batch norms still differ (folded in, they would make the weights differ).
            CommonSubexpressionElimination(),
            // After folding (the statistics and weights are Consts).
            BatchNormFolding(),
            // After BatchNormFolding: the batch norms not after a convolution left a scale and shift to merge with
            // their neighbours.
            ConstantChainMerging(),
            // After the merges: a folded batch norm's zero bias, or a chain whose constants multiply out to 1, is
            // only now a neutral element.
            NeutralElementElimination(),
            TransposeReshapeElimination(),
            ShuffleChannelsFusion(),
            // Again, before the rewrites: the passes above leave new duplicates, and patterns see "the same x" only
            // when duplicated subgraphs are one node.
            CommonSubexpressionElimination(),
            ActivationFusion(),
            // After CSE: its pattern needs the two mean reductions to read the same axes Const.
            MVNFusion(),
            // After the other fusions and CSE: the scale and mask must be folded Consts, and a query/key read twice
            // must be one node, for the attention pattern to see one block.
            ScaledDotProductAttentionFusion(),
            // Last: whatever a pass left unread goes.
            DeadCodeElimination(),
        ])
    }

    /// `standard`, then with `half` the FP16 weight compression, last: every pass before it computes on f32
    /// weights, and no pass after it could fold the decompression Converts away.
    /// ConstantFolding computes no value over `maxFoldBytes` (`--max-fold-bytes`).
    public static func standard(half: Bool, maxFoldBytes: Int = ConstantFolding.defaultMaxBytes) -> Pipeline {
        var pipeline = standard
        pipeline.passes = pipeline.passes.map { pass in
            guard var folding = pass as? ConstantFolding else { return pass }
            folding.maxBytes = maxFoldBytes
            return folding
        }
        if half { pipeline.passes.append(CompressWeightsToFP16()) }
        return pipeline
    }

    /// The names of the standard pipeline's passes, in order, each once (what `--disable` accepts).
    public static var standardPassNames: [String] { standard.passNames }

    /// The names of this pipeline's passes, in order of first run, each once (a pass may run twice).
    public var passNames: [String] {
        var seen = Set<String>()
        return passes.map(\.name).filter { seen.insert($0).inserted }
    }

    /// This pipeline without the passes named in `names` (case-insensitive); an unknown name throws.
    public func disabling(_ names: [String]) throws -> Pipeline {
        let known = passNames
        for name in names where !known.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            throw UnknownPassError(name: name, known: known)
        }
        return Pipeline(passes.filter { pass in !names.contains { $0.caseInsensitiveCompare(pass.name) == .orderedSame } })
    }

    /// Runs every pass once, in order, and returns what each did and how long it took.
    public func run(on graph: Graph) throws -> [PassReport] {
        let clock = ContinuousClock()
        return try passes.map { pass in
            let start = clock.now
            let result = try pass.run(on: graph)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return PassReport(name: pass.name, summary: pass.summary, result: result, seconds: seconds)
        }
    }
}

/// A pass name `--disable` does not know.
public struct UnknownPassError: Error, CustomStringConvertible {
    public let name: String
    public let known: [String]

    public var description: String { "unknown pass '\(name)'; the passes are \(known.joined(separator: ", "))" }
}

/// One pass's run, as the conversion report carries it.
public struct PassReport: Equatable, Sendable {
    public let name: String
    public let summary: String
    public let result: PassResult
    /// Wall time of the run (not compared by `==`: two runs of one pass differ in it).
    public let seconds: Double

    public init(name: String, summary: String, result: PassResult, seconds: Double = 0) {
        self.name = name
        self.summary = summary
        self.result = result
        self.seconds = seconds
    }

    public static func == (a: PassReport, b: PassReport) -> Bool {
        a.name == b.name && a.summary == b.summary && a.result == b.result
    }
}
