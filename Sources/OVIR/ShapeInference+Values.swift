/// Partial values (`InferenceInput.value`): what type inference knows about the elements of small integer
/// tensors that shape subgraphs compute. Each element is an integer range held in a `Dim` (`lower...upper`,
/// upper nil = unbounded above; static = known exactly, possibly negative). A range without a lower bound is
/// not representable, so an op whose result would need one gives no value at all.
extension ShapeInference {
    /// Values are tracked for tensors of at most this many elements (shapes, axes, pads, sizes).
    public static let valueLimit = 64

    /// The elements of a Const worth tracking: integers, or floats holding integers (shape arithmetic done in f32).
    public static func value(of tensor: Tensor) -> [Dim]? {
        guard tensor.elementCount <= valueLimit else { return nil }
        // Booleans count as 0 and 1 (conditions of Selects in shape subgraphs).
        if tensor.elementType.isInteger || tensor.elementType == .boolean { return tensor.intValues()?.map(Dim.fixed) }
        guard tensor.elementType.isFloatingPoint, let values = tensor.doubleValues(),
              values.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) else { return nil }
        return values.map { .fixed(Int($0)) }
    }

    /// The integers of a value whose every element is known exactly.
    public static func exactValues(_ value: [Dim]) -> [Int]? {
        var out: [Int] = []
        for d in value {
            guard let v = d.value else { return nil }
            out.append(v)
        }
        return out
    }

    /// A value element read as a size (a target dim, a pad, a count): negative possibilities are dropped,
    /// since a valid model can only hold a size there.
    public static func size(_ element: Dim) -> Dim {
        guard element.lower < 0 else { return element }
        return Dim(lower: 0, upper: element.upper.map { max($0, 0) })
    }

    /// Element by element with numpy broadcasting of a 1-element operand; nil when an element is unknowable
    /// or the operands are not both vectors/scalars of matching length.
    static func elementwise(_ inputs: [InferenceInput], _ f: (Dim, Dim) -> Dim?) -> [Dim]? {
        guard inputs.count == 2, let a = inputs[0].value, let b = inputs[1].value else { return nil }
        for input in inputs where (input.shape.rank ?? 2) > 1 && input.value!.count != 1 { return nil }
        let n = max(a.count, b.count)
        guard a.count == n || a.count == 1, b.count == n || b.count == 1 else { return nil }
        var out: [Dim] = []
        for i in 0..<n {
            guard let r = f(a[a.count == 1 ? 0 : i], b[b.count == 1 ? 0 : i]) else { return nil }
            out.append(r)
        }
        return out
    }

    /// `f(a, b)` of exactly known elements (comparisons and logic give 0 or 1).
    static func exactly(_ f: @escaping (Int, Int) -> Int?) -> (Dim, Dim) -> Dim? {
        { a, b in a.value.flatMap { x in b.value.flatMap { f(x, $0) } }.map(Dim.fixed) }
    }

    /// `a + b` on ranges.
    static func sum(_ a: Dim, _ b: Dim) -> Dim? {
        let (lo, o) = a.lower.addingReportingOverflow(b.lower)
        guard !o else { return nil }
        return Dim(lower: lo, upper: bounded(a.upper, b.upper) { $0.addingReportingOverflow($1) })
    }

    /// `a - b` on ranges (needs b's upper bound for the lower bound).
    static func difference(_ a: Dim, _ b: Dim) -> Dim? {
        guard let bu = b.upper else { return nil }
        let (lo, o) = a.lower.subtractingReportingOverflow(bu)
        guard !o else { return nil }
        return Dim(lower: lo, upper: a.upper.flatMap { au in
            let (hi, o) = au.subtractingReportingOverflow(b.lower)
            return o ? nil : hi
        })
    }

    /// `a * b` on ranges: a range times an exact value, or two non-negative ranges.
    static func product(_ a: Dim, _ b: Dim) -> Dim? {
        if let c = b.value ?? a.value {
            let r = b.value != nil ? a : b
            func times(_ x: Int) -> Int? {
                let (p, o) = x.multipliedReportingOverflow(by: c)
                return o ? nil : p
            }
            if c >= 0 {
                guard let lo = times(r.lower) else { return nil }
                return c == 0 ? .fixed(0) : Dim(lower: lo, upper: r.upper.flatMap(times))
            }
            // A negative factor swaps the bounds.
            guard let u = r.upper, let lo = times(u), let hi = times(r.lower) else { return nil }
            return Dim(lower: lo, upper: hi)
        }
        guard a.lower >= 0, b.lower >= 0 else { return nil }
        let (lo, o) = a.lower.multipliedReportingOverflow(by: b.lower)
        guard !o else { return nil }
        // 0 times unbounded is still 0.
        if a.upper == 0 || b.upper == 0 { return .fixed(0) }
        return Dim(lower: lo, upper: bounded(a.upper, b.upper) { $0.multipliedReportingOverflow(by: $1) })
    }

    /// Integer `a / b` rounded down (`floor`) or toward zero, for an exactly known non-zero divisor (or
    /// a known quotient of floats, which must come out whole).
    static func quotient(_ a: Dim, _ b: Dim, floor: Bool, integer: Bool) -> Dim? {
        guard let c = b.value, c != 0 else { return nil }
        if !integer {
            guard let x = a.value, x % c == 0 else { return nil }
            return .fixed(x / c)
        }
        func divide(_ x: Int) -> Int {
            let q = x / c
            return floor && (x % c != 0) && ((x < 0) != (c < 0)) ? q - 1 : q
        }
        if let x = a.value { return .fixed(divide(x)) }
        // Division by a positive number keeps the order of the bounds.
        guard c > 0 else { return nil }
        return Dim(lower: divide(a.lower), upper: a.upper.map(divide))
    }

    /// `max(a, b)` on ranges.
    static func maximum(_ a: Dim, _ b: Dim) -> Dim? {
        Dim(lower: max(a.lower, b.lower), upper: a.upper.flatMap { x in b.upper.map { max(x, $0) } })
    }

    /// `min(a, b)` on ranges.
    static func minimum(_ a: Dim, _ b: Dim) -> Dim? {
        let upper: Int? = switch (a.upper, b.upper) {
        case let (x?, y?): min(x, y)
        case let (x?, nil): x
        case let (nil, y?): y
        case (nil, nil): nil
        }
        return Dim(lower: min(a.lower, b.lower), upper: upper)
    }

    /// `-a` on ranges (needs a's upper bound).
    static func negation(_ a: Dim) -> Dim? {
        guard let u = a.upper, a.lower != Int.min else { return nil }
        return Dim(lower: -u, upper: -a.lower)
    }

    /// Product of all elements (ReduceProd of a shape: the element count of the dims it lists).
    static func product(of value: [Dim]) -> Dim? {
        var acc = Dim.fixed(1)
        for d in value {
            guard let p = product(acc, d) else { return nil }
            acc = p
        }
        return acc
    }

    /// Combines two upper bounds; nil (unbounded) when either is, or the result overflows.
    private static func bounded(_ a: Int?, _ b: Int?, _ f: (Int, Int) -> (partialValue: Int, overflow: Bool)) -> Int? {
        guard let a, let b else { return nil }
        let r = f(a, b)
        return r.overflow ? nil : r.partialValue
    }
}

extension ShapeInference {
    /// The indices a numpy-style slice `start:stop:step` takes from `0..<n`.
    static func sliceIndices(_ n: Int, start: Int, stop: Int, step: Int) throws -> [Int] {
        let count = try sliceLength(n, start: start, stop: stop, step: step)
        guard count > 0 else { return [] }
        let first = step > 0 ? min(max(start < 0 ? start + n : start, 0), n) : min(max(start < 0 ? start + n : start, -1), n - 1)
        return (0..<count).map { first + $0 * step }
    }

    /// The value of a 1-D tensor's elements picked at `indices` (negative ones count from the end).
    static func pick(_ value: [Dim], _ indices: [Int]) -> [Dim]? {
        var out: [Dim] = []
        for i in indices {
            let k = i < 0 ? i + value.count : i
            guard value.indices.contains(k) else { return nil }
            out.append(value[k])
        }
        return out
    }
}
