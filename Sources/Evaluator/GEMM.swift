import COpenBLAS
import Dispatch

/// OpenBLAS runs single-threaded: its worker threads spin (sched_yield) between calls, which on a busy
/// machine costs the evaluator more than they save (measured: 8.0 → 3.4 ms on the YOLO fixture under load).
/// Large products are split across the cores by `sgemm` itself instead.
private let singleThreadedBLAS: Void = openblas_set_num_threads(1)

/// Products of at least this many multiply-adds are split across the cores (by columns of C).
private let parallelMultiplyAdds = 1 << 22

/// C[m×n] = op(A)[m×k] · op(B)[k×n] (+ C when `accumulate`), row-major, through OpenBLAS.
func sgemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, transposeA: Bool = false,
           b: UnsafePointer<Float>, transposeB: Bool = false, c: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        return
    }
    _ = singleThreadedBLAS
    // Columns n0..<n1 of C come from columns n0..<n1 of op(B): B + n0 (B row-major k×n) or B + n0·k (Bᵀ stored
    // n×k), with the full leading dimensions.
    func columns(_ n0: Int, _ n1: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n1 - n0), blasint(k), 1, a, blasint(transposeA ? m : k),
                    b + (transposeB ? n0 * k : n0), blasint(transposeB ? k : n), accumulate ? 1 : 0, c + n0, blasint(n))
    }
    let chunks = Swift.min(cores, n / 64)
    guard chunks > 1, m * n * k >= parallelMultiplyAdds else { return columns(0, n) }
    DispatchQueue.concurrentPerform(iterations: chunks) { i in columns(n * i / chunks, n * (i + 1) / chunks) }
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
