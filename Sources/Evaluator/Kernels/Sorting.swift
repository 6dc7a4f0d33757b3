import Foundation
import OVIR

// Ops that order elements: TopK and Unique. They compare values but copy the chosen elements as bytes, so
// every numeric element type is supported and values come out exactly as they went in.

let sortingKernels: [String: Kernel] = [
    TopK.type: topK,
    Unique.type: unique,
]

/// Compares the elements of one tensor by value: exact integers for integer and boolean types, doubles for
/// float types (which hold every f16, bf16, f32 and f64 exactly).
private struct ElementOrder {
    let less: (Int, Int) -> Bool

    init(_ t: Tensor) throws {
        if t.elementType.isFloatingPoint, let v = t.doubleValues() {
            less = { v[$0] < v[$1] }
        } else if !t.elementType.isFloatingPoint, let v = t.intValues() {
            less = { v[$0] < v[$1] }
        } else {
            throw t.unsupported("input", "numeric types")
        }
    }
}

/// The elements of `x` at the flat positions `sources`, as a tensor of `dims`.
private func pick(_ x: Tensor, _ sources: [Int], dims: [Int]) throws -> Tensor {
    let size = try x.elementSize()
    var out = [UInt8](repeating: 0, count: sources.count * size)
    x.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            for (i, s) in sources.enumerated() { memcpy(dst.baseAddress! + i * size, src.baseAddress! + s * size, size) }
        }
    }
    return Tensor(x.elementType, dims: dims, bytes: out)
}

private func indexTensor(_ indices: [Int], dims: [Int], _ type: ElementType) throws -> Tensor {
    switch type {
    case .i64: return .i64(indices, dims: dims)
    case .i32: return .i32(indices, dims: dims)
    default: throw KernelError("index element type \(type) is not i32 or i64")
    }
}

/// TopK (opset11): along `axis`, the k largest (mode max) or smallest (mode min) elements and their indices.
/// Equal values always keep the lower index first (the stable order, which also satisfies stable = false).
/// sort value (and none, as OpenVINO's reference leaves the value order) orders the k by value; sort index by index.
private func topK(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(TopK.self)
    let x = ctx.inputs[0]
    guard let k = try ctx.inputs[1].ints("k").first else { throw KernelError("k input is empty") }
    let dims = try ctx.outputDims0()
    let axis = try ShapeInference.axis(op.axis, rank: x.dims.count)
    let n = x.dims[axis]
    let kept = min(k, n)
    guard dims[axis] == kept else { throw KernelError("inferred output \(dims) does not keep \(kept) along axis \(axis)") }
    let order = try ElementOrder(x)
    let before: (Int, Int) -> Bool = op.mode == .max ? { order.less($1, $0) } : order.less
    let outer = x.dims[..<axis].reduce(1, *), inner = x.dims[(axis + 1)...].reduce(1, *)
    var sources = [Int](repeating: 0, count: outer * kept * inner)
    var indices = [Int](repeating: 0, count: sources.count)
    for o in 0..<outer {
        for i in 0..<inner {
            let at = { (j: Int) in (o * n + j) * inner + i }
            var chosen = Array((0..<n).sorted { a, b in
                before(at(a), at(b)) || (!before(at(b), at(a)) && a < b)
            }.prefix(kept))
            if op.sort == .index { chosen.sort() }
            for (r, j) in chosen.enumerated() {
                sources[(o * kept + r) * inner + i] = at(j)
                indices[(o * kept + r) * inner + i] = j
            }
        }
    }
    return [try pick(x, sources, dims: dims), try indexTensor(indices, dims: dims, op.indexElementType)]
}

/// Unique (opset10): the distinct elements of the flattened input, or the distinct slices along `axis`
/// (compared element by element in row-major order), ascending when sorted, else in order of first
/// occurrence; then the first occurrence of each, the unique value each input element or slice maps to,
/// and how often each occurs.
private func unique(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Unique.self)
    let x = ctx.inputs[0]
    let order = try ElementOrder(x)
    var axis: Int?
    if ctx.inputs.count > 1 {
        guard let a = try ctx.inputs[1].ints("axis").first else { throw KernelError("axis input is empty") }
        axis = try ShapeInference.axis(a, rank: x.dims.count)
    }
    // Slice j is elements (o·n + j)·inner + i for o < outer, i < inner; flattened, each element is a slice.
    let (outer, n, inner) = axis.map { a in
        (x.dims[..<a].reduce(1, *), x.dims[a], x.dims[(a + 1)...].reduce(1, *))
    } ?? (1, x.elementCount, 1)
    func less(_ a: Int, _ b: Int) -> Bool {
        for o in 0..<outer {
            for i in 0..<inner {
                let (ea, eb) = ((o * n + a) * inner + i, (o * n + b) * inner + i)
                if order.less(ea, eb) { return true }
                if order.less(eb, ea) { return false }
            }
        }
        return false
    }
    // Sorting by value then position makes each run of equal slices one group, its first occurrence first.
    var groups: [[Int]] = []
    for j in (0..<n).sorted(by: { less($0, $1) || (!less($1, $0) && $0 < $1) }) {
        if let first = groups.last?.first, !less(first, j) { groups[groups.count - 1].append(j) } else { groups.append([j]) }
    }
    if !op.sorted { groups.sort { $0[0] < $1[0] } }
    let firsts = groups.map { $0[0] }
    var inverse = [Int](repeating: 0, count: n)
    for (u, group) in groups.enumerated() { for j in group { inverse[j] = u } }
    var valueDims = [groups.count]
    if let axis { valueDims = x.dims; valueDims[axis] = groups.count }
    var sources: [Int] = []
    for o in 0..<outer { for j in firsts { for i in 0..<inner { sources.append((o * n + j) * inner + i) } } }
    return [try pick(x, sources, dims: valueDims),
            try indexTensor(firsts, dims: [groups.count], op.indexElementType),
            try indexTensor(inverse, dims: [n], op.indexElementType),
            try indexTensor(groups.map(\.count), dims: [groups.count], op.countElementType)]
}
