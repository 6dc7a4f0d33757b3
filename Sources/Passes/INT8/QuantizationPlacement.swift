import OVIR

/// Where the FakeQuantizes of a set of quantized inputs (`QuantizeINT8.Site`s) go, as NNCF places them: not on the
/// site's value itself when that value comes out of ops that only move or select values (Concat, Split,
/// VariadicSplit, MaxPool, nearest Interpolate, Reshape, Transpose, Squeeze, Unsqueeze), but on the values those ops
/// read, traced back to where each was computed (a convolution's activation, an Add). The CPU plugin pushes the
/// dequantization through such ops and folds a FakeQuantize right after a convolution into it; one left after a
/// Concat or a Split stays a separate f32 layer (39 of them in nudenet_320n's INT8 IR, which ran 1.2× slower than
/// NNCF's).
///
/// Sources that meet at one op (a Concat's inputs, a residual Add's) form a group sharing one range, so the op sees
/// one grid. An op is passed through only when everything reading it is a quantized site or another op passed
/// through, so nothing kept in float (`--ignore`, the detection head) reads a quantized value; and only when every
/// value it reads is an activation. Otherwise the site's value is quantized where it is, as before.
public struct QuantizationPlacement {
    /// Values that get a FakeQuantize, in groups sharing one range, in order of first use.
    public private(set) var groups: [[Output]] = []
    /// For each source, the inputs that read its FakeQuantize instead: sites reading it directly and the ops passed
    /// through that read it.
    public private(set) var readers: [Output: [QuantizeINT8.Site]] = [:]
    /// For each site, the sources whose FakeQuantize it ends up reading.
    public private(set) var sources: [QuantizeINT8.Site: [Output]] = [:]

    public init(sites: [QuantizeINT8.Site]) {
        let consumers = Set(sites.map { ObjectIdentifier($0.consumer) })
        var passable: [ObjectIdentifier: Bool] = [:]
        // Whether `node` moves values only and everything downstream of it until the next site is a site or passable.
        func canPass(_ node: Node) -> Bool {
            if let known = passable[ObjectIdentifier(node)] { return known }
            passable[ObjectIdentifier(node)] = false  // no cycles in a graph; this only guards the recursion
            let inputs = Self.dataInputs(of: node)
            let result = !inputs.isEmpty && inputs.allSatisfy { QuantizeINT8.isActivation(node.inputs[$0]) }
                && (0..<node.outputCount).allSatisfy { output in
                    node.uses(of: output).allSatisfy { use in
                        consumers.contains(ObjectIdentifier(use.node)) || canPass(use.node)
                    }
                }
            passable[ObjectIdentifier(node)] = result
            return result
        }
        var parent: [Output: Output] = [:]
        func root(_ x: Output) -> Output {
            var r = x
            while let p = parent[r], p != r { r = p }
            return r
        }
        var order: [Output] = []
        func add(_ source: Output) {
            if parent[source] == nil {
                parent[source] = source
                order.append(source)
            }
        }
        func addReader(_ site: QuantizeINT8.Site, of source: Output) {
            if !(readers[source] ?? []).contains(site) { readers[source, default: []].append(site) }
        }
        for site in sites {
            var found: [Output] = []
            var visited = Set<ObjectIdentifier>()
            // Up from the site through passable ops; each input of a passed op that is a source reads its FakeQuantize.
            func trace(_ value: Output, reader: QuantizeINT8.Site) {
                let node = value.node
                if canPass(node) {
                    guard visited.insert(ObjectIdentifier(node)).inserted else { return }
                    for i in Self.dataInputs(of: node) { trace(node.inputs[i], reader: QuantizeINT8.Site(consumer: node, input: i)) }
                } else {
                    add(value)
                    addReader(reader, of: value)
                    if !found.contains(value) { found.append(value) }
                }
            }
            trace(site.value, reader: site)
            sources[site] = found
            // One group per site's sources: they meet downstream.
            for s in found.dropFirst() {
                let (a, b) = (root(found[0]), root(s))
                if a != b { parent[b] = a }
            }
        }
        var index: [Output: Int] = [:]
        for source in order {
            let r = root(source)
            if let k = index[r] {
                groups[k].append(source)
            } else {
                index[r] = groups.count
                groups.append([source])
            }
        }
    }

    /// The inputs of a value-moving op that carry values (not shapes, axes or sizes); none for any other op.
    static func dataInputs(of node: Node) -> [Int] {
        switch node.op {
        case is Concat: return Array(node.inputs.indices)
        case is Split, is VariadicSplit, is Reshape, is Transpose, is Squeeze, is Unsqueeze: return [0]
        case is MaxPool: return [0]
        case let i as Interpolate where i.mode == .nearest: return [0]
        default: return []
        }
    }
}
