import OVIR

/// The state of one import: the scope being translated (the main graph or a subgraph), the opsets and translators
/// that subgraph nodes are resolved with, used names.
final class ImportSession {
    let modelPath: String
    let decoder: TensorDecoder
    let table: TranslatorTable
    /// The opset per domain the model imports (after --allow-newer-opset).
    let opsets: [String: Int]
    /// Where names are looked up and nodes added: the main graph's scope, or the subgraph being translated.
    private(set) var scope: ONNXScope!
    /// ONNX tensor name → (producing ONNX node's output index), for the mapping file (main graph only).
    var frameworkPorts: [String: Int] = [:]
    /// Conversions that worked but may not match ONNX exactly, each naming the node.
    var warnings: [String] = []
    /// QuantizeLinear results with constant parameters, by the node that produces them, so that a DequantizeLinear
    /// of the same parameters can become one FakeQuantize.
    var quantizedValues: [ObjectIdentifier: QuantizedValue] = [:]
    private var usedNames: [String: Int] = [:]

    init(modelPath: String, graph: Graph, decoder: TensorDecoder, table: TranslatorTable, opsets: [String: Int]) {
        self.modelPath = modelPath
        self.decoder = decoder
        self.table = table
        self.opsets = opsets
        scope = ONNXScope(graph: graph, parent: nil, uniqueName: { [unowned self] in self.uniqueName($0) })
    }

    /// The graph nodes are added to now.
    var graph: Graph { scope.graph }

    /// The IR value of an ONNX name visible here (an outer one is captured into the subgraph); nil when undefined.
    func lookup(_ name: String) throws -> Output? { try scope.lookup(name) }

    /// Runs `body` in a new subgraph scope (its own graph, reading the current scope's values) and returns that scope.
    func inSubgraph(named name: String, _ body: (ONNXScope) throws -> Void) throws -> ONNXScope {
        let outer = scope!
        let inner = ONNXScope(graph: Graph(name: name), parent: outer, uniqueName: { [unowned self] in self.uniqueName($0) })
        scope = inner
        defer { scope = outer }
        try body(inner)
        return inner
    }

    /// `base`, or `base_N` (the first N free) when `base` is already taken.
    func uniqueName(_ base: String) -> String {
        var name = base
        var n = usedNames[base, default: 0]
        while usedNames[name] != nil {
            n += 1
            name = "\(base)_\(n)"
        }
        usedNames[base] = n
        usedNames[name] = usedNames[name] ?? 0
        return name
    }
}
