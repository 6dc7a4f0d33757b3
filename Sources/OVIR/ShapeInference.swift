/// Helpers shared by the ops' type inference.
public enum ShapeInference {
    /// A failure message for type inference; the graph adds the node's name.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ message: String) { description = message }
    }

    /// The element count of static dims, or nil when a dim is negative or the count could not be
    /// addressed even as 64-bit elements (the guard every untrusted shape goes through).
    public static func checkedElementCount(_ dims: [Int]) -> Int? {
        var count = 1
        for d in dims {
            guard d >= 0 else { return nil }
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= Int.max / 64 else { return nil }
            count = p
        }
        return count
    }

    /// Numpy-style broadcast of two shapes.
    public static func broadcast(_ a: Shape, _ b: Shape) throws -> Shape {
        guard let x = a.dims, let y = b.dims else { return .dynamicRank }
        let n = max(x.count, y.count)
        let xs = Array(repeating: Dim.fixed(1), count: n - x.count) + x
        let ys = Array(repeating: Dim.fixed(1), count: n - y.count) + y
        return .ranked(try zip(xs, ys).map { p, q in
            if p == .fixed(1) { return q }
            if q == .fixed(1) { return p }
            if let u = p.value, let v = q.value {
                guard u == v else { throw Failure("shapes \(a) and \(b) do not broadcast") }
                return p
            }
            if p.isStatic { return p }
            if q.isStatic { return q }
            return .dynamic
        })
    }

    /// Broadcast of any number of shapes.
    public static func broadcast(_ shapes: [Shape]) throws -> Shape {
        guard var acc = shapes.first else { return .scalar }
        for s in shapes.dropFirst() { acc = try broadcast(acc, s) }
        return acc
    }

    /// Resolves a possibly negative axis against `rank`.
    public static func axis(_ axis: Int, rank: Int) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw Failure("axis \(axis) is out of range for rank \(rank)") }
        return a
    }

    /// Requires `count` inputs (or a range of counts).
    public static func expectInputs(_ inputs: [InferenceInput], _ counts: ClosedRange<Int>) throws {
        guard counts.contains(inputs.count) else {
            throw Failure("expects \(counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound)...\(counts.upperBound)") inputs, got \(inputs.count)")
        }
    }

    /// Sum of dims (for Concat); dynamic if any is dynamic.
    public static func add(_ a: Dim, _ b: Dim) -> Dim {
        Dim(lower: a.lower + b.lower, upper: a.upper.flatMap { x in b.upper.map { x + $0 } })
    }

    /// Product of dims; dynamic unless both are static.
    public static func multiply(_ a: Dim, _ b: Dim) -> Dim {
        if let x = a.value, let y = b.value { return .fixed(x * y) }
        return .dynamic
    }

    /// Output size of a sliding window (convolution/pooling), for explicit pads.
    public static func window(_ input: Dim, kernel: Int, stride: Int, dilation: Int, padBegin: Int, padEnd: Int, ceil: Bool = false) throws -> Dim {
        guard let n = input.value else { return .dynamic }
        let effective = (kernel - 1) * dilation + 1
        let span = n + padBegin + padEnd - effective
        guard span >= 0, stride > 0 else { throw Failure("window \(effective) does not fit input \(n) with pads \(padBegin),\(padEnd)") }
        let out = ceil ? (span + stride - 1) / stride + 1 : span / stride + 1
        return .fixed(out)
    }
}
