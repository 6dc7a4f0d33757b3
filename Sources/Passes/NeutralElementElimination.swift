import OVIR

/// Ops that leave their input as it is removed, as ovc does (OpenVINO's EliminateEltwise, EliminateConvert,
/// EliminateTranspose, EliminateSlice, EliminatePad): Add or Subtract of zeros, Multiply or Divide by ones (an
/// exporter's zero bias after a fused batch norm, a `* 1.0` scale), a Convert to the type the value already has,
/// a Transpose by the identity order, a Slice over whole axes with step 1, and a Pad of nothing. Each only when
/// the op's output has the input's element type and shape, so no broadcast is lost.
public struct NeutralElementElimination: RewritePass {
    public let name = "NeutralElementElimination"
    public let summary = "removes x+0, x-0, x*1, x/1 and Converts, Transposes, Slices and Pads that change nothing"

    public init() {}

    public var rules: [Rule] {
        let x = Pattern.any("x")
        let zeros = Self.filled(with: 0), ones = Self.filled(with: 1)
        let ints = { (name: String) in Pattern.constant(name, where: { $0.elementCount <= Self.readLimit && $0.intValues() != nil }) }
        return [
            // x + 0 -> x
            Rule("AddZero", x + zeros) { m in Self.unchanged(m) },
            // x - 0 -> x
            Rule("SubtractZero", x - zeros) { m in Self.unchanged(m) },
            // x * 1 -> x
            Rule("MultiplyOne", x * ones) { m in Self.unchanged(m) },
            // x / 1 -> x
            Rule("DivideOne", x / ones) { m in Self.unchanged(m) },
            // Convert(x, T) -> x when x is already T (a decompression Convert never is: it widens f16)
            Rule("ConvertToOwnType", .op(Convert.self, x)) { m in Self.unchanged(m) },
            // Transpose(x, [0, 1, ..., n-1]) -> x
            Rule("IdentityTranspose", .op(Transpose.self, x, ints("order"))) { m in
                let order = m.constant("order").intValues() ?? []
                return order == Array(order.indices) ? Self.unchanged(m) : nil
            },
            // Slice(x, start, stop, step 1, axes) -> x when it keeps every element of a static shape
            Rule("WholeSlice", .op(Slice.self, x, .any(), .any(), ints("step"))) { m in
                m.constant("step").intValues()?.allSatisfy { $0 == 1 } == true ? Self.unchanged(m, static: true) : nil
            },
            Rule("WholeSliceWithAxes", .op(Slice.self, x, .any(), .any(), ints("step"), .any())) { m in
                m.constant("step").intValues()?.allSatisfy { $0 == 1 } == true ? Self.unchanged(m, static: true) : nil
            },
            // Pad(x, 0, 0, ...) -> x
            Rule("PadNothing", .op(Pad.self, x, ints("begin"), ints("end"))) { m in Self.padsNothing(m) },
            Rule("PadNothingWithValue", .op(Pad.self, x, ints("begin"), ints("end"), .any())) { m in Self.padsNothing(m) },
        ]
    }

    /// Constants read to decide: at most this many elements (a bias or a scale, never a weight matrix).
    static let readLimit = 1 << 16

    /// A numeric Const (of at most `readLimit` elements) whose every element is `value`.
    static func filled(with value: Double) -> Pattern {
        .constant(where: { tensor in
            tensor.elementCount <= readLimit && (tensor.elementType.isFloatingPoint || tensor.elementType.isInteger)
                && tensor.doubleValues()?.allSatisfy { $0 == value } == true
        })
    }

    /// x, when the root's output has x's element type and shape (with `static`, a static shape: a Slice or Pad
    /// of a dynamic dim may change it at run time).
    static func unchanged(_ m: Match, static requireStatic: Bool = false) -> Output? {
        let x = m["x"], out = m.root.output()
        guard out.elementType == x.elementType, out.shape == x.shape else { return nil }
        if requireStatic && x.shape.staticDims == nil { return nil }
        return x
    }

    static func padsNothing(_ m: Match) -> Output? {
        let pads = (m.constant("begin").intValues() ?? [1]) + (m.constant("end").intValues() ?? [1])
        return pads.allSatisfy { $0 == 0 } ? unchanged(m) : nil
    }
}
