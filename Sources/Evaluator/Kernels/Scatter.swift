import Foundation
import OVIR

// Ops that write updates into a copy of the data: ScatterUpdate, ScatterElementsUpdate and ScatterNDUpdate.
// Plain overwrites work on bytes (every byte-addressable type); reductions compute in f32 (float inputs,
// through `floats()`) or exactly in the input's integer type.

let scatterKernels: [String: Kernel] = [
    ScatterUpdate.type: scatterUpdate,
    ScatterElementsUpdate.type: scatterElementsUpdate,
    ScatterNDUpdate.type: scatterNDUpdate,
]

/// A number the accumulating kernels compute in: f32, or an integer type that wraps on overflow as C++ does.
protocol KernelNumber: Comparable {
    static var zero: Self { get }
    static func plus(_ a: Self, _ b: Self) -> Self
    static func minus(_ a: Self, _ b: Self) -> Self
    static func times(_ a: Self, _ b: Self) -> Self
    /// The quotient by a count; integers truncate toward zero, as OpenVINO's CPU plugin does for mean.
    func divided(by count: Int) -> Self
    /// The elements of `t` as this type: floats through `floats()`, integers of exactly this type.
    static func read(_ t: Tensor, _ what: String) throws -> [Self]
}

extension Float: KernelNumber {
    static func plus(_ a: Float, _ b: Float) -> Float { a + b }
    static func minus(_ a: Float, _ b: Float) -> Float { a - b }
    static func times(_ a: Float, _ b: Float) -> Float { a * b }
    func divided(by count: Int) -> Float { self / Float(count) }
    static func read(_ t: Tensor, _ what: String) throws -> [Float] { try t.floats(what) }
}

/// An integer `KernelNumber`: the element type it reads.
protocol KernelInteger: KernelNumber, FixedWidthInteger {
    static var elementType: ElementType { get }
}

extension KernelInteger {
    static func plus(_ a: Self, _ b: Self) -> Self { a &+ b }
    static func minus(_ a: Self, _ b: Self) -> Self { a &- b }
    static func times(_ a: Self, _ b: Self) -> Self { a &* b }
    func divided(by count: Int) -> Self {
        guard count > 0 else { return self }
        // Through 64 bits, as a narrow type may not hold the count.
        return Self.isSigned ? Self(truncatingIfNeeded: Int64(truncatingIfNeeded: self) / Int64(count))
            : Self(truncatingIfNeeded: UInt64(truncatingIfNeeded: self) / UInt64(count))
    }
    static func read(_ t: Tensor, _ what: String) throws -> [Self] {
        guard t.elementType == elementType else { throw t.unsupported(what, "\(elementType) here") }
        return t.elements(Self.self)
    }
}

extension Int64: KernelInteger { static var elementType: ElementType { .i64 } }
extension Int32: KernelInteger { static var elementType: ElementType { .i32 } }
extension Int16: KernelInteger { static var elementType: ElementType { .i16 } }
extension Int8: KernelInteger { static var elementType: ElementType { .i8 } }
extension UInt64: KernelInteger { static var elementType: ElementType { .u64 } }
extension UInt32: KernelInteger { static var elementType: ElementType { .u32 } }
extension UInt16: KernelInteger { static var elementType: ElementType { .u16 } }
extension UInt8: KernelInteger { static var elementType: ElementType { .u8 } }

/// A computation over the elements of one tensor, generic in the number type (see `withNumbers`).
protocol NumberComputation {
    func run<T: KernelNumber>(_ values: [T]) throws -> [T]
}

/// Runs `compute` on the elements of `x` in the type it computes in, and packs the result: f32 for float
/// inputs (read through `floats()`), the input's own type for integer ones.
func withNumbers(_ x: Tensor, dims: [Int], _ compute: some NumberComputation) throws -> Tensor {
    func run<T: KernelInteger>(_: T.Type) throws -> Tensor {
        Tensor(x.elementType, dims: dims, values: try compute.run(try T.read(x, "input")))
    }
    switch x.elementType {
    case .i64: return try run(Int64.self)
    case .i32: return try run(Int32.self)
    case .i16: return try run(Int16.self)
    case .i8: return try run(Int8.self)
    case .u64: return try run(UInt64.self)
    case .u32: return try run(UInt32.self)
    case .u16: return try run(UInt16.self)
    case .u8: return try run(UInt8.self)
    default: return Tensor(.f32, dims: dims, values: try compute.run(try Float.read(x, "input")))
    }
}

/// The update of one element: `old` is nil for an element no earlier update touched when the data's own
/// value is not used (use_init_val false).
private func combine<T: KernelNumber>(_ old: T?, _ new: T, _ reduction: ScatterElementsUpdate.Reduction) -> T {
    guard let old else { return new }
    switch reduction {
    case .none: return new
    case .sum, .mean: return T.plus(old, new)
    case .prod: return T.times(old, new)
    case .min: return min(old, new)
    case .max: return max(old, new)
    }
}

/// ScatterUpdate (opset3): updates (shaped data[..<axis] + indices + data[(axis+1)...]) overwrite the data's
/// slices along `axis` at the indices, later ones winning.
private func scatterUpdate(_ ctx: KernelContext) throws -> [Tensor] {
    let (data, indicesTensor, updates) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2])
    let size = try data.elementSize("data")
    guard updates.elementType == data.elementType else { throw KernelError("updates are \(updates.elementType), data \(data.elementType)") }
    let indices = try indicesTensor.ints("indices")
    guard let axisValue = try ctx.inputs[3].ints("axis").first else { throw KernelError("axis input is empty") }
    let axis = try ShapeInference.axis(axisValue, rank: data.dims.count)
    let expected = Array(data.dims[..<axis]) + indicesTensor.dims + data.dims[(axis + 1)...]
    guard updates.dims == expected else { throw KernelError("updates \(updates.dims) do not have shape \(expected)") }
    let n = data.dims[axis]
    let outer = data.dims[..<axis].reduce(1, *), inner = data.dims[(axis + 1)...].reduce(1, *) * size
    var out = data.bytes
    try updates.withUnsafeBytes { src in
        try out.withUnsafeMutableBytes { dst in
            for o in 0..<outer {
                for (j, index) in indices.enumerated() where inner > 0 {
                    let i = try normalizedIndex(index, n)
                    memcpy(dst.baseAddress! + (o * n + i) * inner, src.baseAddress! + (o * indices.count + j) * inner, inner)
                }
            }
        }
    }
    return [Tensor(data.elementType, dims: data.dims, bytes: out)]
}

/// For each update element, the data element it lands on (by flat position).
private func scatterElementsTargets(data: [Int], indices indicesTensor: Tensor, axis: Int) throws -> [Int] {
    let dims = indicesTensor.dims
    let indices = try indicesTensor.ints("indices")
    guard dims.count == data.count, zip(dims, data).enumerated().allSatisfy({ $0 == axis || $1.0 <= $1.1 }) else {
        throw KernelError("indices \(dims) do not fit data \(data) along axis \(axis)")
    }
    let n = data[axis]
    let strides = contiguousStrides(data), axisStride = contiguousStrides(dims)[axis]
    var targets = [Int](repeating: 0, count: indices.count)
    try forEachIndex(dims, [strides]) { i, off in
        let index = try normalizedIndex(indices[i], n)
        targets[i] = off[0] + (index - (i / axisStride) % dims[axis]) * strides[axis]
    }
    return targets
}

/// ScatterElementsUpdate (opset12): each update element combines, in order, into the data element at its own
/// position with the axis coordinate taken from indices. With use_init_val false a touched element starts
/// from its first update instead of the data; mean divides by the number of values combined.
private func scatterElementsUpdate(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(ScatterElementsUpdate.self)
    let (data, indicesTensor, updates) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2])
    guard updates.elementType == data.elementType, updates.dims == indicesTensor.dims else {
        throw KernelError("updates \(updates.elementType) \(updates.dims) do not match data \(data.elementType) and indices \(indicesTensor.dims)")
    }
    guard let axisValue = try ctx.inputs[3].ints("axis").first else { throw KernelError("axis input is empty") }
    let axis = try ShapeInference.axis(axisValue, rank: data.dims.count)
    let targets = try scatterElementsTargets(data: data.dims, indices: indicesTensor, axis: axis)
    if op.reduction == .none {
        let size = try data.elementSize("data")
        var out = data.bytes
        updates.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for (i, t) in targets.enumerated() { memcpy(dst.baseAddress! + t * size, src.baseAddress! + i * size, size) }
            }
        }
        return [Tensor(data.elementType, dims: data.dims, bytes: out)]
    }
    struct Reduce: NumberComputation {
        let updates: Tensor, targets: [Int], reduction: ScatterElementsUpdate.Reduction, useInitVal: Bool
        func run<T: KernelNumber>(_ data: [T]) throws -> [T] {
            let new = try T.read(updates, "updates")
            var out = data
            var counts = [Int](repeating: useInitVal ? 1 : 0, count: data.count)
            for (i, t) in targets.enumerated() {
                out[t] = combine(counts[t] == 0 ? nil : out[t], new[i], reduction)
                counts[t] += 1
            }
            if reduction == .mean {
                for t in Set(targets) { out[t] = out[t].divided(by: counts[t]) }
            }
            return out
        }
    }
    return [try withNumbers(data, dims: data.dims, Reduce(updates: updates, targets: targets, reduction: op.reduction, useInitVal: op.useInitVal))]
}

/// ScatterNDUpdate (opset15): each row of the indices' last axis (length k) addresses a slice of the data
/// (its first k axes), which the matching slice of updates overwrites or combines into, rows in order.
private func scatterNDUpdate(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(ScatterNDUpdate.self)
    let (data, indicesTensor, updates) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2])
    guard updates.elementType == data.elementType else { throw KernelError("updates are \(updates.elementType), data \(data.elementType)") }
    let indices = try indicesTensor.ints("indices")
    guard let k = indicesTensor.dims.last, k <= data.dims.count else {
        throw KernelError("indices \(indicesTensor.dims) do not address data \(data.dims)")
    }
    let expected = Array(indicesTensor.dims.dropLast()) + data.dims[k...]
    guard updates.dims == expected else { throw KernelError("updates \(updates.dims) do not have shape \(expected)") }
    let rows = indicesTensor.dims.dropLast().reduce(1, *)
    let slice = data.dims[k...].reduce(1, *)
    let strides = contiguousStrides(data.dims)
    // The first data element of each row's slice.
    let starts = try (0..<rows).map { r in
        try (0..<k).reduce(0) { acc, j in
            acc + (try normalizedIndex(indices[r * k + j], data.dims[j])) * strides[j]
        }
    }
    if op.reduction == .none {
        let size = try data.elementSize("data")
        var out = data.bytes
        updates.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for (r, start) in starts.enumerated() where slice > 0 {
                    memcpy(dst.baseAddress! + start * size, src.baseAddress! + r * slice * size, slice * size)
                }
            }
        }
        return [Tensor(data.elementType, dims: data.dims, bytes: out)]
    }
    struct Reduce: NumberComputation {
        let updates: Tensor, starts: [Int], slice: Int, reduction: ScatterNDUpdate.Reduction
        func run<T: KernelNumber>(_ data: [T]) throws -> [T] {
            let new = try T.read(updates, "updates")
            var out = data
            for (r, start) in starts.enumerated() {
                for e in 0..<slice {
                    let (old, u) = (out[start + e], new[r * slice + e])
                    switch reduction {
                    case .none: out[start + e] = u
                    case .sum: out[start + e] = T.plus(old, u)
                    case .sub: out[start + e] = T.minus(old, u)
                    case .prod: out[start + e] = T.times(old, u)
                    case .min: out[start + e] = min(old, u)
                    case .max: out[start + e] = max(old, u)
                    }
                }
            }
            return out
        }
    }
    return [try withNumbers(data, dims: data.dims, Reduce(updates: updates, starts: starts, slice: slice, reduction: op.reduction))]
}
