/// A model: nodes with use-lists, parameters and results in order, and model-level rt_info.
/// The graph is the only thing that rewires edges.
public final class Graph {
    public var name: String
    public private(set) var parameters: [Node] = []
    public private(set) var results: [Node] = []
    public var rtInfo: RTInfo = .empty
    private var live: [ObjectIdentifier: Node] = [:]
    private var nextID = 0

    public init(name: String = "") {
        self.name = name
    }

    /// Live nodes in creation order.
    public var nodes: [Node] { live.values.sorted { $0.id < $1.id } }
    public var nodeCount: Int { live.count }

    public func contains(_ node: Node) -> Bool { live[ObjectIdentifier(node)] === node }

    // MARK: Building

    /// Adds a node and infers its output types. Errors name the node.
    @discardableResult
    public func add(_ op: any Op, _ inputs: [Output], name: String) throws -> Node {
        for (k, i) in inputs.enumerated() {
            try checkValue(i, feeding: name, input: k)
        }
        let types = try Self.infer(op, inputs, name: name)
        try Self.retypeBodies(op, inputs, name: name)
        let node = Node(id: nextID, op: op, inputs: inputs, name: name, outputTypes: types, value: Self.inferValue(op, inputs))
        nextID += 1
        live[ObjectIdentifier(node)] = node
        for (k, i) in inputs.enumerated() { i.node.uses[i.index].append(Use(node: node, inputIndex: k)) }
        if op is Parameter { parameters.append(node) }
        if op is ResultOp { results.append(node) }
        return node
    }

    /// Adds a Parameter whose output carries `name` as its tensor name.
    @discardableResult
    public func addParameter(_ name: String, _ type: TensorType) throws -> Node {
        let node = try add(Parameter(elementType: type.elementType, shape: type.shape), [], name: name)
        node.tensorNames[0] = [name]
        return node
    }

    /// Adds a Result reading `value`.
    @discardableResult
    public func addResult(_ value: Output, name: String) throws -> Node {
        try add(ResultOp(), [value], name: name)
    }

    /// Adds a Const.
    public func constant(_ tensor: Tensor, name: String) throws -> Output {
        try add(Constant(tensor), [], name: name).output()
    }

    static func infer(_ op: any Op, _ inputs: [Output], name: String) throws -> [TensorType] {
        try infer(op, inferenceInputs(inputs), name: name)
    }

    static func infer(_ op: any Op, _ inputs: [InferenceInput], name: String) throws -> [TensorType] {
        do {
            return try op.inferTypes(inputs)
        } catch let e as GraphError {
            throw e
        } catch {
            throw GraphError(node: name, "\(op.typeName): \(error)")
        }
    }

    /// What `op` knows about its output 0's elements, from its inputs' types and values.
    static func inferValue(_ op: any Op, _ inputs: [Output]) -> [Dim]? {
        op.inferValue(inferenceInputs(inputs))
    }

    static func inferenceInputs(_ inputs: [Output]) -> [InferenceInput] {
        inputs.map { InferenceInput($0.type, constant: $0.constant, value: $0.value) }
    }

    // MARK: Names

    /// Adds tensor names to an output (kept sorted and unique).
    public func addTensorNames(_ names: [String], to output: Output) {
        let merged = Set(output.node.tensorNames[output.index]).union(names)
        output.node.tensorNames[output.index] = merged.sorted()
    }

    /// Moves the tensor names of `old` onto `new` (a replacement keeps the names the mapping file and users
    /// look values up by).
    public func moveTensorNames(from old: Output, to new: Output) {
        guard old != new else { return }
        addTensorNames(old.names, to: new)
        old.node.tensorNames[old.index] = []
    }

    // MARK: Rewiring

    /// Points input `index` of `node` at `value`, then re-infers the types downstream.
    public func setInput(_ node: Node, _ index: Int, to value: Output) throws {
        guard contains(node) else { throw GraphError(node: node.name, "is not in this graph") }
        guard node.inputs.indices.contains(index) else { throw GraphError(node: node.name, "has no input \(index)") }
        try checkValue(value, feeding: node.name, input: index)
        rewire(node, index, to: value)
        try reinferDownstream([node])
    }

    /// Makes every reader of `old` read `new` instead, except the nodes `new` is computed from (so `new`
    /// may be built from `old`, as in inserting Converts after a value). Re-infers the types downstream.
    public func replaceAllUses(of old: Output, with new: Output) throws {
        guard old != new else { return }
        try checkValue(new, feeding: old.node.name, input: 0)
        let cone = ancestors(of: new.node, stoppingAt: old.node)
        let uses = old.node.uses[old.index].filter { !cone.contains(ObjectIdentifier($0.node)) }
        for use in uses { rewire(use.node, use.inputIndex, to: new) }
        try reinferDownstream(uses.map(\.node))
    }

    /// `node` and every node it is computed from, not walking past `stop`.
    private func ancestors(of node: Node, stoppingAt stop: Node) -> Set<ObjectIdentifier> {
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(node)]
        var stack = [node]
        while let n = stack.popLast() {
            for input in n.inputs where input.node !== stop && seen.insert(ObjectIdentifier(input.node)).inserted {
                stack.append(input.node)
            }
        }
        return seen
    }

    /// Replaces `node`'s op and re-infers its types (the output count must not change, and Parameters
    /// and Results stay what they are).
    public func replaceOp(of node: Node, with op: any Op) throws {
        guard (node.op is Parameter) == (op is Parameter), (node.op is ResultOp) == (op is ResultOp) else {
            throw GraphError(node: node.name, "a Parameter or Result can only be replaced by an op of the same kind")
        }
        let types = try Self.infer(op, node.inputs, name: node.name)
        guard types.count == node.outputCount else {
            throw GraphError(node: node.name, "replacement \(op.typeName) has \(types.count) outputs, not \(node.outputCount)")
        }
        node.op = op
        try Self.retypeBodies(op, node.inputs, name: node.name)
        let value = Self.inferValue(op, node.inputs)
        if types != node.outputTypes || value != node.value {
            node.outputTypes = types
            node.value = value
            try reinferDownstream(node.outputs.flatMap { $0.node.uses[$0.index].map(\.node) })
        }
    }

    /// Re-runs type (and value) inference on `node` (and gives its bodies, if it owns any, the Parameter types its
    /// inputs dictate).
    public func reinfer(_ node: Node) throws {
        node.outputTypes = try Self.infer(node.op, node.inputs, name: node.name)
        try Self.retypeBodies(node.op, node.inputs, name: node.name)
        node.value = Self.inferValue(node.op, node.inputs)
    }

    /// What inference gave a node: a change in either is what makes its readers re-infer.
    private struct Inferred: Equatable {
        var types: [TensorType]
        var value: [Dim]?
        init(_ node: Node) { (types, value) = (node.outputTypes, node.value) }
    }

    /// Re-infers `start` and, wherever a type changed, everything reading it. Each node is inferred after
    /// all of its inputs that may change (a node reading two changed paths, as `x * sigmoid(x)` does, must
    /// see both new types), so nodes downstream are visited in topological order.
    func reinferDownstream(_ start: [Node]) throws {
        // The common case in rewrites: the start nodes keep their types, and nothing downstream is touched.
        // (An error here may come from a start node reading another one's stale type; the full walk decides.)
        var original: [ObjectIdentifier: Inferred] = [:]
        for node in start { original[ObjectIdentifier(node)] = Inferred(node) }
        var anyChanged = false
        for node in start {
            let before = Inferred(node)
            do { try reinfer(node) } catch { anyChanged = true; break }
            if Inferred(node) != before { anyChanged = true; break }
        }
        guard anyChanged else { return }

        // Everything reachable from `start` through uses, and how many of each one's inputs come from there.
        var members: [Node] = [], affected = Set<ObjectIdentifier>(), stack = start
        while let n = stack.popLast() {
            guard affected.insert(ObjectIdentifier(n)).inserted else { continue }
            members.append(n)
            for uses in n.uses { for u in uses { stack.append(u.node) } }
        }
        var pending: [ObjectIdentifier: Int] = [:]
        for n in members {
            pending[ObjectIdentifier(n)] = n.inputs.filter { affected.contains(ObjectIdentifier($0.node)) }.count
        }
        let starts = Set(start.map(ObjectIdentifier.init))
        var changed = Set<ObjectIdentifier>()
        func visit(_ n: Node) throws {
            let id = ObjectIdentifier(n)
            guard starts.contains(id) || n.inputs.contains(where: { changed.contains(ObjectIdentifier($0.node)) }) else { return }
            let before = original[id] ?? Inferred(n)
            try reinfer(n)
            if Inferred(n) != before { changed.insert(id) }
        }
        var ready = members.filter { pending[ObjectIdentifier($0)] == 0 }.sorted { $0.id > $1.id }
        var done = 0
        while let n = ready.popLast() {
            try visit(n)
            done += 1
            for uses in n.uses {
                for u in uses {
                    let id = ObjectIdentifier(u.node)
                    guard let p = pending[id] else { continue }
                    pending[id] = p - 1
                    if p == 1 { ready.append(u.node) }
                }
            }
        }
        // Nodes on a cycle never become ready; infer them once in creation order (`verify()` reports the cycle).
        if done < members.count {
            for n in members.filter({ pending[ObjectIdentifier($0)]! > 0 }).sorted(by: { $0.id < $1.id }) { try visit(n) }
        }
    }

    private func rewire(_ node: Node, _ index: Int, to value: Output) {
        let old = node.inputs[index]
        old.node.uses[old.index].removeAll { $0.node === node && $0.inputIndex == index }
        node.inputs[index] = value
        value.node.uses[value.index].append(Use(node: node, inputIndex: index))
    }

    private func checkValue(_ value: Output, feeding node: String, input: Int) throws {
        guard contains(value.node) else { throw GraphError(node: node, "input \(input) comes from '\(value.node.name)', which is not in this graph") }
        guard value.index >= 0, value.index < value.node.outputCount else {
            throw GraphError(node: node, "input \(input) reads output \(value.index) of '\(value.node.name)', which has \(value.node.outputCount)")
        }
    }

    /// Removes a node nobody reads.
    public func erase(_ node: Node) throws {
        guard !node.hasUses else { throw GraphError(node: node.name, "cannot erase a node that still has users") }
        for (k, i) in node.inputs.enumerated() {
            i.node.uses[i.index].removeAll { $0.node === node && $0.inputIndex == k }
        }
        live[ObjectIdentifier(node)] = nil
        parameters.removeAll { $0 === node }
        results.removeAll { $0 === node }
    }

    /// Removes every node that no Result can reach (Parameters are kept), here and in every body graph; returns
    /// how many nodes went.
    @discardableResult
    public func removeDeadNodes() throws -> Int {
        var erased = 0
        try walk { graph, path in
            do { erased += try graph.removeOwnDeadNodes() } catch let e as GraphError { throw path.wrap(e) }
        }
        return erased
    }

    /// Removes the nodes of this graph (not of its bodies) that no Result can reach.
    private func removeOwnDeadNodes() throws -> Int {
        let reachable = Set(topologicalOrder().map(ObjectIdentifier.init))
        let dead = nodes.filter { !reachable.contains(ObjectIdentifier($0)) && !($0.op is Parameter) }
        let deadIDs = Set(dead.map(ObjectIdentifier.init))
        // Readers before what they read, whatever the creation order: erase a node once its last reader is gone.
        var ready = dead.filter { !$0.hasUses }
        var erased = 0
        while let node = ready.popLast() {
            let sources = node.inputs.map(\.node)
            try erase(node)
            erased += 1
            for source in sources where deadIDs.contains(ObjectIdentifier(source)) && contains(source) && !source.hasUses
                && !ready.contains(where: { $0 === source }) {
                ready.append(source)
            }
        }
        if let stuck = dead.first(where: contains) { throw GraphError(node: stuck.name, "unreachable nodes form a cycle") }
        return erased
    }

    // MARK: Order

    /// Nodes reachable from the parameters and results, each after its inputs: a depth-first walk
    /// from each parameter, then from each result, inputs in order (deterministic for a given graph).
    /// Back edges of a cycle are skipped here; `verify()` reports them.
    public func topologicalOrder() -> [Node] {
        var order: [Node] = []
        var state: [ObjectIdentifier: Bool] = [:]  // false = on stack, true = done
        func visit(_ root: Node) {
            var stack: [(Node, Int)] = [(root, 0)]
            while let (node, next) = stack.popLast() {
                let id = ObjectIdentifier(node)
                if next == 0 {
                    if state[id] != nil { continue }
                    state[id] = false
                }
                if next < node.inputs.count {
                    stack.append((node, next + 1))
                    let child = node.inputs[next].node
                    if state[ObjectIdentifier(child)] == nil { stack.append((child, 0)) }
                } else {
                    state[id] = true
                    order.append(node)
                }
            }
        }
        for p in parameters { visit(p) }
        for r in results { visit(r) }
        return order
    }
}

/// An inconsistency or failure tied to a named node.
public struct GraphError: Error, CustomStringConvertible {
    public let node: String
    public let message: String

    public init(node: String, _ message: String) {
        self.node = node
        self.message = message
    }

    public var description: String { "node '\(node)': \(message)" }
}
