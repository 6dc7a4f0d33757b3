import OVIR

/// Chains of floating-point Multiply/Add by constants merged into one of each (OpenVINO's
/// LinOpSequenceFusion): the merged constants are computed once here, so the IR runs one op where the
/// model wrote several. Subtract and Divide by a constant become Add and Multiply, so they merge too.
public struct ConstantChainMerging: RewritePass {
    public let name = "ConstantChainMerging"
    public let summary = "merges chains of constant Multiply/Add; Subtract/Divide by constants become Add/Multiply"

    public init() {}

    public var rules: [Rule] {
        let x = Pattern.any("x")
        let a = Self.float("a"), b = Self.float("b")
        return [
            // x - b -> x + (-b)
            Rule("SubtractAsAdd", x - b) { m in
                try m.add(Add(), m["x"], m.constant(ConstantMath.compute(Negative(), m.constant("b"))))
            },
            // x / b -> x * (1 / b): within an ulp of the division
            Rule("DivideAsMultiply", x / b) { m in
                let b = m.constant("b")
                let one = try ConstantMath.compute(Convert(b.elementType), .f32([1], dims: []))
                return try m.add(Multiply(), m["x"], m.constant(ConstantMath.compute(Divide(), one, b)))
            },
            // (x * a) * b -> x * (a * b)
            Rule("MultiplyChain", x * a * b) { m in
                try m.add(Multiply(), m["x"], m.constant(ConstantMath.compute(Multiply(), m.constant("a"), m.constant("b"))))
            },
            // (x + a) + b -> x + (a + b)
            Rule("AddChain", x + a + b) { m in
                try m.add(Add(), m["x"], m.constant(ConstantMath.compute(Add(), m.constant("a"), m.constant("b"))))
            },
            // ((x * a) + b) * c -> x * (a * c) + b * c: the scales merge, the shift moves after them
            Rule("ScaleThroughShift", (x * a + b) * Self.float("c")) { m in
                let c = m.constant("c")
                let scale = try ConstantMath.compute(Multiply(), m.constant("a"), c)
                let shift = try ConstantMath.compute(Multiply(), m.constant("b"), c)
                return try m.add(Add(), m.add(Multiply(), m["x"], m.constant(scale)), m.constant(shift))
            },
        ]
    }

    /// A floating-point Const captured under `name`.
    static func float(_ name: String) -> Pattern { .constant(name, where: ConstantMath.isFloat) }
}
