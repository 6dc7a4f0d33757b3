import OVIR

/// The state of one import: the graph being built, the ONNX values translated so far, used names.
final class ImportSession {
    let modelPath: String
    let graph: Graph
    let decoder: TensorDecoder
    /// ONNX tensor name → IR output.
    var values: [String: Output] = [:]
    /// ONNX tensor name → (producing ONNX node's output index), for the mapping file.
    var frameworkPorts: [String: Int] = [:]
    /// Conversions that worked but may not match ONNX exactly, each naming the node.
    var warnings: [String] = []
    private var usedNames: [String: Int] = [:]

    init(modelPath: String, graph: Graph, decoder: TensorDecoder) {
        self.modelPath = modelPath
        self.graph = graph
        self.decoder = decoder
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
