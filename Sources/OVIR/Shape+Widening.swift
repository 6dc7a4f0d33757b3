extension Shape {
    /// The shape that fits both this one and `other`: dims that differ become dynamic, ranks that differ (or an
    /// unknown rank) a dynamic rank. What a loop's carried value is given in its body when an iteration changes it.
    public func widened(toFit other: Shape) -> Shape {
        guard let x = dims, let y = other.dims, x.count == y.count else { return .dynamicRank }
        return .ranked(zip(x, y).map { p, q in p == q ? p : .dynamic })
    }
}
