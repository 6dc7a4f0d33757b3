import OVIR

/// Runs a rule set over a graph to a fixpoint: sweeps the nodes in topological order, and at each node
/// tries the rules in order until one fires; sweeps again while anything fired, at most `maxSweeps` times.
///
/// A firing replaces the root's output 0 with the callback's value: a node the callback added takes the
/// root's friendly name, the value takes the root's tensor names, and every added node lists the matched
/// nodes in `fused_names`. The driver declines a match (and removes what the callback added) when the callback
/// returns nil or throws `Rule.Declined`, when the value's type differs from the root's (unless `acceptsRefinedTypes`
/// and the value's type only says more), or when a matched node other than the root is also read from
/// outside the match (replacing the root would then keep that node and save nothing).
public struct RewriteDriver {
    public var rules: [Rule]
    public var maxSweeps: Int
    /// Whether a value may replace the root when it has the root's element type and a shape that says more
    /// (a dim known where the root's is dynamic), as when a rewrite proves a size; the readers are re-inferred.
    public var acceptsRefinedTypes: Bool

    public init(_ rules: [Rule], maxSweeps: Int = 10, acceptsRefinedTypes: Bool = false) {
        self.rules = rules
        self.maxSweeps = maxSweeps
        self.acceptsRefinedTypes = acceptsRefinedTypes
    }

    /// What a run did.
    public struct Outcome: Equatable {
        /// How often each rule fired, in rule order (rules that never fired left out).
        public var fired: [RuleFiring]
        /// Whether the run stopped at `maxSweeps` with rules still firing.
        public var hitCap: Bool
    }

    public func run(on graph: Graph) throws -> Outcome {
        var counts = Array(repeating: 0, count: rules.count)
        var hitCap = true
        for _ in 0..<maxSweeps {
            guard try sweep(graph, &counts) else { hitCap = false; break }
            try graph.removeDeadNodes()
        }
        let fired = zip(rules, counts).filter { $0.1 > 0 }.map { RuleFiring(rule: $0.0.name, count: $0.1) }
        return Outcome(fired: fired, hitCap: hitCap)
    }

    /// One pass over the nodes; says whether any rule fired.
    private func sweep(_ graph: Graph, _ counts: inout [Int]) throws -> Bool {
        var replaced = Set<ObjectIdentifier>()  // matched nodes of this sweep's firings: dead until the sweep ends
        var fired = false
        for node in graph.topologicalOrder() where node.hasUses && !replaced.contains(ObjectIdentifier(node)) {
            for (k, rule) in rules.enumerated() {
                guard let matched = try apply(rule, at: node, in: graph) else { continue }
                for n in matched { replaced.insert(ObjectIdentifier(n)) }
                counts[k] += 1
                fired = true
                break
            }
        }
        return fired
    }

    /// Tries `rule` at `root`; on a firing, returns the matched nodes.
    private func apply(_ rule: Rule, at root: Node, in graph: Graph) throws -> [Node]? {
        let old = root.output()
        for state in rule.pattern.matches(old, MatchState()) where Self.isExclusive(state.nodes) {
            let match = Match(graph: graph, root: root, state: state)
            let replacement: Output?
            do {
                replacement = try rule.rewrite(match)
            } catch is Rule.Declined {
                replacement = nil
            }
            guard let new = replacement else { try match.discardCreated(); continue }
            guard new.type == old.type || (acceptsRefinedTypes && Self.refines(new.type, old.type)), new != old else {
                try match.discardCreated()
                continue
            }
            if match.created.contains(where: { $0 === new.node }) { new.node.name = root.name }
            let fused = state.nodes.flatMap(\.sourceNames)
            for node in match.created where !(node.op is Constant) { node.fusedNames = fused }
            graph.moveTensorNames(from: old, to: new)
            try graph.replaceAllUses(of: old, with: new)
            return state.nodes
        }
        return nil
    }

    /// Whether `new` says at least what `old` says: the same element type, and each dim's range of sizes
    /// within `old`'s (or `old`'s rank unknown).
    static func refines(_ new: TensorType, _ old: TensorType) -> Bool {
        guard new.elementType == old.elementType else { return false }
        guard let before = old.shape.dims else { return true }
        guard let after = new.shape.dims, after.count == before.count else { return false }
        return zip(after, before).allSatisfy { a, b in
            a.lower >= b.lower && (b.upper.map { bound in a.upper.map { $0 <= bound } ?? false } ?? true)
        }
    }

    /// Whether nothing outside the matched nodes reads the ones below the root.
    static func isExclusive(_ nodes: [Node]) -> Bool {
        let ids = Set(nodes.map(ObjectIdentifier.init))
        return nodes.dropFirst().allSatisfy { node in
            node.outputs.allSatisfy { node.uses(of: $0.index).allSatisfy { ids.contains(ObjectIdentifier($0.node)) } }
        }
    }
}
