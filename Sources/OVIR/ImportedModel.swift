/// What a frontend yields: the translated graph plus what the backend and the report need from the source.
public struct ImportedModel {
    /// The source format as `conversion_parameters` records it ("onnx", "openvino_ir").
    public let format: String
    public let graph: Graph
    /// Source tensor name → output index on its producer in the source model (0 for graph inputs and
    /// initializers); the mapping file lists these.
    public let frameworkPorts: [String: Int]
    /// The model's metadata (ONNX `metadata_props`, or an IR's recorded metadata), in source order.
    public let metadata: [(key: String, value: String)]
    /// Opset version per imported domain (empty for an IR, whose ops name their own opsets).
    public let opsets: [String: Int]
    public let producer: String
    /// Nodes that converted but may not match the source exactly.
    public let warnings: [String]

    public init(format: String, graph: Graph, frameworkPorts: [String: Int], metadata: [(key: String, value: String)],
                opsets: [String: Int], producer: String, warnings: [String]) {
        self.format = format
        self.graph = graph
        self.frameworkPorts = frameworkPorts
        self.metadata = metadata
        self.opsets = opsets
        self.producer = producer
        self.warnings = warnings
    }
}
