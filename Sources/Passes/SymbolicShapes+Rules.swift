import OVIR

/// The rules: per op, its outputs' shapes (`shapeRule`) and, for the ops that compute shape values, their
/// elements (`valueRule`), from the inputs'. A rule returns nil (or nil for an output) when it cannot say;
/// that output then gets type inference's shape with a fresh symbol per dynamic dim. Rules only claim what
/// holds for every input the op accepts, with one assumption OpenVINO's symbolic optimizations make too: no
/// dim is 0 (an empty tensor), so a Reshape's -1 is the quotient of the other dims.
extension SymbolicShapes {
    typealias ShapeRule = (RuleInputs, SymbolicShapes) -> [Dims?]?
    typealias ValueRule = (RuleInputs) -> Values?

    /// Ops whose output 0 has input 0's shape.
    static let keepsShape: Set<String> = [
        Convert.type, ConvertLike.type, Softmax.type, LogSoftmax.type, MVN.type, Round.type, LRN.type,
        BatchNormInference.type, IsNaN.type, IsFinite.type, IsInf.type,
    ]

    static let shapeRules: [String: ShapeRule] = [
        Parameter.type: { r, s in [s.fresh(r.node.output().shape)] },
        // Transpose(x, p): x's dims in the order p
        Transpose.type: { r, _ in
            guard let x = r.shapes[0], let order = r.ints(1), order.sorted() == Array(x.indices) else { return nil }
            return [order.map { x[$0] }]
        },
        Reshape.type: { r, s in [reshapeOutput(r, s)] },
        Squeeze.type: { r, _ in
            guard let x = r.shapes[0] else { return nil }
            guard r.node.inputs.count == 2 else {
                // Without axes every 1 goes; a symbol may be 1 at run time.
                return x.allSatisfy({ $0.value != nil }) ? [x.filter { $0.value != 1 }] : nil
            }
            guard let raw = r.ints(1) else { return nil }
            let axes = raw.compactMap { try? ShapeInference.axis($0, rank: x.count) }
            guard axes.count == raw.count else { return nil }
            return [x.enumerated().filter { !axes.contains($0.offset) }.map(\.element)]
        },
        // Unsqueeze(x, axes): a 1 at each axis of the output
        Unsqueeze.type: { r, _ in
            guard var x = r.shapes[0], let raw = r.ints(1) else { return nil }
            let axes = raw.compactMap { try? ShapeInference.axis($0, rank: x.count + raw.count) }
            guard axes.count == raw.count, Set(axes).count == axes.count else { return nil }
            for a in axes.sorted() { x.insert(.fixed(1), at: a) }
            return [x]
        },
        Concat.type: { r, s in
            let all = r.shapes.compactMap { $0 }
            guard let op = r.node.op as? Concat, all.count == r.shapes.count,
                  let rank = all.first?.count, all.allSatisfy({ $0.count == rank }),
                  let axis = try? ShapeInference.axis(op.axis, rank: rank) else { return nil }
            var out = all[0]
            for k in 0..<rank where k != axis {
                // Concat needs every input's dim to be equal here: a static one says which.
                out[k] = all.first(where: { $0[k].value != nil })?[k] ?? all[0][k]
            }
            // The concatenated dim: the sum when every part is static (sums of symbols are not kept).
            let sizes = all.compactMap { $0[axis].value }
            out[axis] = sizes.count == all.count ? checkedSum(sizes).map(SymbolicDim.fixed) ?? s.freshSymbol() : s.freshSymbol()
            return [out]
        },
        // Split(x, axis, n): each part has x's dim / n there
        Split.type: { r, s in
            guard let op = r.node.op as? Split, op.numSplits > 0, let x = r.shapes[0],
                  let a = r.ints(1), a.count == 1, let axis = try? ShapeInference.axis(a[0], rank: x.count) else { return nil }
            var part = x
            part[axis] = x[axis].divided(by: .fixed(op.numSplits)) ?? s.freshSymbol()
            return Array(repeating: part, count: op.numSplits)
        },
        // VariadicSplit(x, axis, lengths): each part has its length there; -1 has what the others leave
        VariadicSplit.type: { r, s in
            guard let x = r.shapes[0], let a = r.ints(1), a.count == 1, let axis = try? ShapeInference.axis(a[0], rank: x.count),
                  let lengths = r.ints(2), let known = checkedSum(lengths.filter { $0 != -1 }) else { return nil }
            return lengths.map { length in
                var part = x
                if length != -1 { part[axis] = .fixed(length) }
                else if known == 0 { part[axis] = x[axis] }
                else if let n = x[axis].value, case let (rest, false) = n.subtractingReportingOverflow(known) { part[axis] = .fixed(rest) }
                else { part[axis] = s.freshSymbol() }
                return part
            }
        },
        // MatMul(a, b) with a [.., m, k] and b [.., k, n] (after the transpose flags): [broadcast batch.., m, n]
        MatMul.type: { r, s in
            guard let op = r.node.op as? MatMul, var a = r.shapes[0], var b = r.shapes[1], a.count >= 2, b.count >= 2 else { return nil }
            if op.transposeA { a.swapAt(a.count - 1, a.count - 2) }
            if op.transposeB { b.swapAt(b.count - 1, b.count - 2) }
            return [broadcast(Array(a.dropLast(2)), Array(b.dropLast(2)), s) + [a[a.count - 2], b[b.count - 1]]]
        },
        // Gather(x, indices, axis): x's dims with the indices' dims in place of the axis
        Gather.type: { r, _ in
            guard let op = r.node.op as? Gather, op.batchDims == 0, let x = r.shapes[0], let indices = r.shapes[1],
                  let a = r.ints(2), a.count == 1, let axis = try? ShapeInference.axis(a[0], rank: x.count) else { return nil }
            return [Array(x[..<axis]) + indices + Array(x[(axis + 1)...])]
        },
        // ShapeOf(x): [rank of x]
        ShapeOf.type: { r, _ in r.shapes[0].map { [[.fixed($0.count)]] } },
        Broadcast.type: { r, s in
            guard let op = r.node.op as? Broadcast, let x = r.shapes[0], let v = r.values[1] else { return nil }
            // Broadcast(x, t): t (numpy), or x and t broadcast together (bidirectional). A static element of t is a
            // size (these targets have no -1); an unknown one is new.
            let target = v.map { e -> SymbolicDim in
                guard let e, (e.value ?? 0) >= 0 else { return s.freshSymbol() }
                return e
            }
            switch op.mode {
            case .numpy: return [target]
            case .bidirectional: return [broadcast(x, target, s)]
            case .explicit: return nil
            }
        },
        RangeOp.type: { r, _ in
            // Range(0, n, 1) has n elements.
            guard r.ints(0) == [0], r.ints(2) == [1], let stop = r.sizes(1), stop.count == 1 else { return nil }
            return [stop]
        },
        Slice.type: { r, s in
            guard var x = r.shapes[0], let starts = r.ints(1), let stops = r.ints(2), let steps = r.ints(3) else { return nil }
            let axes = r.node.inputs.count == 5 ? r.ints(4) : Array(starts.indices)
            guard let axes, axes.count == starts.count, stops.count == starts.count, steps.count == starts.count else { return nil }
            for (k, a) in axes.enumerated() {
                guard let axis = try? ShapeInference.axis(a, rank: x.count) else { return nil }
                // A slice from the start to the end keeps the dim; type inference says what any other one is. A stop
                // of 2^31 - 1 or more counts as the end of a dynamic dim (no dim is that long).
                let whole = starts[k] == 0 && steps[k] == 1 && stops[k] >= (x[axis].value ?? Int(Int32.max))
                if !whole { x[axis] = s.freshSymbol() }
            }
            return [x]
        },
        // FakeQuantize(x, lows, highs..), Select(c, a, b): every input broadcast together
        FakeQuantize.type: { r, s in broadcastAll(r, s) },
        Select.type: { r, s in broadcastAll(r, s) },
    ]

    /// The table's rule, else the rule of the op's family (the families are protocols, each with many op types).
    static func shapeRule(for op: any Op) -> ShapeRule? {
        if let rule = shapeRules[op.typeName] { return rule }
        if keepsShape.contains(op.typeName) || op is any UnaryElementwiseOp || op is any ParameterizedActivation {
            return { r, _ in r.shapes[0].map { [$0] } }
        }
        if let binary = op as? any BinaryElementwiseOp {
            return binary.autoBroadcast == .numpy ? { r, s in broadcastAll(r, s) } : nil
        }
        if let reduce = op as? any ReductionOp {
            return { r, _ in
                guard let x = r.shapes[0], let raw = r.ints(1) else { return nil }
                let axes = raw.compactMap { try? ShapeInference.axis($0, rank: x.count) }
                guard axes.count == raw.count else { return nil }
                if reduce.keepDims { return [x.enumerated().map { axes.contains($0.offset) ? .fixed(1) : $0.element }] }
                return [x.enumerated().filter { !axes.contains($0.offset) }.map(\.element)]
            }
        }
        if let conv = op as? any ConvolutionOp {
            return { r, s in
                // Filters are [OC, IC, k...] or, grouped, [G, OC/G, IC/G, k...].
                let prefix = type(of: conv).grouped ? 3 : 2
                guard let filters = r.node.inputs[1].shape.staticDims, filters.count > prefix else { return nil }
                let window = Window(kernel: Array(filters[prefix...]), strides: conv.strides, dilations: conv.dilations,
                                    padsBegin: conv.padsBegin, padsEnd: conv.padsEnd, autoPad: conv.autoPad)
                return window.output(r, s).map { [$0] }
            }
        }
        if let pool = op as? any MaxPoolOp {
            return { r, s in
                let window = Window(kernel: pool.kernel, strides: pool.strides, dilations: pool.dilations,
                                    padsBegin: pool.padsBegin, padsEnd: pool.padsEnd, autoPad: pool.autoPad)
                return window.output(r, s).map { [$0, $0] }
            }
        }
        if let pool = op as? any AvgPoolOp {
            return { r, s in
                let window = Window(kernel: pool.kernel, strides: pool.strides, dilations: [],
                                    padsBegin: pool.padsBegin, padsEnd: pool.padsEnd, autoPad: pool.autoPad)
                return window.output(r, s).map { [$0] }
            }
        }
        return nil
    }

    // MARK: Values

    static let valueRules: [String: ValueRule] = [
        // ShapeOf(x) = x's dims
        ShapeOf.type: { r in r.shapes[0] },
        // Gather(v, indices, 0) = v[indices]
        Gather.type: { r in
            guard let op = r.node.op as? Gather, op.batchDims == 0, r.ints(2) == [0], let v = r.values[0],
                  let indices = r.ints(1) else { return nil }
            let picked = indices.map { try? ShapeInference.axis($0, rank: v.count) }
            return picked.contains(nil) ? nil : picked.map { v[$0!] }
        },
        // Slice(v, start, stop, 1) = v[start..<stop]
        Slice.type: { r in
            guard let v = r.values[0], let start = r.ints(1), let stop = r.ints(2), let step = r.ints(3),
                  start.count == 1, stop.count == 1, step == [1], r.node.inputs.count == 4 || r.ints(4).map({ $0 == [0] || $0 == [-1] }) == true
            else { return nil }
            func clamp(_ i: Int) -> Int { min(max(i < 0 ? i + v.count : i, 0), v.count) }
            let (lo, hi) = (clamp(start[0]), clamp(stop[0]))
            return lo < hi ? Array(v[lo..<hi]) : []
        },
        // Concat(v, w, ..) = v + w + ..
        Concat.type: { r in
            let parts = r.values.compactMap { $0 }
            return parts.count == r.values.count ? parts.flatMap { $0 } : nil
        },
        // Squeeze, Unsqueeze and Reshape of a value keep its elements in order
        Squeeze.type: { r in r.values[0] },
        Unsqueeze.type: { r in r.values[0] },
        Reshape.type: { r in r.values[0] },
        // Convert(v, T) = v, for the elements T holds exactly
        Convert.type: { r in
            guard let op = r.node.op as? Convert, let v = r.values[0] else { return nil }
            return v.map { $0.flatMap { converted($0, to: op.destinationType) } }
        },
        // v * w, v / w (exact quotients only), v + w and v - w (static only), element by element
        Multiply.type: { r in elementwise(r) { a, b in a * b } },
        Divide.type: { r in elementwise(r) { a, b in a.divided(by: b) } },
        Add.type: { r in elementwise(r) { a, b in staticArithmetic(a, b) { $0.addingReportingOverflow($1) } } },
        Subtract.type: { r in elementwise(r) { a, b in staticArithmetic(a, b) { $0.subtractingReportingOverflow($1) } } },
    ]

    /// `element` after a Convert to `type`, when `type` holds it exactly: a static number within the type's range,
    /// a size as any integer type or, when it is one symbol (a dim, far below 2^24), as a float.
    static func converted(_ element: SymbolicDim, to type: ElementType) -> SymbolicDim? {
        guard let v = element.value else {
            switch type {
            case .i64, .i32, .u64, .u32: return element
            case .f64, .f32: return element.symbols.count == 1 && element.coefficient == 1 ? element : nil
            default: return nil
            }
        }
        let fits: Bool = switch type {
        case .i64: true
        case .i32: Int32(exactly: v) != nil
        case .u64: v >= 0
        case .u32: UInt32(exactly: v) != nil
        case .f64: v.magnitude <= 1 << 53
        case .f32: v.magnitude <= 1 << 24
        default: false
        }
        return fits ? element : nil
    }

    /// `f(a, b)` of two static numbers (nil for a symbol or on overflow).
    private static func staticArithmetic(_ a: SymbolicDim, _ b: SymbolicDim,
                                         _ f: (Int, Int) -> (partialValue: Int, overflow: Bool)) -> SymbolicDim? {
        guard let x = a.value, let y = b.value else { return nil }
        let (result, overflow) = f(x, y)
        return overflow ? nil : .fixed(result)
    }

    /// The sum of `numbers` (nil on overflow).
    static func checkedSum(_ numbers: [Int]) -> Int? {
        numbers.reduce(0 as Int?) { total, n in
            total.flatMap { t in
                let (s, overflow) = t.addingReportingOverflow(n)
                return overflow ? nil : s
            }
        }
    }

    static func valueRule(for op: any Op) -> ValueRule? { valueRules[op.typeName] }

    /// `a op b` element by element, one-element values broadcasting.
    private static func elementwise(_ r: RuleInputs, _ f: (SymbolicDim, SymbolicDim) -> SymbolicDim?) -> Values? {
        guard let a = r.values[0], let b = r.values[1], a.count == b.count || a.count == 1 || b.count == 1 else { return nil }
        return (0..<max(a.count, b.count)).map { k in
            guard let x = a[a.count == 1 ? 0 : k], let y = b[b.count == 1 ? 0 : k] else { return nil }
            return f(x, y)
        }
    }

    // MARK: Helpers

    /// Numpy broadcasting: a 1 takes the other dim; equal dims stay; a static dim other than 1 wins over a
    /// symbol (which must then be it, or 1); two different symbols give a new one.
    static func broadcast(_ a: Dims, _ b: Dims, _ s: SymbolicShapes) -> Dims {
        let rank = max(a.count, b.count)
        let x = Array(repeating: SymbolicDim.fixed(1), count: rank - a.count) + a
        let y = Array(repeating: SymbolicDim.fixed(1), count: rank - b.count) + b
        return zip(x, y).map { p, q in
            if p == q || q.value == 1 { return p }
            if p.value == 1 { return q }
            if p.value != nil { return p }
            if q.value != nil { return q }
            return s.freshSymbol()
        }
    }

    /// Every input's shape broadcast together (nil when one's rank is unknown).
    private static func broadcastAll(_ r: RuleInputs, _ s: SymbolicShapes) -> [Dims?]? {
        let all = r.shapes.compactMap { $0 }
        guard all.count == r.shapes.count, let first = all.first else { return nil }
        return [all.dropFirst().reduce(first) { broadcast($0, $1, s) }]
    }

    /// Reshape: a static target element is its size (0 with special_zero copies the input's dim, -1 is what the
    /// other dims leave of the input's elements), a size from a ShapeOf is itself (with special_zero only when it is
    /// the input's own dim there: a size that is 0 at run time would copy that dim), an unknown one is new.
    private static func reshapeOutput(_ r: RuleInputs, _ s: SymbolicShapes) -> Dims? {
        guard let op = r.node.op as? Reshape, let target = r.values[1] else { return nil }
        let x = r.shapes[0]
        var out: [SymbolicDim?] = target.enumerated().map { k, element in
            guard let e = element else { return s.freshSymbol() }
            switch e.value {
            case -1: return nil
            case 0 where op.specialZero: return x.flatMap { k < $0.count ? $0[k] : nil } ?? s.freshSymbol()
            case let v? where v < -1: return s.freshSymbol()
            case nil where op.specialZero: return x.flatMap { k < $0.count && $0[k] == e ? e : nil } ?? s.freshSymbol()
            default: return e
            }
        }
        if let minusOne = out.firstIndex(where: { $0 == nil }) {
            let others = out.compactMap { $0 }
            let solved = x.flatMap { SymbolicDim.product($0) }.flatMap { total in
                SymbolicDim.product(others).flatMap { total.divided(by: $0) }
            }
            out[minusOne] = solved ?? s.freshSymbol()
        }
        return out.map { $0 ?? s.freshSymbol() }
    }
}

extension SymbolicShapes {
    /// A convolution's or pooling's window, for the spatial dims it keeps: with stride 1, a dim keeps its size
    /// when the pads make up for the window (`pads == dilation × (kernel − 1)`, or `same_*` auto padding). At stride 1
    /// a pooling's rounding type does not matter (the division is exact).
    fileprivate struct Window {
        var kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int], autoPad: PadType

        func output(_ r: RuleInputs, _ s: SymbolicShapes) -> SymbolicShapes.Dims? {
            guard let x = r.shapes[0], x.count == kernel.count + 2 else { return nil }
            var out = [x[0], s.freshSymbol()]  // the channel count: type inference knows it
            for k in kernel.indices {
                let stride = k < strides.count ? strides[k] : 1
                let dilation = k < dilations.count ? dilations[k] : 1
                // Attributes may hold any number: overflow means "not this window".
                let pads = (k < padsBegin.count ? padsBegin[k] : 0).addingReportingOverflow(k < padsEnd.count ? padsEnd[k] : 0)
                let extent = kernel[k].subtractingReportingOverflow(1)
                let window = extent.overflow ? extent : dilation.multipliedReportingOverflow(by: extent.partialValue)
                let padded: Bool = switch autoPad {
                case .sameUpper, .sameLower: true
                case .valid: kernel[k] == 1
                case .explicit: !pads.overflow && !window.overflow && pads.partialValue == window.partialValue
                }
                out.append(stride == 1 && padded ? x[k + 2] : s.freshSymbol())
            }
            return out
        }
    }
}
