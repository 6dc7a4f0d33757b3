import Dispatch
import Foundation
import OVIR

// The f32 element-wise hot path (bias adds, SiLU's Sigmoid and Multiply, residual adds: most of a detector's
// non-GEMM time). Results go straight into the output tensor's storage; broadcasting runs as an outer
// odometer over the dims where an input repeats and a tight inner loop over the longest suffix where each
// input is contiguous or constant; large tensors split across the cores, as OpenVINO's CPU plugin does.

/// Element counts below this run on one thread (splitting costs more than it saves).
private let parallelThreshold = 1 << 15

/// The f32 elements of `t`, read in place when its storage is 4-byte aligned (owned arrays always are;
/// a slice of a memory-mapped model may not be, and is then copied once).
private func withF32<R>(_ t: Tensor, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
    try t.withUnsafeBytes { raw -> R in
        guard let base = raw.baseAddress else { return try body(UnsafePointer(bitPattern: 4)!) }
        if Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 {
            return try body(base.assumingMemoryBound(to: Float.self))
        }
        return try t.elements(Float.self).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

/// The cores to split work across (here and in `sgemm`), read once: on Linux `activeProcessorCount` reads
/// cgroup files.
let cores = ProcessInfo.processInfo.activeProcessorCount

/// Runs `body(range)` over `0..<count` split into one chunk per core when `work` is large.
private func parallelChunks(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
    guard cores > 1, work >= parallelThreshold, count > 1 else { return body(0..<count) }
    let chunks = Swift.min(cores, count)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        body((count * c / chunks)..<(count * (c + 1) / chunks))
    }
}

/// An f32 function of one element. A type rather than a closure, so `mapF32` is specialized for it and its
/// loop inlines and vectorizes the function (a stored closure would cost a call per element).
protocol F32UnaryFunction { static func apply(_ x: Float) -> Float }

/// An f32 function of two elements, for `binaryF32` (a type for the same reason).
protocol F32BinaryFunction { static func apply(_ a: Float, _ b: Float) -> Float }

/// `F` on each element of the f32 tensor `x`.
func mapF32<F: F32UnaryFunction>(_ x: Tensor, _: F.Type) -> Tensor {
    let n = x.elementCount
    return withF32(x) { src in
        floatTensor(x.dims) { dst in
            parallelChunks(n, work: n) { range in
                for i in range { dst[i] = F.apply(src[i]) }
            }
        }
    }
}

/// `F` on the f32 tensors `a` and `b` broadcast (numpy rules) to `dims`, the node's output dims.
func binaryF32<F: F32BinaryFunction>(_ a: Tensor, _ b: Tensor, dims: [Int], _: F.Type) throws -> Tensor {
    let f = F.apply
    let sa = try broadcastStrides(a.dims, to: dims), sb = try broadcastStrides(b.dims, to: dims)
    // The inner run: the longest suffix of dims over which each input is contiguous or constant.
    let out = contiguousStrides(dims)
    // Per input, 1 when it walks the run contiguously and 0 when it repeats one value along it (size-1
    // dims fit either).
    func step(_ s: [Int], _ k: Int) -> Int? { s[k] == out[k] ? 1 : (s[k] == 0 ? 0 : nil) }
    var split = dims.count
    var stepA = 1, stepB = 1, started = false
    while split > 0 {
        let k = split - 1
        if dims[k] == 1 { split -= 1; continue }
        guard let ka = step(sa, k), let kb = step(sb, k), !started || (ka == stepA && kb == stepB) else { break }
        (stepA, stepB, started) = (ka, kb, true)
        split -= 1
    }
    let inner = dims[split...].reduce(1, *), outerDims = Array(dims[..<split])
    let outer = outerDims.reduce(1, *)
    let outerA = Array(sa[..<split]), outerB = Array(sb[..<split])
    return withF32(a) { pa in
        withF32(b) { pb in
            floatTensor(dims) { dst in
                // Starting offsets of each outer index, then the inner runs (split across cores by outer
                // index, or within the one run when there is no outer loop).
                var starts: [(Int, Int)] = []
                starts.reserveCapacity(outer)
                forEachIndex(outerDims, [outerA, outerB]) { _, off in starts.append((off[0], off[1])) }
                func run(_ o: Int, _ range: Range<Int>) {
                    let (oa, ob) = starts[o]
                    let x = pa + oa, y = pb + ob, z = dst + o * inner
                    switch (stepA, stepB) {
                    case (1, 1): for i in range { z[i] = f(x[i], y[i]) }
                    case (1, 0): let c = y[0]; for i in range { z[i] = f(x[i], c) }
                    case (0, 1): let c = x[0]; for i in range { z[i] = f(c, y[i]) }
                    default: let v = f(x[0], y[0]); for i in range { z[i] = v }
                    }
                }
                if outer == 1 {
                    parallelChunks(inner, work: inner) { range in run(0, range) }
                } else {
                    parallelChunks(outer, work: outer * inner) { range in
                        for o in range { run(o, 0..<inner) }
                    }
                }
            }
        }
    }
}

/// eˣ for the f32 activations (Sigmoid, Swish), written without a libm call so loops over it vectorize:
/// Cephes' expf (x = n·ln2 + r, |r| ≤ ln2/2, a degree-5 polynomial for eʳ, then 2ⁿ through the exponent
/// bits), within 2 ulp of libm's. x is clamped to [-87.3, 88.3], where 2ⁿ stays a normal float, so the
/// result never overflows: fine inside a sigmoid, not a replacement for the Exp op.
@inline(__always)
func activationExp(_ x: Float) -> Float {
    let x = Swift.min(Swift.max(x, -87.3), 88.3)
    // n = round(x / ln2) by adding 1.5·2²³, which leaves n in the low mantissa bits of t (no rounding call,
    // so the loop vectorizes).
    let t = x * 1.442_695_04 + 12_582_912
    let n = t - 12_582_912
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let e = p * r * r + r + 1
    return e * Float(bitPattern: (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
}

// The functions of the f32 hot path (each equal, within f32 rounding, to its op's Double formula in
// Elementwise.swift and UnaryMath.swift).

enum F32Add: F32BinaryFunction { static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
enum F32Subtract: F32BinaryFunction { static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
enum F32Multiply: F32BinaryFunction { static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
enum F32Divide: F32BinaryFunction { static func apply(_ a: Float, _ b: Float) -> Float { a / b } }

enum F32Relu: F32UnaryFunction { static func apply(_ x: Float) -> Float { Swift.max(x, 0) } }
// 1 / (1 + e⁻ˣ)
enum F32Sigmoid: F32UnaryFunction { static func apply(_ x: Float) -> Float { 1 / (1 + activationExp(-x)) } }
// x · sigmoid(x), Swish with beta 1
enum F32Swish: F32UnaryFunction { static func apply(_ x: Float) -> Float { x / (1 + activationExp(-x)) } }
// x · min(max(x + 3, 0), 6) / 6
enum F32HSwish: F32UnaryFunction { static func apply(_ x: Float) -> Float { x * Swift.min(Swift.max(x + 3, 0), 6) / 6 } }
// min(max(x + 3, 0), 6) / 6
enum F32HSigmoid: F32UnaryFunction { static func apply(_ x: Float) -> Float { Swift.min(Swift.max(x + 3, 0), 6) / 6 } }
