import OVIR

/// A pass made of rewrite rules: list the rules, and `run` drives them to a fixpoint.
public protocol RewritePass: Pass {
    var rules: [Rule] { get }
}

extension RewritePass {
    public func run(on graph: Graph) throws -> PassResult {
        let driver = RewriteDriver(rules)
        let outcome = try driver.run(on: graph)
        let skipped = outcome.hitCap ? ["stopped after \(driver.maxSweeps) sweeps with rules still firing"] : []
        return PassResult(changed: !outcome.fired.isEmpty, skipped: skipped, rewrites: outcome.fired)
    }
}
