import OVIR

/// A graph rewrite: a name, a one-line summary, and `run`, which edits the graph in place.
public protocol Pass {
    /// Short and stable, as `-v` and tests print it (`ConstantFolding`).
    var name: String { get }
    /// What the pass does, in one line.
    var summary: String { get }
    /// Rewrites `graph`; says whether anything changed and what it declined to do.
    func run(on graph: Graph) throws -> PassResult
}

/// What one pass run did.
public struct PassResult: Equatable, Sendable {
    public var changed: Bool
    /// One line per rewrite the pass chose not to make, with the reason (`-v` lists them).
    public var skipped: [String]
    /// How often each rewrite rule fired, in rule order (`--trace-rewrites` prints them).
    public var rewrites: [RuleFiring]
    /// Lines of `skipped` the user should see without `-v` (a fold left undone for a limit), one each.
    public var warnings: [String]

    public init(changed: Bool, skipped: [String] = [], rewrites: [RuleFiring] = [], warnings: [String] = []) {
        self.changed = changed
        self.skipped = skipped
        self.rewrites = rewrites
        self.warnings = warnings
    }
}

/// A rule and how many times it fired in one pass run.
public struct RuleFiring: Equatable, Sendable {
    public let rule: String
    public let count: Int

    public init(rule: String, count: Int) {
        self.rule = rule
        self.count = count
    }
}
