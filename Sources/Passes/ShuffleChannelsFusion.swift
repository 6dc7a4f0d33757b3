import OVIR

/// The channel shuffle of ShuffleNet and its kin, exported as Reshape (one axis split into `[g, C/g]`),
/// Transpose (the two swapped) and Reshape (back to the input's shape), becomes one ShuffleChannels, as
/// OpenVINO's ShuffleChannelsFusion does: three copies become one, and two shape Consts and a permutation go.
public struct ShuffleChannelsFusion: RewritePass {
    public let name = "ShuffleChannelsFusion"
    public let summary = "turns Reshape, Transpose, Reshape channel shuffles into ShuffleChannels"

    public init() {}

    public var rules: [Rule] {
        let anyShape = { (name: String) in Pattern.constant(name, where: { _ in true }) }
        let split = Pattern.op(Reshape.self, .any("x"), anyShape("split")).named("grouped")
        let swap = Pattern.op(Transpose.self, split, .constant("order", where: { $0.dims.count == 1 && $0.intValues() != nil }))
        return [
            Rule("ShuffleChannels", .op(Reshape.self, swap, anyShape("merge"))) { m in
                guard let input = m["x"].shape.dims, let grouped = m["grouped"].shape.dims,
                      let output = m.root.output().shape.dims, let order = m.constant("order").intValues(),
                      let (axis, group) = Self.shuffle(input: input, grouped: grouped, order: order),
                      Self.sameShape(output, input) else { return nil }
                return try m.add(ShuffleChannels(axis: axis, group: group), m["x"])
            },
        ]
    }

    /// The axis and group when `grouped` is `input` with one fixed dim C split into `[g, C/g]`, and `order` swaps
    /// exactly those two; nil otherwise. At most one dim may be dynamic, at the same place in both, so that
    /// the element count makes it the same dim.
    static func shuffle(input: [Dim], grouped: [Dim], order: [Int]) -> (axis: Int, group: Int)? {
        guard grouped.count == input.count + 1, input.filter({ $0.value == nil }).count <= 1 else { return nil }
        for a in input.indices {
            guard let c = input[a].value, let g = grouped[a].value, let k = grouped[a + 1].value, g * k == c, g > 1, k > 1,
                  Array(grouped[..<a]) == Array(input[..<a]), Array(grouped[(a + 2)...]) == Array(input[(a + 1)...]) else { continue }
            var swapped = Array(grouped.indices)
            swapped.swapAt(a, a + 1)
            if order == swapped { return (a, g) }
        }
        return nil
    }

    /// Whether `a` and `b` are the same shape: equal dims, with at most one dynamic dim (at the same place), which
    /// two tensors of equal element count then agree on.
    static func sameShape(_ a: [Dim], _ b: [Dim]) -> Bool {
        a == b && a.filter { $0.value == nil }.count <= 1
    }
}
