import OVIR

/// `--int8`: post-training quantization as OpenVINO's CPU plugin runs it in int8 (NNCF's form,
/// openvino-ir-facts.md §6.2):
/// - a FakeQuantize (levels 256, scalar f32 ranges, output range = input range) on each quantized activation
///   input of Convolution, GroupConvolution, MatMul and of an Add of two activation branches; one per value,
///   shared by the value's quantized readers, its range from calibration (`ranges`) widened to hold 0 and
///   nudged so that 0 lies on the grid (zero padding stays exact); a non-negative value (after ReLU, Sigmoid)
///   gets [0, high], which LPT runs as u8;
/// - the weights of those Convolutions, GroupConvolutions and MatMuls as `Const i8 → Convert(f32) →
///   Multiply(Const f32 scale)`, symmetric per output channel (`SymmetricWeights`).
///
/// Stays float, each listed in `skipped`: nodes in the ignore lists, a YOLO-style head's post-processing
/// (`FloatDetectionHead`), values with no calibrated range, weights that are not f32 Consts.
/// The ranges hold ports of the graph they were measured on: plan, collect statistics, then run, on one graph.
public struct QuantizeINT8: Pass {
    public let name = "QuantizeINT8"
    public let summary = "inserts FakeQuantize on activations and stores weights as i8 with per-channel scales (--int8)"
    public var options: QuantizationOptions
    public var ranges: QuantizationRanges

    public init(options: QuantizationOptions = QuantizationOptions(), ranges: QuantizationRanges) {
        self.options = options
        self.ranges = ranges
    }

    /// One quantized input: `consumer`'s input `input`.
    public struct Site: Hashable {
        public let consumer: Node
        public let input: Int
        public var value: Output { consumer.inputs[input] }
        public static func == (a: Site, b: Site) -> Bool { a.consumer === b.consumer && a.input == b.input }
        public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(consumer)); h.combine(input) }
    }

    /// What the pass would quantize in a graph, before any statistics.
    public struct Plan {
        /// Activation inputs to quantize, in topological order of their consumers.
        public var sites: [Site] = []
        /// Nodes whose weights (input 1) become i8; each also has its activation site(s) in `sites`.
        public var weighted: [Node] = []
        /// Quantizable nodes kept in float, each with the reason.
        public var kept: [String] = []
        /// The channel axis of each weighted node's activation input, where bias correction needs its per-channel
        /// means: 1 for a convolution, the last axis for a MatMul reading it untransposed.
        public var channelAxes: [Output: Int] {
            var axes: [Output: Int] = [:]
            for node in weighted {
                let x = node.inputs[0]
                if node.op is any ConvolutionOp {
                    axes[x] = 1
                } else if let m = node.op as? MatMul, !m.transposeA, let rank = x.shape.rank, rank >= 1 {
                    axes[x] = rank - 1
                }
            }
            return axes
        }
        /// Where the sites' FakeQuantizes go (`QuantizationPlacement`).
        public var placement: QuantizationPlacement { QuantizationPlacement(sites: sites) }
        /// The values that get a FakeQuantize, each once, in order: where ranges are measured.
        public var points: [Output] { placement.groups.flatMap { $0 } }
        /// The values statistics are collected at: `points`, then the inputs of weighted nodes (their channel means,
        /// for bias correction) that are not among them.
        public var observed: [Output] {
            var seen = Set<Output>()
            return (points + weighted.map { $0.inputs[0] }).filter { seen.insert($0).inserted }
        }
    }

    /// The quantization plan of `graph` under `options`.
    public static func plan(_ graph: Graph, options: QuantizationOptions) -> Plan {
        var plan = Plan()
        if let fq = graph.nodes.first(where: { $0.op is FakeQuantize }) {
            plan.kept.append("the model is already quantized: it has FakeQuantize '\(fq.name)'")
            return plan
        }
        let head = options.keepDetectionHeadFloat ? FloatDetectionHead.find(in: graph) : nil
        for node in graph.topologicalOrder() {
            guard let (sites, weighted) = candidate(node, options: options, plan: &plan) else { continue }
            let label = "\(node.op.typeName) '\(node.name)'"
            if options.ignores(name: node.name) || options.ignoredTypes.contains(node.op.typeName) {
                plan.kept.append("\(label): ignored")
            } else if let reason = options.keptFloat[node.name] {
                plan.kept.append("\(label): \(reason)")
            } else if let head, head.contains(node) {
                plan.kept.append("\(label): detection post-processing")
            } else {
                plan.sites += sites
                if weighted { plan.weighted.append(node) }
            }
        }
        return plan
    }

    /// The sites `node` would be quantized at, and whether its weights would be, or nil when it is no quantizable
    /// node (a weight that cannot be quantized is noted in `plan.kept`).
    private static func candidate(_ node: Node, options: QuantizationOptions, plan: inout Plan) -> (sites: [Site], weighted: Bool)? {
        let weighted = node.op is any ConvolutionOp || (node.op is MatMul && node.inputs[1].constant != nil)
        switch node.op {
        case _ where weighted:
            guard isActivation(node.inputs[0]) else { return nil }
            let w = node.inputs[1], conv = node.op is any ConvolutionOp
            guard let t = w.constant, t.elementType == .f32, conv ? t.dims.count >= 3 : t.dims.count == 2 else {
                plan.kept.append("\(node.op.typeName) '\(node.name)': weights are not an f32 Const of a supported layout")
                return nil
            }
            return ([Site(consumer: node, input: 0)], true)
        case is MatMul:
            guard isActivation(node.inputs[0]), isActivation(node.inputs[1]) else { return nil }
            return ([Site(consumer: node, input: 0), Site(consumer: node, input: 1)], false)
        case is Add where options.quantizeResidualAdds:
            // Residual Adds only: two activation branches of one shape (a broadcast Add is a bias or a scale).
            guard isActivation(node.inputs[0]), isActivation(node.inputs[1]),
                  sameShape(node.inputs[0].shape, node.inputs[1].shape) else { return nil }
            return ([Site(consumer: node, input: 0), Site(consumer: node, input: 1)], false)
        default:
            return nil
        }
    }

    /// Whether two shapes are alike dim by dim: equal where both are static, both dynamic otherwise (a dynamic
    /// batch of two branches of one value).
    static func sameShape(_ a: Shape, _ b: Shape) -> Bool {
        guard let x = a.dims, let y = b.dims, x.count == y.count else { return false }
        return zip(x, y).allSatisfy { p, q in p.value.map { $0 == q.value } ?? (q.value == nil) }
    }

    /// An f32 value computed from the inputs (not a Const, not a constant subgraph folded away).
    static func isActivation(_ value: Output) -> Bool {
        value.constant == nil && value.elementType == .f32
    }

    public func run(on graph: Graph) throws -> PassResult {
        let plan = Self.plan(graph, options: options)
        let placement = plan.placement
        var skipped = plan.kept
        var fakeQuantized: [Output: Output] = [:]
        var quantizedSites = Set<Site>()
        // One range per group (the union of its sources' ranges), so a Concat's inputs share one grid.
        for group in placement.groups {
            let measured = group.compactMap { ranges[$0] }
            guard measured.count == group.count, let low = measured.map(\.lowerBound).min(),
                  let high = measured.map(\.upperBound).max() else {
                skipped.append(group.filter { ranges[$0] == nil }.map { "'\($0)'" }.joined(separator: ", ") + ": no calibrated range")
                continue
            }
            for source in group { fakeQuantized[source] = try fakeQuantize(source, low...high, in: graph) }
        }
        var activation: [ObjectIdentifier: Output] = [:]  // each weighted node's input before its FakeQuantize
        for node in plan.weighted { activation[ObjectIdentifier(node)] = node.inputs[0] }
        for group in placement.groups {
            for source in group {
                guard let fq = fakeQuantized[source] else { continue }
                for reader in placement.readers[source] ?? [] { try graph.setInput(reader.consumer, reader.input, to: fq) }
            }
        }
        for site in plan.sites where (placement.sources[site] ?? []).allSatisfy({ fakeQuantized[$0] != nil }) {
            quantizedSites.insert(site)
        }
        var weights = 0
        for node in plan.weighted where quantizedSites.contains(Site(consumer: node, input: 0)) {
            let means = options.biasCorrection ? activation[ObjectIdentifier(node)].flatMap { ranges.channelMeans[$0] } : nil
            try quantizeWeights(of: node, means: means, in: graph)
            weights += 1
        }
        if weights > 0 { _ = try graph.removeDeadNodes() }
        return PassResult(changed: !fakeQuantized.isEmpty, skipped: skipped)
    }

    /// The FakeQuantize range for a measured `range`: widened to hold 0, then moved so that 0 is one of the
    /// 256 levels (asymmetric, as NNCF's mixed preset quantizes activations). [0, high] stays as it is (u8).
    public static func fakeQuantizeRange(_ range: ClosedRange<Float>) -> (low: Float, high: Float) {
        var low = min(range.lowerBound, 0), high = max(range.upperBound, 0)
        // A constant-zero value still needs a non-empty range.
        if high - low < 1e-6 { high = low + 1e-6 }
        if low == 0 || high == 0 { return (low, high) }
        let step = (high - low) / 255
        let zero = (-low / step).rounded()
        low = -zero * step
        high = low + 255 * step
        return (low, high)
    }

    // x -> FakeQuantize(x, low, high, low, high)
    private func fakeQuantize(_ value: Output, _ range: ClosedRange<Float>, in graph: Graph) throws -> Output {
        let (low, high) = Self.fakeQuantizeRange(range)
        let base = value.node.outputCount == 1 ? value.node.name : "\(value.node.name):\(value.index)"
        let l = try graph.constant(.scalar(f32: low), name: "\(base)/fq/input_low")
        let h = try graph.constant(.scalar(f32: high), name: "\(base)/fq/input_high")
        return try graph.add(FakeQuantize(levels: 256), [value, l, h, l, h], name: "\(base)/fq").output()
    }

    // W -> Multiply(Convert(f32)(Const i8 q), Const f32 scale); the Multiply takes W's name and tensor names.
    private func quantizeWeights(of node: Node, means: [Float]?, in graph: Graph) throws {
        let w = node.inputs[1]
        let tensor = w.constant!
        let q: SymmetricWeights, scaleDims: [Int]
        switch node.op {
        case is GroupConvolution:
            q = SymmetricWeights(weights: Self.floats(tensor), dims: tensor.dims, channelAxes: 2)
            scaleDims = Array(tensor.dims.prefix(2)) + Array(repeating: 1, count: tensor.dims.count - 2)
        case let m as MatMul where !m.transposeB:
            q = SymmetricWeights(weights: Self.floats(tensor), dims: tensor.dims, channelAxes: 0, columns: true)
            scaleDims = [1, tensor.dims[1]]
        default:
            q = SymmetricWeights(weights: Self.floats(tensor), dims: tensor.dims, channelAxes: 1)
            scaleDims = [tensor.dims[0]] + Array(repeating: 1, count: tensor.dims.count - 1)
        }
        if let means { try correctBias(of: node, weights: Self.floats(tensor), q, means: means, in: graph) }
        let name = w.node.name
        let int8 = try graph.constant(Tensor(.i8, dims: tensor.dims, values: q.values), name: "\(name)/int8")
        let convert = try graph.add(Convert(.f32), [int8], name: "\(name)/convert")
        let scale = try graph.constant(Tensor(.f32, dims: scaleDims, values: q.scales), name: "\(name)/scale")
        let dequantized = try graph.add(Multiply(), [convert.output(), scale], name: name)
        // Shared weights keep their f32 Const for their other readers; its names go with this reader only when
        // it was the only one.
        if w.node.uses(of: w.index).count == 1 { graph.moveTensorNames(from: w, to: dequantized.output()) }
        try graph.setInput(node, 1, to: dequantized.output())
    }

    /// Bias correction: the i8 weights `q` change `node`'s output by `Σ (q·scale − w) · x`, whose mean over the
    /// calibration data is, per output channel, the weight error summed against the mean of each input channel
    /// (`means`; zero padding at borders is not counted). That shift is taken off the bias: the f32 Const of the
    /// Add that alone reads `node`, when the Const has one value per output channel and no other reader.
    private func correctBias(of node: Node, weights w: [Float], _ q: SymmetricWeights, means: [Float], in graph: Graph) throws {
        let uses = node.uses(of: 0)
        guard uses.count == 1, let add = uses.first?.node, add.op is Add else { return }
        let biasIndex = add.inputs[0].node === node ? 1 : 0
        let bias = add.inputs[biasIndex]
        guard let b = bias.constant, b.elementType == .f32, bias.node.uses(of: bias.index).count == 1 else { return }
        let dims = node.inputs[1].constant!.dims
        let shift: [Double]
        switch node.op {
        case is GroupConvolution:
            // [G, O/G, I/G, k...]: output g*Og+o reads input channels g*Ig..<(g+1)*Ig.
            let (groups, og, ig) = (dims[0], dims[1], dims[2]), k = dims[3...].reduce(1, *)
            guard means.count == groups * ig else { return }
            shift = (0..<(groups * og)).map { oc in
                let g = oc / og
                return (0..<ig).reduce(0.0) { acc, i in
                    let base = (oc * ig + i) * k
                    let error = (base..<(base + k)).reduce(0.0) { $0 + Double(Float(q.values[$1]) * q.scales[oc] - w[$1]) }
                    return acc + error * Double(means[g * ig + i])
                }
            }
        case let m as MatMul where !m.transposeB:
            // [K, N], one scale per column n.
            let (k, n) = (dims[0], dims[1])
            guard means.count == k else { return }
            shift = (0..<n).map { col in
                (0..<k).reduce(0.0) { $0 + Double(Float(q.values[$1 * n + col]) * q.scales[col] - w[$1 * n + col]) * Double(means[$1]) }
            }
        default:
            // A convolution [O, I, k...], or a MatMul weight [N, K] read with transpose_b: one scale per row.
            let (outputs, inputs) = (dims[0], dims[1]), k = dims[2...].reduce(1, *)
            guard means.count == inputs else { return }
            shift = (0..<outputs).map { o in
                (0..<inputs).reduce(0.0) { acc, i in
                    let base = (o * inputs + i) * k
                    let error = (base..<(base + k)).reduce(0.0) { $0 + Double(Float(q.values[$1]) * q.scales[o] - w[$1]) }
                    return acc + error * Double(means[i])
                }
            }
        }
        // One bias value per output channel, broadcast along the output's channel axis (1 for a convolution, the
        // last for a MatMul): [1, O, 1, 1] or [O, 1, 1] after a convolution, [O] or [1, O] after a MatMul.
        guard b.elementCount == shift.count, let rank = node.outputTypes[0].shape.rank, b.dims.count <= rank else { return }
        let channelAxis = node.op is any ConvolutionOp ? 1 : rank - 1
        let spread = b.dims.indices.filter { b.dims[$0] != 1 }
        guard spread.count <= 1, spread.allSatisfy({ $0 + rank - b.dims.count == channelAxis }) else { return }
        let corrected = zip(Self.floats(b), shift).map { Float(Double($0) - $1) }
        let name = bias.node.name, names = bias.names
        let replacement = try graph.constant(Tensor.f32(corrected, dims: b.dims), name: name)
        graph.addTensorNames(names, to: replacement)
        try graph.setInput(add, biasIndex, to: replacement)
    }

    /// The values of an f32 tensor.
    public static func floats(_ tensor: Tensor) -> [Float] {
        tensor.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: tensor.elementCount) { buffer, count in
                _ = raw.copyBytes(to: UnsafeMutableRawBufferPointer(buffer))
                count = tensor.elementCount
            }
        }
    }
}
