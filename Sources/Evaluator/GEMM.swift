import COpenBLAS

/// C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when `accumulate`), row-major, through OpenBLAS.
func sgemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, transposeA: Bool = false,
           b: UnsafePointer<Float>, transposeB: Bool = false, c: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        return
    }
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), 1, a, blasint(transposeA ? m : k), b, blasint(transposeB ? k : n),
                accumulate ? 1 : 0, c, blasint(n))
}

/// The array form of `sgemm`, for callers holding whole tensors: `a`, `b` and `c` start at the offsets.
func sgemm(m: Int, n: Int, k: Int, a: [Float], aOffset: Int, transposeA: Bool,
           b: [Float], bOffset: Int, transposeB: Bool, c: inout [Float], cOffset: Int) {
    guard m > 0, n > 0 else { return }
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                // With k = 0 the operands may be empty arrays without storage; sgemm then only zeroes C.
                let empty = UnsafePointer<Float>(pc.baseAddress!)
                sgemm(m: m, n: n, k: k, a: pa.baseAddress.map { $0 + aOffset } ?? empty, transposeA: transposeA,
                      b: pb.baseAddress.map { $0 + bOffset } ?? empty, transposeB: transposeB, c: pc.baseAddress! + cOffset)
            }
        }
    }
}
