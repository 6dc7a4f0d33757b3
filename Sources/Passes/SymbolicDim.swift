/// A size known up to symbols: `coefficient × s₁ × s₂ × …`, where each symbol stands for one size that is
/// only known at run time (a dynamic batch, an image's height). Without symbols it is a static size. Two equal
/// values are equal at run time, whatever the input: that is what lets `ShapeSubgraphSimplification` see that
/// `Reshape(x, ShapeOf(y))` changes nothing, or that the `-1` of `[b, -1, 6, 64]` is 400 when `x` is
/// `[b, 400, 384]`. Products are kept (a flatten's `h × w`); sums are not (they become a new symbol). A value
/// with symbols is a size, so its coefficient is never negative.
struct SymbolicDim: Hashable, CustomStringConvertible {
    /// The static factor.
    var coefficient: Int
    /// The symbols multiplied in, sorted (a symbol appears twice in a square).
    var symbols: [Int]

    static func fixed(_ n: Int) -> SymbolicDim { SymbolicDim(coefficient: n, symbols: []) }
    static func symbol(_ id: Int) -> SymbolicDim { SymbolicDim(coefficient: 1, symbols: [id]) }

    /// The size, when it is static.
    var value: Int? { symbols.isEmpty ? coefficient : nil }

    var description: String {
        let names = symbols.map { "s\($0)" }
        if names.isEmpty { return String(coefficient) }
        return (coefficient == 1 ? names : [String(coefficient)] + names).joined(separator: "*")
    }

    /// `a × b` (nil when the static factor overflows, or when the product of a size and a negative number would
    /// be a negative "size").
    static func * (a: SymbolicDim, b: SymbolicDim) -> SymbolicDim? {
        let (c, overflow) = a.coefficient.multipliedReportingOverflow(by: b.coefficient)
        guard !overflow else { return nil }
        return normalized(c, (a.symbols + b.symbols).sorted())
    }

    /// `coefficient × symbols` as a SymbolicDim: 0 when the coefficient is, nil for a negative coefficient of symbols.
    private static func normalized(_ coefficient: Int, _ symbols: [Int]) -> SymbolicDim? {
        if coefficient == 0 { return .fixed(0) }
        if coefficient < 0 && !symbols.isEmpty { return nil }
        return SymbolicDim(coefficient: coefficient, symbols: symbols)
    }

    /// The product of `dims` (1 for none; nil on overflow).
    static func product(_ dims: [SymbolicDim]) -> SymbolicDim? {
        dims.reduce(SymbolicDim.fixed(1) as SymbolicDim?) { p, d in p.flatMap { $0 * d } }
    }

    /// `self / divisor` when it divides exactly: the divisor's symbols are among this one's and its
    /// coefficient divides this one's. Otherwise nil (the quotient is not a product of known sizes).
    func divided(by divisor: SymbolicDim) -> SymbolicDim? {
        guard divisor.coefficient != 0, !(coefficient == .min && divisor.coefficient == -1),
              coefficient % divisor.coefficient == 0 else { return nil }
        var remaining = symbols
        for s in divisor.symbols {
            guard let k = remaining.firstIndex(of: s) else { return nil }
            remaining.remove(at: k)
        }
        return Self.normalized(coefficient / divisor.coefficient, remaining)
    }
}
