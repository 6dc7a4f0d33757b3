import OVIR

/// `--half`: FP16 weight compression as OpenVINO's own tools write it. Each f32 Const `w` becomes
/// `Const(f16, "w_compressed") -> Convert(f32, "w", rt_info decompression)`; the Const keeps `w`'s tensor
/// names, as ovc's output does (unless `w` is a model output, whose names go to the Convert). The CPU plugin then keeps such weights in f16 (half the memory) and computes
/// in f32.
///
/// Stays f32, each listed in `skipped` with the reason:
/// - a Const feeding FakeQuantize (quantization ranges; OpenVINO leaves quantized models uncompressed);
/// - a shape value: one that decides an output shape (Reshape's target, Interpolate's scales, Range's
///   start/stop/step, ...), directly or through a shape computation (OpenVINO's precision-sensitive
///   ShapeOf subgraphs);
/// - a Const that FP16 would damage: a finite value beyond ±65504 (OpenVINO would clamp it), or a rounding
///   error above `relativeError` × the Const's largest magnitude. Values in f16's normal range always round
///   within 2^-11 of themselves, so that bound only catches small values that become subnormal or 0 while
///   being what the Const is made of (normalization epsilons such as 1e-12 or 1e-5); a weight whose few
///   tiny elements flush to 0 next to large ones loses no more than the rounding of its largest element.
///
/// Runs last: every pass before it computes on f32 weights, and ConstantFolding never folds the Converts.
public struct CompressWeightsToFP16: Pass {
    public let name = "CompressWeightsToFP16"
    public let summary = "stores f32 weights as f16 Consts decompressed by Convert (--half)"
    /// Largest rounding error allowed, relative to the Const's largest magnitude: half an f16 ulp.
    public var relativeError: Double

    public init(relativeError: Double = 0x1p-11) {
        self.relativeError = relativeError
    }

    public func run(on graph: Graph) throws -> PassResult {
        var changed = false
        var skipped: [String] = []
        let shapeValues = Self.shapeValues(in: graph)
        for node in graph.topologicalOrder() {
            guard let tensor = (node.op as? Constant)?.tensor, tensor.elementType == .f32, node.hasUses else { continue }
            func skip(_ why: String) { skipped.append("'\(node.name)' [\(tensor.dims.map(String.init).joined(separator: ","))]: \(why)") }
            if node.uses(of: 0).contains(where: { $0.node.op.typeName == "FakeQuantize" }) { skip("feeds FakeQuantize"); continue }
            if let reader = shapeValues[ObjectIdentifier(node)] { skip("decides the shape of \(reader.op.typeName) '\(reader.name)'"); continue }
            let half = Self.halve(tensor)
            if let why = damage(half) { skip(why); continue }
            try compress(node, Tensor(.f16, dims: tensor.dims, bytes: half.bytes), in: graph)
            changed = true
        }
        return PassResult(changed: changed, skipped: skipped)
    }

    // Const(f32 w) -> Convert(f32, decompression)(Const(f16 w))
    private func compress(_ node: Node, _ compressed: Tensor, in graph: Graph) throws {
        let name = node.name
        let convert = try graph.add(Convert(.f32), [node.output()], name: name)
        convert.rtInfo = [RTAttribute(name: "decompression")]
        // A model output is named by the tensor names of the value its Result reads.
        if node.uses(of: 0).contains(where: { $0.node.op is ResultOp }) { graph.moveTensorNames(from: node.output(), to: convert.output()) }
        try graph.replaceAllUses(of: node.output(), with: convert.output())
        try graph.replaceOp(of: node, with: Constant(compressed))
        node.name = "\(name)_compressed"
    }

    /// An f32 tensor rounded to f16, and what the rounding does to it.
    struct Halved {
        /// The f16 values, little-endian.
        var bytes: [UInt8]
        /// The first finite value beyond f16's ±65504, if any.
        var beyond: Float?
        /// The largest finite magnitude.
        var largest: Float = 0
        /// The value rounded worst (the first of equals) and its rounding error.
        var worst: (value: Float, error: Double)?
    }

    /// Rounds `tensor` (f32) to f16 in one pass over its bytes, measuring the damage on the way: a model's weights
    /// are hundreds of millions of values, and this runs in every `--half` conversion, also in debug builds.
    static func halve(_ tensor: Tensor) -> Halved {
        let n = tensor.elementCount
        var beyond: Float?, largest: Float = 0, worst: (value: Float, error: Double)?
        let limit = Float(Float16.greatestFiniteMagnitude)
        let bytes = tensor.withUnsafeBytes { raw in
            [UInt8](unsafeUninitializedCapacity: 2 * n) { out, count in
                guard let base = out.baseAddress else { count = 0; return }
                let halves = UnsafeMutableRawPointer(base)
                for i in 0..<n {
                    let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
                    let h = Float16(v)
                    halves.storeBytes(of: h.bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    guard v.isFinite else { continue }
                    let magnitude = abs(v)
                    if magnitude > limit, beyond == nil { beyond = v }
                    if magnitude > largest { largest = magnitude }
                    let error = abs(Double(Float(h)) - Double(v))
                    if error > (worst?.error ?? 0) { worst = (v, error) }
                }
                count = 2 * n
            }
        }
        return Halved(bytes: bytes, beyond: beyond, largest: largest, worst: worst)
    }

    /// What the rounding measured in `half` would break, or nil when it is harmless.
    func damage(_ half: Halved) -> String? {
        if let big = half.beyond { return "\(big) is beyond f16's ±65504" }
        guard let worst = half.worst, worst.error > relativeError * Double(half.largest) else { return nil }
        if Float16(worst.value) == 0 { return "\(worst.value) flushes to 0 in f16" }
        return "\(worst.value) becomes the subnormal \(Float(Float16(worst.value))) in f16 "
            + "(error \(Float(worst.error)), over 2^-11 × the largest |value| \(half.largest))"
    }

    /// The inputs of `node` that decide its output shape.
    static func shapePorts(of node: Node) -> [Int] {
        switch node.op {
        case is Reshape, is Tile, is TopK, is Squeeze, is Unsqueeze, is Split: [1]
        case is Broadcast, is Pad, is VariadicSplit: [1, 2]
        case is Interpolate: [1, 2]  // scales or sizes, axes
        case is Slice, is StridedSlice: [1, 2, 3]
        case is RangeOp: [0, 1, 2]
        default: []
        }
    }

    /// Every node computing a value that decides a shape, mapped to the node whose shape it decides: the
    /// values at `shapePorts` and, walking back, the small static values (at most `shapeValueLimit` elements)
    /// they are computed from, up to ShapeOf. The size limit keeps the walk out of the data path.
    static func shapeValues(in graph: Graph) -> [ObjectIdentifier: Node] {
        var marked: [ObjectIdentifier: Node] = [:]
        for reader in graph.topologicalOrder() {
            var stack = shapePorts(of: reader).filter { $0 < reader.inputs.count }.map { reader.inputs[$0].node }
            while let node = stack.popLast() {
                guard marked[ObjectIdentifier(node)] == nil, isSmallStatic(node) else { continue }
                marked[ObjectIdentifier(node)] = reader
                if !(node.op is ShapeOf) { stack += node.inputs.map(\.node) }
            }
        }
        return marked
    }

    static let shapeValueLimit = 64

    private static func isSmallStatic(_ node: Node) -> Bool {
        node.outputTypes.allSatisfy { $0.shape.staticDims.map { $0.reduce(1, *) <= shapeValueLimit } ?? false }
    }
}
