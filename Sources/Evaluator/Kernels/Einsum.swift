import OVIR

// Einsum by brute force: every combination of label values is visited once, output labels first, so each
// output element is the sum over the remaining (contracted) labels of the product of the inputs there.
// A label repeated within one input reads its diagonal; a dim of 1 broadcasts. Floats sum in Double,
// integers in Int128 (wrapped to the width).

let einsumKernels: [String: Kernel] = [
    Einsum.type: einsum,
]

private func einsum(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Einsum.self)
    let inputs = ctx.inputs
    guard inputs.allSatisfy({ $0.elementType == inputs[0].elementType }) else {
        throw KernelError("inputs have different element types \(inputs.map(\.elementType))")
    }
    let (subscripts, outputSubscript) = try op.parse(inputCount: inputs.count)
    // The ellipsis becomes labels of its own, right-aligned across inputs as numpy broadcasting aligns them.
    let ellipsisRank = zip(subscripts, inputs).map { sub, x in sub.contains(nil) ? x.dims.count - (sub.count - 1) : 0 }.max() ?? 0
    let ellipsisLabels = (0..<ellipsisRank).map { Character(Unicode.Scalar(0xE000 + $0)!) }
    func expand(_ sub: Einsum.Subscript, rank: Int) -> [Character] {
        sub.flatMap { label -> [Character] in
            if let label { return [label] }
            return Array(ellipsisLabels.suffix(Swift.max(0, rank - (sub.count - 1))))
        }
    }
    let labelsPerInput = zip(subscripts, inputs).map { expand($0, rank: $1.dims.count) }
    let outputLabels = expand(outputSubscript, rank: ellipsisRank + outputSubscript.count - 1)
    var sizes: [Character: Int] = [:]
    for (labels, x) in zip(labelsPerInput, inputs) {
        guard labels.count == x.dims.count else { throw KernelError("input \(x.dims) does not match its subscript in '\(op.equation)'") }
        for (label, d) in zip(labels, x.dims) where d != 1 {
            if let s = sizes[label], s != d { throw KernelError("label '\(label)' has sizes \(s) and \(d) in '\(op.equation)'") }
            sizes[label] = d
        }
    }
    var contracted: [Character] = []
    for labels in labelsPerInput { for l in labels where !outputLabels.contains(l) && !contracted.contains(l) { contracted.append(l) } }
    let order = outputLabels + contracted
    let dims = order.map { sizes[$0] ?? 1 }
    // Per input, the stride each label moves it by: the sum over the axes carrying it (the diagonal), 0
    // where the label is absent or the axis broadcasts.
    let strides = zip(labelsPerInput, inputs).map { labels, x in
        let own = contiguousStrides(x.dims)
        return order.map { label in labels.indices.filter { labels[$0] == label && x.dims[$0] != 1 }.reduce(0) { $0 + own[$1] } }
    }
    let contractedCount = contracted.reduce(1) { $0 * (sizes[$1] ?? 1) }
    let outDims = try ctx.outputDims0()
    let type = inputs[0].elementType
    if type.isFloatingPoint {
        let values = try inputs.map { try $0.doubles() }
        var out = [Double](repeating: 0, count: outDims.reduce(1, *))
        forEachIndex(dims, strides) { i, off in
            out[i / contractedCount] += values.indices.reduce(1.0) { $0 * values[$1][off[$1]] }
        }
        return [Tensor.floatResult(out, dims: outDims, of: type)]
    }
    guard type != .boolean else { throw KernelError("Einsum on booleans is not evaluated") }
    let values = try inputs.map { try $0.integers() }
    var out = [Int128](repeating: 0, count: outDims.reduce(1, *))
    forEachIndex(dims, strides) { i, off in
        out[i / contractedCount] = out[i / contractedCount] &+ values.indices.reduce(Int128(1)) { $0 &* values[$1][off[$1]] }
    }
    return [Tensor(type, dims: outDims, wrapping: out)]
}
