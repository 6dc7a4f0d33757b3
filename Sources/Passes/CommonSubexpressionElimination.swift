import OVIR

/// Merges nodes that compute the same value: Consts with the same element type, shape and bytes, and
/// nodes with the same op and attributes reading the same inputs (after their inputs were merged, so
/// duplicated chains merge whole). The first in topological order stays and takes the others' tensor
/// names; a merged non-Const lists both in `fused_names`. Parameters, Results and nodes whose rt_info
/// differs (a `decompression` Convert and a plain one) are never merged.
///
/// Float Consts of more than one element (weights, biases, scales) are not merged by themselves: OpenVINO's
/// CPU plugin packs and fuses each layer's own, and layers sharing them ran 2% slower than ovc's IR (the
/// onnx wheel's squeezenet, whose synthetic biases repeat). Equal ones still count as the same input, so two
/// nodes reading equal weights from the same data merge, and the spare Const goes with them.
public struct CommonSubexpressionElimination: Pass {
    public let name = "CommonSubexpressionElimination"
    public let summary = "merges identical constants and identical nodes reading the same inputs"

    public init() {}

    public func run(on graph: Graph) throws -> PassResult {
        var kept: [Key: [Node]] = [:]
        // Each Const's first equal Const, for comparing inputs by value.
        var representative: [ObjectIdentifier: Node] = [:]
        func canonical(_ inputs: [Output]) -> [Output] {
            inputs.map { input in representative[ObjectIdentifier(input.node)].map { Output($0, input.index) } ?? input }
        }
        var changed = false
        for node in graph.topologicalOrder() where !(node.op is Parameter || node.op is ResultOp) {
            let inputs = canonical(node.inputs)
            let key = Key(node, inputs: inputs)
            if let twin = kept[key]?.first(where: { Self.sameValue(node, inputs, $0, canonical($0.inputs)) }) {
                if node.op is Constant {
                    representative[ObjectIdentifier(node)] = twin
                    if Self.isLayerData(node) { continue }
                }
                try merge(node, into: twin, in: graph)
                changed = true
            } else {
                kept[key, default: []].append(node)
            }
        }
        if changed { try graph.removeDeadNodes() }
        return PassResult(changed: changed)
    }

    /// Whether `node` is a float Const of more than one element: a layer's weights, bias or scale.
    static func isLayerData(_ node: Node) -> Bool {
        guard let tensor = (node.op as? Constant)?.tensor else { return false }
        return tensor.elementType.isFloatingPoint && tensor.elementCount > 1
    }

    /// Whether `a` (reading `aInputs`) and `b` (reading `bInputs`) compute the same outputs.
    static func sameValue(_ a: Node, _ aInputs: [Output], _ b: Node, _ bInputs: [Output]) -> Bool {
        aInputs == bInputs && a.op.isEqual(to: b.op) && a.outputTypes == b.outputTypes
            && a.rtInfo.filter { $0.name != "fused_names" } == b.rtInfo.filter { $0.name != "fused_names" }
    }

    private func merge(_ node: Node, into twin: Node, in graph: Graph) throws {
        if !(node.op is Constant) { twin.fusedNames = twin.sourceNames + node.sourceNames }
        for (old, new) in zip(node.outputs, twin.outputs) {
            graph.moveTensorNames(from: old, to: new)
            try graph.replaceAllUses(of: old, with: new)
        }
    }

    /// What candidates for merging must share: op type and inputs, and for a Const its type, shape, size and
    /// a hash of its first and last `sample` bytes. Only a sample: hashing every weight would read the whole model
    /// from disk (a 273 MB model paged in, 0.3 s); Consts whose samples agree are compared in full by `sameValue`.
    struct Key: Hashable {
        let type: String
        let inputs: [Output]
        let content: Int
        static let sample = 64

        init(_ node: Node, inputs: [Output]) {
            type = node.op.typeName
            self.inputs = inputs
            var hasher = Hasher()
            if let tensor = (node.op as? Constant)?.tensor {
                hasher.combine(tensor.elementType)
                hasher.combine(tensor.dims)
                hasher.combine(tensor.strings)
                hasher.combine(tensor.byteCount)
                tensor.withUnsafeBytes { bytes in
                    if bytes.count <= 2 * Self.sample {
                        hasher.combine(bytes: bytes)
                    } else {
                        hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes.prefix(Self.sample)))
                        hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes.suffix(Self.sample)))
                    }
                }
            }
            content = hasher.finalize()
        }
    }
}
