import OVIR

/// Shape subgraphs of models with dynamic dims, simplified with sizes known up to symbols (`SymbolicShapes`),
/// as OpenVINO's symbolic optimizations do (NopBroadcast, ReshapeOptimizations, OptimizeSymbolsUsedAsValues):
/// a Reshape or Broadcast whose output has its input's dims goes, a Reshape target that copies dims from a
/// ShapeOf becomes a Const with 0 (special_zero) and -1, and a shape value whose symbols cancel becomes a Const.
/// Exporters write `x.view(x.size(0), -1, 6, 64)` and `q.reshape(k.shape)` this way; with a dynamic batch no
/// folding can remove them, since no dim is static, but symbols see that the sizes are the same ones.
public struct ShapeSubgraphSimplification: Pass {
    public let name = "ShapeSubgraphSimplification"
    public let summary = "removes Reshapes and Broadcasts that keep their input's dims and makes shape values from ShapeOf Consts"

    public init() {}

    public func run(on graph: Graph) throws -> PassResult {
        // Symbols found once: the rewrites below keep every value the same, so what was found stays true.
        let driver = RewriteDriver(rules(SymbolicShapes(graph)), acceptsRefinedTypes: true)
        let outcome = try driver.run(on: graph)
        let skipped = outcome.hitCap ? ["stopped after \(driver.maxSweeps) sweeps with rules still firing"] : []
        return PassResult(changed: !outcome.fired.isEmpty, skipped: skipped, rewrites: outcome.fired)
    }

    /// Ops that compute shape values (`SymbolicShapes.valueRules`).
    static let valueOps = Set(SymbolicShapes.valueRules.keys)

    func rules(_ shapes: SymbolicShapes) -> [Rule] {
        let x = Pattern.any("x"), target = Pattern.any("target")
        return [
            // v computed (from a ShapeOf, mostly) -> Const v, when every element is a static number, as the 400 of
            // Gather(ShapeOf(Reshape(x [b, 400, 384], [0, -1, 6, 64])), 1)
            Rule("StaticShapeValue", .node(where: { Self.valueOps.contains($0.typeName) })) { m in
                try Self.staticValue(m, shapes)
            },
            // Reshape(x, t) -> x, when the output has x's dims
            Rule("ReshapeKeepingDims", .op(Reshape.self, x, target)) { m in
                Self.sameDims(m, shapes) ? m["x"] : nil
            },
            // Broadcast(x, t) -> x, when the output has x's dims
            Rule("BroadcastKeepingDims", .op(Broadcast.self, x, target, where: { $0.mode != .explicit })) { m in
                Self.sameDims(m, shapes) ? m["x"] : nil
            },
            // Reshape(x, Concat(Gather(ShapeOf(y), 0), 6, d)) -> Reshape(x, [0, 6, -1], special_zero) when y's dim 0
            // is x's dim 0 and d is the one size left
            Rule("ReshapeTargetToConst", .op(Reshape.self, x, target)) { m in
                try Self.constantTarget(m, shapes)
            },
        ]
    }

    /// The root's value as a Const, when every element is a static number and something it reads is computed
    /// (a value of Consts only is ConstantFolding's, within its --max-fold-bytes).
    static func staticValue(_ m: Match, _ shapes: SymbolicShapes) throws -> Output? {
        let out = m.root.output()
        guard m.root.inputs.contains(where: { $0.constant == nil }), let dims = out.shape.staticDims, let value = shapes.value(out) else { return nil }
        let numbers = value.compactMap { $0?.value }
        guard numbers.count == value.count, let tensor = tensor(numbers, out.elementType, dims: dims) else { return nil }
        return try m.constant(tensor)
    }

    /// Whether the root's output has the dims of its input 0 (both ranks known, every dim the same SymbolicDim).
    static func sameDims(_ m: Match, _ shapes: SymbolicShapes) -> Bool {
        guard let input = shapes.shape(m["x"]), let output = shapes.shape(m.root.output()) else { return false }
        return input == output
    }

    /// Reshape(x, t) with t computed: a Reshape reading a Const target, where each element of t is a static
    /// number (kept), x's own dim at that position (0, special_zero) or the one size left (-1).
    static func constantTarget(_ m: Match, _ shapes: SymbolicShapes) throws -> Output? {
        guard let op = m.root.op as? Reshape, m["target"].constant == nil, let x = shapes.shape(m["x"]),
              let value = shapes.value(m["target"]), let length = m["target"].shape.staticDims, length.count == 1
        else { return nil }
        var target: [Int] = [], copies = false, left: Int? = nil
        for (k, element) in value.enumerated() {
            guard let e = element else { return nil }  // an unknown number may be -1 or a special 0
            if let v = e.value {
                target.append(v)
            } else if k < x.count && x[k] == e {
                target.append(0)
                copies = true
            } else {
                guard left == nil else { return nil }  // two sizes left: -1 can stand for one only
                left = k
                target.append(-1)
            }
        }
        if left != nil && target.filter({ $0 == -1 }).count > 1 { return nil }
        // Turning special_zero on would make a static 0 (an empty dim) copy x's dim instead.
        if copies && !op.specialZero && value.contains(where: { $0?.value == 0 }) { return nil }
        guard let tensor = tensor(target, m["target"].elementType, dims: length) else { return nil }
        do {
            return try m.add(Reshape(specialZero: op.specialZero || copies), m["x"], m.constant(tensor))
        } catch {
            // Type inference refuses the Const target (x's elements do not divide): the graph fails at run time
            // anyway, and as it is, it converts.
            throw Rule.Declined("\(error)")
        }
    }

    /// `numbers` as a tensor of a shape value's element type (nil for another type, or a number it cannot hold).
    static func tensor(_ numbers: [Int], _ type: ElementType, dims: [Int]) -> Tensor? {
        switch type {
        case .i64: return .i64(numbers, dims: dims)
        case .i32: return numbers.allSatisfy({ Int32(exactly: $0) != nil }) ? .i32(numbers, dims: dims) : nil
        case .f32: return numbers.allSatisfy({ $0.magnitude <= 1 << 24 }) ? .f32(numbers.map(Float.init), dims: dims) : nil
        default: return nil
        }
    }
}
