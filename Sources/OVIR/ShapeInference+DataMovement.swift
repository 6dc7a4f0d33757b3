/// Helpers for the shape and data-movement ops (Reshape, Slice, Concat, ...).
extension ShapeInference {
    /// The one dim two compatible dims describe (static wins); throws when they cannot be equal.
    public static func merge(_ a: Dim, _ b: Dim) throws -> Dim {
        if let x = a.value, let y = b.value, x != y { throw Failure("dims \(x) and \(y) differ") }
        return a.isStatic ? a : b
    }

    /// The common element type of inputs that must agree (a dynamic type matches anything).
    public static func commonElementType(_ types: [ElementType]) throws -> ElementType {
        var result = ElementType.dynamic
        for t in types where t != .dynamic {
            guard result == .dynamic || result == t else { throw Failure("element types differ: \(result) and \(t)") }
            result = t
        }
        return result
    }

    /// The number of elements of a 1-D input (axes, pads, lengths), when its shape says it.
    public static func length(_ input: InferenceInput) -> Int? {
        if let v = input.constant { return v.elementCount }
        guard let d = input.shape.dims else { return nil }
        if d.isEmpty { return 1 }
        return d.count == 1 ? d[0].value : nil
    }

    /// Resolves possibly negative axes against `rank`; throws on duplicates and out-of-range values.
    public static func axes(_ axes: [Int], rank: Int) throws -> [Int] {
        let resolved = try axes.map { try axis($0, rank: rank) }
        guard Set(resolved).count == resolved.count else { throw Failure("axes \(axes) repeat an axis") }
        return resolved
    }

    /// Elements of a numpy-style slice `start:stop:step` of a dim of size `n`.
    public static func sliceLength(_ n: Int, start: Int, stop: Int, step: Int) throws -> Int {
        guard step != 0 else { throw Failure("slice step must not be 0") }
        func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int {
            let x = v < 0 ? (v < -n ? lo : v + n) : v
            return min(max(x, lo), hi)
        }
        if step > 0 {
            let b = clamp(start, 0, n), e = clamp(stop, 0, n)
            let s = min(step, n + 1)  // larger steps take one element; avoids overflow
            return e > b ? (e - b + s - 1) / s : 0
        }
        let b = clamp(start, -1, n - 1), e = clamp(stop, -1, n - 1)
        let s = max(step, -(n + 1))
        return b > e ? (b - e - s - 1) / -s : 0
    }
}
