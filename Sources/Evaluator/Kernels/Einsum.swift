import OVIR

// Einstein summation: Einsum, in f32 (inputs read through `floats()`).

let einsumKernels: [String: Kernel] = [
    Einsum.type: einsum,
]

/// An axis label of an einsum: a letter, or the k-th dim that the ellipsis stands for (right-aligned, so an
/// input whose ellipsis covers fewer dims uses the last ones).
private enum EinsumLabel: Hashable {
    case letter(Character)
    case ellipsis(Int)
}

/// Einsum (opset7): out[output labels] = Σ over the other labels of Π inputs[their labels]. A label repeated
/// in one input reads its diagonal; a dim of 1 broadcasts against the label's size elsewhere. One loop over
/// the output labels then the summed ones, with per-input strides (0 where an input lacks the label).
private func einsum(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Einsum.self)
    let (subscripts, output) = try op.parse(inputCount: ctx.inputs.count)
    let operands = try ctx.inputs.enumerated().map { try $1.floats("input \($0)") }
    let ellipsisRank = zip(subscripts, ctx.inputs).map { sub, t in t.dims.count - sub.compactMap { $0 }.count }.max() ?? 0
    func expand(_ sub: Einsum.Subscript, rank: Int) throws -> [EinsumLabel] {
        let covered = rank - sub.compactMap { $0 }.count
        guard covered >= 0, covered == 0 || sub.contains(nil) else { throw KernelError("rank \(rank) does not match subscript of '\(op.equation)'") }
        return sub.flatMap { c -> [EinsumLabel] in
            c.map { [.letter($0)] } ?? (ellipsisRank - covered..<ellipsisRank).map { .ellipsis($0) }
        }
    }
    let inputLabels = try zip(subscripts, ctx.inputs).map { try expand($0, rank: $1.dims.count) }
    var sizes: [EinsumLabel: Int] = [:]
    var order: [EinsumLabel] = []
    for (labels, t) in zip(inputLabels, ctx.inputs) {
        for (label, d) in zip(labels, t.dims) {
            guard let old = sizes[label] else {
                sizes[label] = d
                order.append(label)
                continue
            }
            guard old == d || old == 1 || d == 1 else { throw KernelError("label \(label) has sizes \(old) and \(d) in '\(op.equation)'") }
            sizes[label] = old == 1 ? d : old
        }
    }
    let outputLabels = try expand(output, rank: output.compactMap { $0 }.count + (output.contains(nil) ? ellipsisRank : 0))
    guard Set(outputLabels).count == outputLabels.count, outputLabels.allSatisfy({ sizes[$0] != nil }) else {
        throw KernelError("output of '\(op.equation)' repeats a label or has one no input has")
    }
    let summed = order.filter { !outputLabels.contains($0) }
    let loop = outputLabels + summed
    let loopDims = loop.map { sizes[$0]! }
    let position = Dictionary(uniqueKeysWithValues: loop.enumerated().map { ($1, $0) })
    let strides = zip(inputLabels, ctx.inputs).map { labels, t in
        var s = Array(repeating: 0, count: loop.count)
        for (label, (d, own)) in zip(labels, zip(t.dims, contiguousStrides(t.dims))) where d == sizes[label] {
            s[position[label]!] += own
        }
        return s
    }
    let dims = outputLabels.map { sizes[$0]! }
    let perOutput = summed.map { sizes[$0]! }.reduce(1, *)
    var out = [Float](repeating: 0, count: dims.reduce(1, *))
    forEachIndex(loopDims, strides) { i, offsets in
        var product: Float = 1
        for (k, values) in operands.enumerated() { product *= values[offsets[k]] }
        out[i / perOutput] += product
    }
    return [.f32(out, dims: dims)]
}
