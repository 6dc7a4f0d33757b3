import OVIR

/// Transposes and Reshapes that undo each other or do nothing removed, and chains of them collapsed into one
/// (OpenVINO's TransposeSinking/ReshapeSequenceFusion, the simple cases): layout round trips that exporters
/// write around an op that was fused away cost a copy each at run time.
public struct TransposeReshapeElimination: RewritePass {
    public let name = "TransposeReshapeElimination"
    public let summary = "removes Transpose/Reshape pairs that cancel and Reshapes to the input's own shape; collapses chains"

    public init() {}

    public var rules: [Rule] {
        let x = Pattern.any("x")
        let order = { (name: String) in Pattern.constant(name, where: { $0.dims.count == 1 && $0.intValues() != nil }) }
        let reshape = { (input: Pattern) in Pattern.op(Reshape.self, input, .constant("shape", where: { _ in true })) }
        return [
            // Transpose(Transpose(x, p), q) -> x when p then q is the identity, else Transpose(x, p[q])
            Rule("TransposePair", .op(Transpose.self, .op(Transpose.self, x, order("p")), order("q"))) { m in
                guard let p = m.constant("p").intValues(), let q = m.constant("q").intValues(), p.count == q.count,
                      q.allSatisfy({ p.indices.contains($0) }) else { return nil }
                let composed = q.map { p[$0] }
                if composed == Array(composed.indices) { return m["x"] }
                return try m.add(Transpose(), m["x"], m.constant(.i64(composed)))
            },
            // Reshape(x, s) -> x when x already has the (static) shape the Reshape gives
            Rule("IdentityReshape", reshape(x)) { m in
                guard let dims = m["x"].shape.staticDims, m.root.output().shape.staticDims == dims else { return nil }
                return m["x"]
            },
            // Reshape(Reshape(x, s), t) -> Reshape(x, the static output shape)
            Rule("ReshapeChain", .op(Reshape.self, reshape(x), .constant("target", where: { _ in true }))) { m in
                guard let dims = m.root.output().shape.staticDims else { return nil }
                return try m.add(Reshape(specialZero: false), m["x"], m.constant(.i64(dims)))
            },
        ]
    }
}
