import OVIR

/// A dump's weights: the safetensors file beside it (`const/<value name>`, `attr/<attribute path>`), read with
/// every tensor checked against the annotation of the value it becomes.
struct TSWeights {
    /// The file, or nil when there is none (a dump without tensor constants needs none).
    let file: SafetensorsFile?
    /// Where the weights were looked for, for messages.
    let path: String

    /// The tensor under `key` for a value declared as `declared`; nil when the key is absent. Its element
    /// type and, when the annotation gives them, its dims must match the annotation.
    func tensor(_ key: String, declared: TSType, what: String) throws -> Tensor? {
        guard let file else {
            throw TorchScriptFrontendError(.badWeights, "\(path): no such weights file, which \(what) needs (key '\(key)'); "
                + "write it beside the dump as the export script does, or pass --weights FILE")
        }
        guard let t = try file.tensor(key) else { return nil }
        guard case .tensor(let annotation) = declared else { return t }
        if let name = annotation.scalarType {
            guard let type = TSScalarType.elementType(name: name) else {
                throw TorchScriptFrontendError(.badWeights, "\(path): '\(key)': \(what) is annotated \(name), which OpenVINO has no element type for")
            }
            guard type == t.elementType else {
                throw TorchScriptFrontendError(.badWeights, "\(path): '\(key)' holds \(t.elementType) but \(what) is annotated \(name) (\(type))")
            }
        }
        if let sizes = annotation.sizes {
            let matches = sizes.count == t.dims.count && zip(sizes, t.dims).allSatisfy { $0 == nil || $0 == $1 }
            guard matches else {
                throw TorchScriptFrontendError(.badWeights, "\(path): '\(key)' has shape \(t.dims) but \(what) is annotated \(annotation)")
            }
        }
        return t
    }
}
