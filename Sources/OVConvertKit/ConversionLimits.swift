import OVIR
import Passes

/// Limits on what a model may make ovconvert hold, so a hostile or broken file is refused with a message naming
/// the limit and the option that raises it instead of exhausting memory. The defaults are far above any real
/// model's needs (the largest ONNX model zoo graphs have tens of thousands of nodes and a few levels of If/Loop).
///
/// Node count and subgraph depth are checked on the translated graph, so every frontend (ONNX, TorchScript dump,
/// IR) shares them; a model over either is refused (exit 14). The fold limit is ConstantFolding's: a constant
/// subgraph whose value would be larger is left to compute at run time (with a warning), never materialized.
/// Tensor bytes versus file size need no limit: every reader checks a tensor's declared size against the bytes
/// its file (or external data file) holds before using them.
public struct ConversionLimits: Sendable, Equatable {
    /// `--max-nodes N`: nodes of the translated graph, counting those of If/Loop bodies (Parameters, Results and
    /// Consts included).
    public var maxNodes: Int
    /// `--max-subgraph-depth N`: levels of bodies within bodies (0: no If/Loop at all; 1: bodies without bodies).
    public var maxSubgraphDepth: Int
    /// `--max-fold-bytes N`: the largest value ConstantFolding computes, in bytes.
    public var maxFoldBytes: Int

    public static let defaultMaxNodes = 1_000_000
    public static let defaultMaxSubgraphDepth = 64
    public static let defaultMaxFoldBytes = ConstantFolding.defaultMaxBytes

    public init(maxNodes: Int = defaultMaxNodes, maxSubgraphDepth: Int = defaultMaxSubgraphDepth,
                maxFoldBytes: Int = defaultMaxFoldBytes) {
        self.maxNodes = maxNodes
        self.maxSubgraphDepth = maxSubgraphDepth
        self.maxFoldBytes = maxFoldBytes
    }

    /// A value that cannot be a limit (negative), named by its option; nil when all are valid.
    public var problem: String? {
        let given = [("--max-nodes", maxNodes), ("--max-subgraph-depth", maxSubgraphDepth), ("--max-fold-bytes", maxFoldBytes)]
        return given.first { $0.1 < 0 }.map { "\($0.0) must not be negative, got \($0.1)" }
    }

    /// Throws `ConversionFailure(.limitExceeded)` when `graph` (with its bodies) has more nodes or deeper bodies
    /// than allowed; the depth failure names the path to the first body too deep. `model` names the file.
    public func check(_ graph: Graph, model: String) throws {
        var nodes = 0
        var tooDeep: SubgraphPath?
        graph.walk { g, path in
            nodes += g.nodeCount
            if tooDeep == nil, path.steps.count > maxSubgraphDepth { tooDeep = path }
        }
        if let tooDeep {
            throw ConversionFailure(.limitExceeded, "\(model): subgraphs nest \(tooDeep.steps.count) deep (\(tooDeep)), more than "
                + "the limit of \(maxSubgraphDepth); --max-subgraph-depth N raises it")
        }
        if nodes > maxNodes {
            throw ConversionFailure(.limitExceeded, "\(model): the translated graph has \(nodes) nodes (with those of If/Loop "
                + "bodies), more than the limit of \(maxNodes); --max-nodes N raises it")
        }
    }
}
