import OVIR

/// Transposes and Reshapes that undo each other or do nothing removed, and chains of them collapsed into one
/// (OpenVINO's TransposeSinking/ReshapeSequenceFusion, the simple cases): layout round trips that exporters
/// write around an op that was fused away cost a copy each at run time. A Transpose of the last two dims into a
/// MatMul becomes the MatMul's transpose flag (OpenVINO's TransposeMatMul), as YOLO11's attention writes
/// `q.transpose(-2, -1) @ k` and `v @ attn.transpose(-2, -1)`.
public struct TransposeReshapeElimination: RewritePass {
    public let name = "TransposeReshapeElimination"
    public let summary = "removes Transpose/Reshape pairs that cancel and Reshapes to the input's own shape; collapses chains; moves last-two-dims Transposes into MatMul"

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
            // MatMul(Transpose(a, [.., n-1, n-2]), b) -> MatMul(a, b, transpose_a toggled)
            Rule("TransposeIntoMatMulA", .op(MatMul.self, .op(Transpose.self, x, order("order")), .any("b"))) { m in
                guard let op = m.root.op as? MatMul, Self.swapsLastTwo(m.constant("order"), m["x"]) else { return nil }
                return try m.add(MatMul(transposeA: !op.transposeA, transposeB: op.transposeB), m["x"], m["b"])
            },
            // MatMul(a, Transpose(b, [.., n-1, n-2])) -> MatMul(a, b, transpose_b toggled)
            Rule("TransposeIntoMatMulB", .op(MatMul.self, .any("a"), .op(Transpose.self, x, order("order")))) { m in
                guard let op = m.root.op as? MatMul, Self.swapsLastTwo(m.constant("order"), m["x"]) else { return nil }
                return try m.add(MatMul(transposeA: op.transposeA, transposeB: !op.transposeB), m["a"], m["x"])
            },
        ]
    }

    /// Whether `order` keeps every dim of `x` but swaps the last two (x of rank 2 or more).
    static func swapsLastTwo(_ order: Tensor, _ x: Output) -> Bool {
        guard let p = order.intValues(), p.count >= 2, x.shape.rank == p.count else { return false }
        return p == Array(0..<p.count - 2) + [p.count - 1, p.count - 2]
    }
}
