import OVIR

/// Every value's shape, and every small shape value's elements, in `SymbolicDim`s: OpenVINO's symbolic shape
/// inference (its "labels"), reduced to what shape subgraphs need. Each dynamic dim of a Parameter gets a
/// symbol, and the rules below carry symbols through the ops that keep, move, multiply or divide dims; any
/// other dynamic dim gets a symbol of its own. So two dims share a symbol only when they are equal at run time.
///
/// Values are kept for outputs of at most `valueLimit` elements and rank 0 or 1 (what ShapeOf, Gather, Concat
/// and friends compute): an element is a `SymbolicDim` when it is a size (from a ShapeOf, or a static number),
/// nil when unknown. An element with symbols is a size (never negative, never a Reshape's -1), so an element that
/// may be -1 or a special 0 is unknown, never a symbol.
///
/// Computed for the whole graph at the start, and for a node added later when first asked (its facts stay
/// true when the graph is rewritten without changing what it computes, which is all a rewrite may do).
final class SymbolicShapes {
    typealias Dims = [SymbolicDim]
    typealias Values = [SymbolicDim?]

    /// Values are kept for outputs of at most this many elements.
    static let valueLimit = 64

    private var shapes: [Output: Dims] = [:]
    private var values: [Output: Values] = [:]
    /// The nodes done, held so that no node freed by a rewrite leaves its identifier to a new one.
    private var computed: [ObjectIdentifier: Node] = [:]
    private var symbolCount = 0

    init(_ graph: Graph) {
        for node in graph.topologicalOrder() { compute(node) }
    }

    /// The shape of `output` (nil when its rank is unknown).
    func shape(_ output: Output) -> Dims? {
        ensure(output.node)
        return shapes[output]
    }

    /// The elements of `output`'s value (nil when it is no small rank-0 or rank-1 value).
    func value(_ output: Output) -> Values? {
        ensure(output.node)
        return values[output]
    }

    /// A symbol used nowhere else.
    func freshSymbol() -> SymbolicDim {
        symbolCount += 1
        return .symbol(symbolCount)
    }

    /// `shape` with a fresh symbol for each dim that is not static (nil for an unknown rank).
    func fresh(_ shape: Shape) -> Dims? {
        shape.dims?.map { $0.value.map(SymbolicDim.fixed) ?? freshSymbol() }
    }

    private func ensure(_ node: Node) {
        guard computed[ObjectIdentifier(node)] == nil else { return }
        for input in node.inputs { ensure(input.node) }  // only nodes added since `init` get here: a short walk
        compute(node)
    }

    private func compute(_ node: Node) {
        computed[ObjectIdentifier(node)] = node
        let inputs = RuleInputs(node: node, shapes: node.inputs.map { shapes[$0] }, values: node.inputs.map { values[$0] })
        let ruled = Self.shapeRule(for: node.op).flatMap { $0(inputs, self) }
        for output in node.outputs {
            let inferred = output.shape
            var dims = ruled.flatMap { output.index < $0.count ? $0[output.index] : nil }
            // A rule's rank always agrees with type inference; a static dim type inference knows wins.
            if let d = dims, let known = inferred.dims {
                dims = d.count == known.count ? zip(d, known).map { s, k in k.value.map(SymbolicDim.fixed) ?? s } : fresh(inferred)
            } else if dims == nil {
                dims = fresh(inferred)
            }
            if let dims { shapes[output] = dims }
            if let v = valueElements(of: output, ruled: Self.valueRule(for: node.op)?(inputs)) { values[output] = v }
        }
    }

    /// The elements of a small rank-0/1 output: the rule's, where type inference's partial value does not
    /// know an element exactly.
    private func valueElements(of output: Output, ruled: Values?) -> Values? {
        guard output.index == 0, let dims = output.shape.staticDims, dims.count <= 1 else { return nil }
        let count = dims.first ?? 1
        guard count <= Self.valueLimit else { return nil }
        var elements = ruled.flatMap { $0.count == count ? $0 : nil } ?? Array(repeating: nil, count: count)
        if let known = output.value, known.count == count {
            for (k, d) in known.enumerated() { if let v = d.value { elements[k] = .fixed(v) } }
        }
        if let constant = output.constant, let numbers = Self.integralValues(constant), numbers.count == count {
            elements = numbers.map { .fixed($0) }
        }
        return elements.allSatisfy({ $0 == nil }) ? nil : elements
    }

    /// A Const's values when every one is an integer (a float Const too: Range bounds are often f32).
    static func integralValues(_ tensor: Tensor) -> [Int]? {
        guard tensor.elementCount <= valueLimit else { return nil }
        if tensor.elementType.isInteger { return tensor.intValues() }
        guard tensor.elementType.isFloatingPoint, let doubles = tensor.doubleValues(),
              doubles.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) else { return nil }
        return doubles.map { Int($0) }
    }

    /// What a rule sees of a node: the node and its inputs' symbolic shapes and values.
    struct RuleInputs {
        let node: Node
        let shapes: [SymbolicShapes.Dims?]
        let values: [SymbolicShapes.Values?]

        /// Input `k`'s value when every element is static.
        func ints(_ k: Int) -> [Int]? {
            guard k < values.count, let v = values[k] else { return nil }
            let ints = v.compactMap { $0?.value }
            return ints.count == v.count ? ints : nil
        }

        /// Input `k`'s value as sizes, when every element is one.
        func sizes(_ k: Int) -> [SymbolicDim]? {
            guard k < values.count, let v = values[k] else { return nil }
            let sizes = v.compactMap { $0 }
            return sizes.count == v.count && sizes.allSatisfy({ $0.coefficient >= 0 }) ? sizes : nil
        }
    }
}
