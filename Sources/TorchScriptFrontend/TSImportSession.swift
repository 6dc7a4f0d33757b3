import OVIR

/// The state of one dump's translation: the graph being built, the values defined so far, used names.
final class TSImportSession {
    let dumpPath: String
    let weights: TSWeights
    /// Where values are looked up and nodes added: the graph's scope, or the body being translated.
    private(set) var scope: TSScope!
    /// Value name → output index on its producing node, for the mapping file.
    var frameworkPorts: [String: Int] = [:]
    var warnings: [String] = []
    /// Module path → how many translated nodes carry it (a path used once names its node alone).
    var modulePathCounts: [String: Int] = [:]
    private var usedNames: [String: Int] = [:]

    init(dumpPath: String, graph: Graph, weights: TSWeights) {
        self.dumpPath = dumpPath
        self.weights = weights
        scope = TSScope(graph: graph, parent: nil, uniqueName: { [unowned self] in self.uniqueName($0) })
    }

    /// The graph nodes are added to now.
    var graph: Graph { scope.graph }

    /// Runs `body` with a new body scope (its own graph, reading the current scope's values) and returns that scope.
    func inBody(named name: String, _ body: (TSScope) throws -> Void) throws -> TSScope {
        let outer = scope!
        let inner = TSScope(graph: Graph(name: name), parent: outer, uniqueName: { [unowned self] in self.uniqueName($0) })
        scope = inner
        defer { scope = outer }
        try body(inner)
        return inner
    }

    /// `base`, or `base_N` (the first N free) when `base` is already taken.
    func uniqueName(_ base: String) -> String {
        var name = base
        var n = usedNames[base, default: 0]
        while usedNames[name] != nil {
            n += 1
            name = "\(base)_\(n)"
        }
        usedNames[base] = n
        usedNames[name] = usedNames[name] ?? 0
        return name
    }

    /// Counts the module paths of `nodes` and their blocks' nodes.
    func countModulePaths(_ nodes: [TSNode]) {
        for node in nodes {
            if !node.kind.hasPrefix("prim::"), let path = node.modulePath { modulePathCounts[path, default: 0] += 1 }
            for block in node.blocks { countModulePaths(block.nodes) }
        }
    }
}
