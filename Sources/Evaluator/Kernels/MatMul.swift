import OVIR

// MatMul with numpy batch broadcasting; 1-D operands are promoted (A to a row, B to a column) and the
// added axis is removed from the result, as numpy.matmul does. Each batch item is one `cblas_sgemm` for
// floats, or a plain loop in Int128 (wrapped to the width) for integers.

let matMulKernels: [String: Kernel] = [
    MatMul.type: matMul,
]

private func matMul(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(MatMul.self)
    let (ta, tb) = (ctx.inputs[0], ctx.inputs[1])
    guard !ta.dims.isEmpty, !tb.dims.isEmpty else { throw KernelError("MatMul operands must have rank 1 or more") }
    // Transposes do not apply to 1-D operands.
    let transA = op.transposeA && ta.dims.count > 1, transB = op.transposeB && tb.dims.count > 1
    let ad = ta.dims.count == 1 ? [1, ta.dims[0]] : ta.dims
    let bd = tb.dims.count == 1 ? [tb.dims[0], 1] : tb.dims
    let (m, k) = transA ? (ad[ad.count - 1], ad[ad.count - 2]) : (ad[ad.count - 2], ad[ad.count - 1])
    let (k2, n) = transB ? (bd[bd.count - 1], bd[bd.count - 2]) : (bd[bd.count - 2], bd[bd.count - 1])
    guard k == k2 else { throw KernelError("A \(ta.dims) and B \(tb.dims) have different inner dims \(k) and \(k2)") }
    let batchA = Array(ad.dropLast(2)), batchB = Array(bd.dropLast(2))
    // The batch dims are the output dims (from MatMul's type inference) without the matrix dims; a 1-D
    // operand's promoted axis is already absent from them.
    let matrixRank = 2 - (ta.dims.count == 1 ? 1 : 0) - (tb.dims.count == 1 ? 1 : 0)
    let batch = Array(try ctx.outputDims0().dropLast(matrixRank))
    let sa = try broadcastStrides(batchA, to: batch), sb = try broadcastStrides(batchB, to: batch)
    var dims = batch + [m, n]
    if tb.dims.count == 1 { dims.removeLast() }
    if ta.dims.count == 1 { dims.remove(at: dims.count - (tb.dims.count == 1 ? 1 : 2)) }
    if ta.elementType.isIntegral, ta.elementType != .boolean {
        guard tb.elementType == ta.elementType else { throw KernelError("A is \(ta.elementType) and B \(tb.elementType); they must match") }
        let a = try ta.integers("A"), b = try tb.integers("B")
        var out = [Int128](repeating: 0, count: batch.reduce(1, *) * m * n)
        // Element (r, c) of A or B at a batch offset, honouring the transposes.
        func at(_ x: [Int128], _ base: Int, _ r: Int, _ c: Int, rows: Int, cols: Int, transposed: Bool) -> Int128 {
            transposed ? x[base + c * rows + r] : x[base + r * cols + c]
        }
        forEachIndex(batch, [sa, sb]) { i, off in
            for r in 0..<m {
                for c in 0..<n {
                    var sum: Int128 = 0
                    for j in 0..<k {
                        sum = sum &+ at(a, off[0] * m * k, r, j, rows: m, cols: k, transposed: transA)
                            &* at(b, off[1] * k * n, j, c, rows: k, cols: n, transposed: transB)
                    }
                    out[i * m * n + r * n + c] = sum
                }
            }
        }
        return [Tensor(ta.elementType, dims: dims, wrapping: out)]
    }
    let a = try ta.floats("A"), b = try tb.floats("B")
    var out = [Float](repeating: 0, count: batch.reduce(1, *) * m * n)
    forEachIndex(batch, [sa, sb]) { i, off in
        sgemm(m: m, n: n, k: k, a: a, aOffset: off[0] * m * k, transposeA: transA,
              b: b, bOffset: off[1] * k * n, transposeB: transB, c: &out, cOffset: i * m * n)
    }
    return [Tensor(.f32, dims: dims, values: out)]
}
