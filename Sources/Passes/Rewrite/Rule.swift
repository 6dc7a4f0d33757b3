import OVIR

/// A rewrite: a pattern for what to replace, and a callback that builds the replacement value through
/// the `Match` (or returns nil to decline). The driver replaces the matched root's output 0 with it.
public struct Rule {
    /// Short and stable: `--trace-rewrites` and `PassResult.rewrites` list rules by it.
    public let name: String
    public let pattern: Pattern
    public let rewrite: (Match) throws -> Output?

    public init(_ name: String, _ pattern: Pattern, rewrite: @escaping (Match) throws -> Output?) {
        self.name = name
        self.pattern = pattern
        self.rewrite = rewrite
    }
}

extension Rule {
    /// Thrown by a rewrite callback (or a helper it calls) to decline the match, as returning nil does.
    public struct Declined: Error, CustomStringConvertible {
        public let description: String
        public init(_ reason: String) { description = reason }
    }
}
