import Evaluator
import OVIR

/// Replaces every node whose value does not depend on the model's inputs by a Const computed with the
/// Evaluator's kernels: nodes whose inputs are all Consts (folded front to back, so whole constant subgraphs
/// collapse), ShapeOf of a static shape, and Gather of static dims out of a partly dynamic shape. Dead nodes
/// are removed afterwards.
///
/// Declines (and lists in `skipped`) folds that would store much more than they read (Broadcast, Tile,
/// Range, ...): an output over `budget` bytes and over `growth` × its inputs' bytes stays computed at run time,
/// unless it is only read as weights (of a convolution or MatMul, possibly through Reshape/Transpose/Convert):
/// weights are stored up to `maxBytes`, as OpenVINO's own converter stores them.
/// No value over `maxBytes` is ever computed, weights or not: such a fold is left to run time and reported in
/// `warnings` (a constant subgraph that would fold into terabytes must not make the conversion allocate them).
/// Never folds a Convert marked `decompression` (compressed weights must stay compressed in the IR), nor a Convert
/// of an 8-bit or narrower integer Const to a float type: the dequantization of quantized weights
/// (Const i8 → Convert → [Subtract zero point] → Multiply scale), which the OpenVINO CPU plugin runs in int8 only
/// when it finds it unfolded and unmarked (marked `decompression`, it decompresses them to float).
///
/// An If whose condition is a Const is replaced by the branch it takes, inlined (`ConstantFolding+If.swift`); an
/// If or Loop is never evaluated as a whole (a loop may run long and its value be large). Bodies are left as
/// they are.
public struct ConstantFolding: Pass {
    public let name = "ConstantFolding"
    public let summary = "replaces nodes computable from constants and static shapes by Consts"
    /// Outputs up to this many bytes always fold.
    public var budget: Int
    /// Larger outputs fold only up to this many times their inputs' bytes.
    public var growth: Int
    /// No fold computes a value larger than this (`--max-fold-bytes`), even one read only as weights.
    public var maxBytes: Int

    /// `maxBytes`' default: 1 GiB, above any single weight of the models ovconvert is for.
    public static let defaultMaxBytes = 1 << 30

    public init(budget: Int = 16 * 1024, growth: Int = 2, maxBytes: Int = defaultMaxBytes) {
        self.budget = budget
        self.growth = growth
        self.maxBytes = maxBytes
    }

    public func run(on graph: Graph) throws -> PassResult {
        var changed = false
        var skipped: [String] = [], warnings: [String] = []
        // An inlined branch may fold further: sweep again (a few times at most) while Ifs were inlined.
        for _ in 0..<8 {
            let inlined = try sweep(graph, &changed, &skipped, &warnings)
            if !inlined { break }
        }
        if changed { try graph.removeDeadNodes() }
        func once(_ lines: [String]) -> [String] {  // a fold declined in each sweep, once
            var seen = Set<String>()
            return lines.filter { seen.insert($0).inserted }
        }
        return PassResult(changed: changed, skipped: once(skipped), warnings: once(warnings))
    }

    /// One pass over the nodes in topological order; says whether an If was inlined.
    private func sweep(_ graph: Graph, _ changed: inout Bool, _ skipped: inout [String], _ warnings: inout [String]) throws -> Bool {
        let evaluator = Evaluator()
        var inlined = false
        // Inputs before readers: a node whose inputs were just folded sees them as Consts.
        for node in graph.topologicalOrder() {
            if node.op is If, try Self.inlineTakenBranch(node, in: graph) {
                (changed, inlined) = (true, true)
                continue
            }
            guard Self.mayFold(node) else { continue }
            let values: [Tensor]
            if let v = Self.shapeOfStaticShape(node) ?? Self.gatherOfStaticDims(node) {
                values = v
            } else {
                switch evaluateOnConstants(node, evaluator) {
                case .notConstant: continue
                case .declined(let why): skipped.append("\(node.op.typeName) '\(node.name)': \(why)"); continue
                case .overLimit(let why):
                    skipped.append("\(node.op.typeName) '\(node.name)': \(why)")
                    warnings.append("\(node.op.typeName) '\(node.name)' left unfolded: \(why)")
                    continue
                case .folded(let v): values = v
                }
            }
            // The folded inputs' own sources are fused into this Const too.
            let fused = [node.name] + node.inputs.flatMap { $0.node.op is Constant ? $0.node.fusedNames : [] }
            try graph.replace(node, withConstants: values, fusedNames: fused)
            changed = true
        }
        return inlined
    }

    /// Parameters, Results and Consts stay; so does weight decompression; an If or Loop is never evaluated whole.
    static func mayFold(_ node: Node) -> Bool {
        if node.op is Parameter || node.op is ResultOp || node.op is Constant || node.op is any SubgraphOp { return false }
        guard let convert = node.op as? Convert else { return true }
        if node.hasRTAttribute("decompression") { return false }
        return !(isQuantizedWeight(node.inputs[0]) && convert.destinationType.isFloatingPoint)
    }

    /// A Const of a quantized integer type (i8, u8, i4, u4, u2).
    static func isQuantizedWeight(_ x: Output) -> Bool {
        x.node.op is Constant && [.i8, .u8, .i4, .u4, .u2].contains(x.elementType)
    }

    // ShapeOf(x) with x static -> Const(shape of x)
    static func shapeOfStaticShape(_ node: Node) -> [Tensor]? {
        guard let op = node.op as? ShapeOf, let dims = node.inputs[0].shape.staticDims else { return nil }
        return shapeTensor(dims, op.outputType, dims: [dims.count])
    }

    // Gather(ShapeOf(x), Const i, axis 0) with x.dims[i] static -> Const(x.dims[i])
    static func gatherOfStaticDims(_ node: Node) -> [Tensor]? {
        guard let gather = node.op as? Gather, gather.batchDims == 0,
              let shapeOf = node.inputs[0].node.op as? ShapeOf,
              let indices = node.inputs[1].constant, let picked = indices.intValues(),
              node.inputs[2].constant?.intValues() == [0],
              let dims = node.inputs[0].node.inputs[0].shape.dims else { return nil }
        var values: [Int] = []
        for i in picked {
            let k = i < 0 ? i + dims.count : i
            guard dims.indices.contains(k), let d = dims[k].value else { return nil }
            values.append(d)
        }
        return shapeTensor(values, shapeOf.outputType, dims: indices.dims)
    }

    private static func shapeTensor(_ values: [Int], _ type: ElementType, dims: [Int]) -> [Tensor]? {
        switch type {
        case .i64: [.i64(values, dims: dims)]
        case .i32: [.i32(values, dims: dims)]
        default: nil
        }
    }

    enum Outcome {
        case notConstant
        case declined(String)
        /// Declined because the value would exceed `maxBytes`: worth a warning, unlike the growth rule's declines.
        case overLimit(String)
        case folded([Tensor])
    }

    // op(Const, ..., Const) -> Const(op(...)), unless the value would be much larger than what it is made from
    func evaluateOnConstants(_ node: Node, _ evaluator: Evaluator) -> Outcome {
        let inputs = node.inputs.compactMap(\.constant)
        guard inputs.count == node.inputs.count, evaluator.hasKernel(for: node.op) else { return .notConstant }
        let inputBytes = inputs.reduce(0) { $0 + $1.byteCount }
        let limit = Self.isOnlyWeights(node.output()) ? Int.max : max(budget, growth * inputBytes)
        // Checked on the inferred types first, so an oversized value is never computed.
        if let bytes = Self.bytes(of: node.outputTypes) {
            if bytes > maxBytes { return .overLimit(overLimit(bytes)) }
            if bytes > limit { return .declined(tooLarge(bytes, inputBytes)) }
        }
        let values: [Tensor]
        do {
            values = try evaluator.evaluate(node, inputs: inputs)
        } catch {
            return .declined("\(error)")
        }
        let bytes = values.reduce(0) { $0 + $1.byteCount }
        if bytes > maxBytes { return .overLimit(overLimit(bytes)) }
        if bytes > limit { return .declined(tooLarge(bytes, inputBytes)) }
        for (value, type) in zip(values, node.outputTypes) where !Self.fits(value, type) {
            return .declined("the kernel produced \(value.elementType) \(value.dims), the node is typed \(type)")
        }
        return .folded(values)
    }

    private func overLimit(_ bytes: Int) -> String {
        "its \(bytes == Int.max ? "size (over 2^57 elements or 2^63 bytes)" : "\(bytes) bytes") would exceed the fold limit of \(maxBytes) bytes"
    }

    private func tooLarge(_ bytes: Int, _ inputBytes: Int) -> String {
        "its \(bytes) bytes would exceed max(\(budget), \(growth) × \(inputBytes) input bytes)"
    }

    /// Whether every reader of `value` takes it as weights: input 1 of a convolution or MatMul, or input 0 of a
    /// Reshape/Transpose/Convert/Squeeze/Unsqueeze whose value is only read as weights.
    static func isOnlyWeights(_ value: Output) -> Bool {
        let uses = value.node.uses(of: value.index)
        return !uses.isEmpty && uses.allSatisfy { use in
            switch use.node.op {
            case is Convolution, is GroupConvolution, is ConvolutionBackpropData, is GroupConvolutionBackpropData, is MatMul:
                return use.inputIndex == 1
            case is Reshape, is Transpose, is Convert, is Squeeze, is Unsqueeze:
                return use.inputIndex == 0 && use.node.outputCount == 1 && isOnlyWeights(use.node.output())
            default:
                return false
            }
        }
    }

    /// The outputs' total size when all their shapes are static; `Int.max` when it overflows.
    static func bytes(of types: [TensorType]) -> Int? {
        var total = 0
        for type in types {
            guard let dims = type.shape.staticDims, type.elementType != .string else { return nil }
            // checkedElementCount keeps count × 64 bits within Int.
            guard let count = ShapeInference.checkedElementCount(dims) else { return Int.max }
            let (sum, overflow) = total.addingReportingOverflow(type.elementType.byteCount(elements: count))
            if overflow { return Int.max }
            total = sum
        }
        return total
    }

    /// Whether a computed value can stand for an output of `type`.
    static func fits(_ value: Tensor, _ type: TensorType) -> Bool {
        guard type.elementType == .dynamic || value.elementType == type.elementType else { return false }
        guard let dims = type.shape.dims else { return true }
        return dims.count == value.dims.count && zip(dims, value.dims).allSatisfy { $0.isCompatible(with: .fixed($1)) }
    }
}
