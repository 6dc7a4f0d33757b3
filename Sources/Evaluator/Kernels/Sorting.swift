import Foundation
import OVIR

// Ops that order elements: TopK.

let sortingKernels: [String: Kernel] = [
    TopK.type: topK,
]

/// TopK (opset11): along `axis`, the k largest (mode max) or smallest (mode min) elements and their indices.
/// Equal values always keep the lower index first (the stable order, which also satisfies stable = false).
/// sort value (and none, as OpenVINO's reference leaves the value order) orders the k by value; sort index by index.
private func topK(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(TopK.self)
    let x = ctx.inputs[0]
    guard let k = try ctx.inputs[1].ints("k").first else { throw KernelError("k input is empty") }
    let outDims = try ctx.outputDims()
    let rank = x.dims.count
    let axis = try ShapeInference.axis(op.axis, rank: rank)
    let dims = outDims[0]
    switch x.elementType {
    case .f32:
        let (v, i) = try topK(x.elements(Float.self), x.dims, axis: axis, k: k, dims: dims, op: op)
        return [Tensor(.f32, dims: dims, values: v), try indexTensor(i, dims: dims, op.indexElementType)]
    case .i64:
        let (v, i) = try topK(x.elements(Int64.self), x.dims, axis: axis, k: k, dims: dims, op: op)
        return [Tensor(.i64, dims: dims, values: v), try indexTensor(i, dims: dims, op.indexElementType)]
    case .i32:
        let (v, i) = try topK(x.elements(Int32.self), x.dims, axis: axis, k: k, dims: dims, op: op)
        return [Tensor(.i32, dims: dims, values: v), try indexTensor(i, dims: dims, op.indexElementType)]
    default:
        throw x.unsupported("input", "f32, i64 and i32")
    }
}

private func indexTensor(_ indices: [Int], dims: [Int], _ type: ElementType) throws -> Tensor {
    switch type {
    case .i64: return .i64(indices, dims: dims)
    case .i32: return .i32(indices, dims: dims)
    default: throw KernelError("index_element_type \(type) is not i32 or i64")
    }
}

private func topK<T: Comparable>(_ data: [T], _ shape: [Int], axis: Int, k: Int, dims: [Int],
                                 op: TopK) throws -> ([T], [Int]) {
    let n = shape[axis]
    let kept = min(k, n)
    guard dims[axis] == kept else { throw KernelError("inferred output \(dims) does not keep \(kept) along axis \(axis)") }
    let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
    let total = outer * kept * inner
    guard let first = data.first else { return ([], []) }
    var values = [T](repeating: first, count: total)
    var indices = [Int](repeating: 0, count: total)
    let before: (T, T) -> Bool = op.mode == .max ? { $0 > $1 } : { $0 < $1 }
    for o in 0..<outer {
        for i in 0..<inner {
            let at = { (j: Int) in data[(o * n + j) * inner + i] }
            var order = (0..<n).sorted { a, b in
                let (va, vb) = (at(a), at(b))
                return before(va, vb) || (!before(vb, va) && a < b)
            }
            order = Array(order.prefix(kept))
            if op.sort == .index { order.sort() }
            for (r, j) in order.enumerated() {
                values[(o * kept + r) * inner + i] = at(j)
                indices[(o * kept + r) * inner + i] = j
            }
        }
    }
    return (values, indices)
}
