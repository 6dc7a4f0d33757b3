import OVIR

/// Removes every node no Result reads, directly or through other nodes (Parameters stay: they are the
/// model's interface).
public struct DeadCodeElimination: Pass {
    public let name = "DeadCodeElimination"
    public let summary = "removes nodes no result depends on"

    public init() {}

    public func run(on graph: Graph) throws -> PassResult {
        PassResult(changed: try graph.removeDeadNodes() > 0)
    }
}
