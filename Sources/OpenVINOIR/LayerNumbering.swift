import OVIR

/// The layer ids and port ids a graph gets in IR XML: layers numbered 0..n-1 in
/// `graph.topologicalOrder()`, input ports 0..k-1 and output ports k..k+m-1 on each layer.
public struct LayerNumbering {
    /// The serialized nodes; a node's layer id is its index here.
    public let layers: [Node]
    private let ids: [ObjectIdentifier: Int]

    /// Numbers the nodes of `graph` as `IRWriter` does.
    public init(_ graph: Graph) {
        layers = graph.topologicalOrder()
        var ids: [ObjectIdentifier: Int] = [:]
        for (k, node) in layers.enumerated() { ids[ObjectIdentifier(node)] = k }
        self.ids = ids
    }

    /// The layer id of `node`, or nil when it is not serialized (unreachable from results and parameters).
    public func layerID(of node: Node) -> Int? { ids[ObjectIdentifier(node)] }

    /// The XML port id of an output: its node's input count plus the output index.
    public func portID(of output: Output) -> Int { output.node.inputs.count + output.index }
}
