import Foundation
import OVIR

// Reductions over the axes of input 1 (keep_dims as the op says; the output shape comes from type
// inference, and a kept or dropped axis does not change the element order). Each reduction is written
// once for floats, in Double (f64 exact; other widths come back as f32, packed by the evaluator), and
// once for integers, in Int128 wrapped to the width; the logical ones take booleans.

let reductionKernels: [String: Kernel] = [
    ReduceSum.type: reduction(ReduceSum.self, float: { $0.reduce(0, +) }, int: { group, _ in group.reduce(0, &+) }),
    // Integer means truncate toward zero, as casting numpy's float mean back does.
    ReduceMean.type: reduction(ReduceMean.self, float: { $0.reduce(0, +) / Double($0.count) }, int: { group, _ in
        guard !group.isEmpty else { throw KernelError("integer mean of no elements") }
        return group.reduce(0, &+) / Int128(group.count)
    }),
    // The maximum of no elements is the lowest value (-∞ for floats), the minimum the highest.
    ReduceMax.type: reduction(ReduceMax.self, float: { $0.reduce(-.infinity) { Swift.max($0, $1) } },
                              int: { group, range in group.max() ?? range.lowerBound }),
    ReduceMin.type: reduction(ReduceMin.self, float: { $0.reduce(.infinity) { Swift.min($0, $1) } },
                              int: { group, range in group.min() ?? range.upperBound }),
    ReduceProd.type: reduction(ReduceProd.self, float: { $0.reduce(1, *) }, int: { group, _ in group.reduce(1, &*) }),
    // Σ|x|
    ReduceL1.type: reduction(ReduceL1.self, float: { $0.reduce(0) { $0 + Swift.abs($1) } },
                             int: { group, _ in group.reduce(0) { $0 &+ Swift.abs($1) } }),
    // √Σx², on integers truncated
    ReduceL2.type: reduction(ReduceL2.self, float: { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() },
                             int: { group, _ in Int128(Double(group.reduce(0) { $0 &+ $1 &* $1 }).squareRoot()) }),
    ReduceLogicalAnd.type: logicalReduction(ReduceLogicalAnd.self) { $0.allSatisfy { $0 != 0 } },
    ReduceLogicalOr.type: logicalReduction(ReduceLogicalOr.self) { $0.contains { $0 != 0 } },
]

/// A numeric reduction: `float` folds the Double values of one output element, `int` the Int128 ones
/// (given the range of the data's type too).
private func reduction<O: ReductionOp>(_: O.Type, float: @escaping ([Double]) throws -> Double,
                                       int: @escaping ([Int128], ClosedRange<Int128>) throws -> Int128) -> Kernel {
    { ctx in
        _ = try ctx.op(O.self)
        let data = ctx.inputs[0]
        if data.elementType.isFloatingPoint {
            let (groups, dims) = try reductionGroups(try data.doubles("data"), ctx)
            return [Tensor.floatResult(try groups.map(float), dims: dims, of: data.elementType)]
        }
        guard data.elementType != .boolean else { throw data.unsupported("data", "numeric types") }
        let (groups, dims) = try reductionGroups(try data.integers("data"), ctx)
        let range = data.elementType.integerRange
        return [Tensor(data.elementType, dims: dims, wrapping: try groups.map { try int($0, range) })]
    }
}

/// ReduceLogicalAnd/Or: `f` decides each output element from its boolean inputs.
private func logicalReduction<O: ReductionOp>(_: O.Type, _ f: @escaping ([UInt8]) -> Bool) -> Kernel {
    { ctx in
        _ = try ctx.op(O.self)
        let data = ctx.inputs[0]
        guard data.elementType == .boolean else { throw data.unsupported("data", "boolean") }
        let (groups, dims) = try reductionGroups(data.elements(UInt8.self), ctx)
        return [Tensor(.boolean, dims: dims, values: groups.map { f($0) ? UInt8(1) : 0 })]
    }
}

/// The input values gathered per output element (in input order), and the output dims.
private func reductionGroups<T>(_ x: [T], _ ctx: KernelContext) throws -> ([[T]], [Int]) {
    let d = ctx.inputs[0].dims
    let axes = Set(try ctx.inputs[1].ints("axes").map { try ShapeInference.axis($0, rank: d.count) })
    // Each input element belongs to the output element with the reduced axes at 0.
    let kept = d.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    let keptStrides = contiguousStrides(kept)
    let strides = d.indices.map { axes.contains($0) ? 0 : keptStrides[$0] }
    var groups = [[T]](repeating: [], count: kept.reduce(1, *))
    forEachIndex(d, [strides]) { i, off in groups[off[0]].append(x[i]) }
    return (groups, try ctx.outputDims0())
}
