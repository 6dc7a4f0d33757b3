/// What `--verify` found: the source graph and the IR read back from disk, run on the same seeded inputs.
public struct VerificationReport: Sendable {
    /// One Result compared between the two runs.
    public struct OutputComparison: Sendable {
        public let name: String
        /// Largest `|ir - source|` over elements where both are finite (0 when there are none).
        public let maxAbs: Double
        /// Largest `|ir - source| / |source|` over finite elements with a non-zero source value.
        public let maxRel: Double
        /// Elements where one side is NaN/Inf and the other is not the same non-finite value.
        public let nonFiniteMismatches: Int
        /// Element type or dims differ between the two runs (then no values are compared).
        public let typeMismatch: String?
        /// Every element within `atol + rtol * |source|`, no non-finite mismatch, same type and dims.
        public let ok: Bool
    }

    public let rtol: Double
    public let atol: Double
    /// The inputs fed, as `name elementType [dims]`, in Parameter order.
    public let inputs: [String]
    /// Inputs whose dynamic dims were replaced by a concrete size (lower bound if > 0, else 1).
    public let notes: [String]
    public let outputs: [OutputComparison]

    public var passed: Bool { outputs.allSatisfy(\.ok) }

    /// One line per output: `output0  max abs 0 max rel 0  ok`.
    public func lines() -> [String] {
        let width = outputs.map(\.name.count).max() ?? 0
        return outputs.map { o in
            var line = o.name.padding(toLength: width, withPad: " ", startingAt: 0)
            if let t = o.typeMismatch {
                line += "  \(t)"
            } else {
                line += "  max abs \(Self.number(o.maxAbs)) max rel \(Self.number(o.maxRel))"
                if o.nonFiniteMismatches > 0 { line += "  \(o.nonFiniteMismatches) NaN/Inf mismatches" }
            }
            return line + (o.ok ? "  ok" : "  MISMATCH")
        }
    }

    /// `0`, `3.2e-07`, `0.0125`.
    static func number(_ x: Double) -> String {
        x == 0 ? "0" : String(format: "%.3g", x)
    }
}
