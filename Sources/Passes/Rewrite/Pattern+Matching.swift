import OVIR

/// One way a pattern matched: the captured values and the op nodes matched (root first, no Consts).
struct MatchState {
    var captures: [String: Output] = [:]
    var nodes: [Node] = []
}

extension Pattern {
    /// Every way this pattern matches `value`, extending `state` (empty when it does not match). All
    /// alternatives and both orders of commutative inputs are tried, so a capture bound one way never
    /// hides a match the other way.
    func matches(_ value: Output, _ state: MatchState) -> [MatchState] {
        if let name = capture, let bound = state.captures[name], bound != value { return [] }
        var found: [MatchState]
        switch kind {
        case .any:
            found = [state]
        case .constant(let test):
            guard let tensor = value.constant, test(tensor) else { return [] }
            found = [state]
        case .op(_, let test, let inputs, let commutative):
            let node = value.node
            guard value.index == 0, test(node.op), node.inputs.count == inputs.count else { return [] }
            var start = state
            start.nodes.append(node)
            found = Self.matchInputs(inputs, node.inputs, start)
            if commutative { found += Self.matchInputs(inputs, node.inputs.reversed(), start) }
        case .node(let test):
            guard value.index == 0, test(value.node.op) else { return [] }
            var matched = state
            matched.nodes.append(value.node)
            found = [matched]
        case .oneOf(let alternatives):
            found = alternatives.flatMap { $0.matches(value, state) }
        }
        guard let name = capture else { return found }
        return found.map { var s = $0; s.captures[name] = value; return s }
    }

    private static func matchInputs(_ patterns: [Pattern], _ values: [Output], _ state: MatchState) -> [MatchState] {
        var states = [state]
        for (pattern, value) in zip(patterns, values) {
            states = states.flatMap { pattern.matches(value, $0) }
            if states.isEmpty { break }
        }
        return states
    }
}
