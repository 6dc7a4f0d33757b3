import Foundation
import OVIR

// Typed views of tensors for the kernels. Tensor bytes are little-endian, as on every host Swift
// targets here (x86-64, arm64), so elements are copied with memcpy rather than decoded one by one.

extension Tensor {
    /// The elements as `T` (a memcpy; mapped storage may be unaligned, so it is never bound in place).
    func elements<T>(_: T.Type) -> [T] {
        let n = elementCount
        return withUnsafeBytes { raw in
            [T](unsafeUninitializedCapacity: n) { buffer, count in
                if n > 0 { memcpy(buffer.baseAddress!, raw.baseAddress!, n * MemoryLayout<T>.stride) }
                count = n
            }
        }
    }

    /// The elements of a float tensor (f32, f16, bf16 or f64) as f32.
    ///
    /// This is half of how every float kernel serves every float width: kernels read `floats()`, compute
    /// in f32 and return f32, and the evaluator packs each f32 output in the element type the node
    /// declares for it (`packed(as:)`). f64 therefore computes in f32 in those kernels; the kernels where
    /// Double costs little (element-wise math, reductions, Einsum) read `doubles()` instead and return f64
    /// themselves, so their f64 is exact.
    func floats(_ what: String = "input") throws -> [Float] {
        switch elementType {
        case .f32: return elements(Float.self)
        case .f16: return elements(Float16.self).map(Float.init)
        case .bf16: return elements(UInt16.self).map(Float.init(bf16Bits:))
        case .f64: return elements(Double.self).map(Float.init)
        case .f8e4m3, .f8e5m2: return elements(UInt8.self).map(MiniFloat(elementType)!.decode)
        case .f4e2m1: return nibbles().map(MiniFloat.f4e2m1.decode)
        default: throw unsupported(what, "f32, f16, bf16, f64, f8e4m3, f8e5m2 and f4e2m1")
        }
    }

    /// The elements of a float tensor as Double (exact for every float width).
    func doubles(_ what: String = "input") throws -> [Double] {
        elementType == .f64 ? elements(Double.self) : try floats(what).map(Double.init)
    }

    /// A float tensor of `type` (f32, f16, bf16, f64, f8e4m3, f8e5m2 or f4e2m1) holding `values`, each
    /// rounded to nearest even.
    init(_ type: ElementType, dims: [Int], floats values: [Float]) {
        switch type {
        case .f16: self.init(.f16, dims: dims, values: values.map(Float16.init))
        case .bf16: self.init(.bf16, dims: dims, values: values.map(\.bf16Bits))
        case .f64: self.init(.f64, dims: dims, values: values.map(Double.init))
        case .f8e4m3, .f8e5m2: self.init(type, dims: dims, values: values.map(MiniFloat(type)!.encode))
        case .f4e2m1: self.init(.f4e2m1, dims: dims, bytes: packNibbles(values.map(MiniFloat.f4e2m1.encode)))
        default:
            precondition(type == .f32, "\(type) is not a float type")
            self.init(.f32, dims: dims, values: values)
        }
    }

    /// A float kernel's result for inputs of `type`: f64 as computed, the other widths rounded to f32 (which
    /// the evaluator packs in the node's type).
    static func floatResult(_ values: [Double], dims: [Int], of type: ElementType) -> Tensor {
        type == .f64 ? Tensor(.f64, dims: dims, values: values) : Tensor(.f32, dims: dims, values: values.map(Float.init))
    }

    /// A kernel's output in the element type the node declares: an f32 value becomes f16, bf16, f64 or a
    /// small float type when the node says so (the other half of `floats()`); any other value is returned
    /// as it is.
    func packed(as type: ElementType) -> Tensor {
        guard elementType == .f32, [.f16, .bf16, .f64, .f8e4m3, .f8e5m2, .f4e2m1].contains(type) else { return self }
        return Tensor(type, dims: dims, floats: elements(Float.self))
    }

    /// Integer elements (i32, i64, u8, ... and boolean) as Int, for shape-like inputs.
    func ints(_ what: String = "input") throws -> [Int] {
        guard let values = intValues(), !elementType.isFloatingPoint else { throw unsupported(what, "an integer type") }
        return values
    }

    func unsupported(_ what: String, _ supported: String) -> KernelError {
        KernelError("\(what) has element type \(elementType), the reference kernel supports \(supported) only")
    }

    /// Bytes per element, for the type-agnostic data movement kernels.
    func elementSize(_ what: String = "input") throws -> Int {
        guard elementType != .string, elementType.bitWidth % 8 == 0, elementType.bitWidth > 0 else {
            throw KernelError("\(what) has element type \(elementType), which is not byte-addressable")
        }
        return elementType.bitWidth / 8
    }
}

extension Float {
    /// The bf16 value with these bits: the top half of an f32.
    init(bf16Bits bits: UInt16) { self.init(bitPattern: UInt32(bits) << 16) }

    /// The bits of the nearest bf16 (ties to even); NaN stays a quiet NaN.
    var bf16Bits: UInt16 {
        let bits = bitPattern
        if isNaN { return UInt16(bits >> 16) | 0x40 }
        // Adding 0x7FFF plus the kept half's lowest bit rounds to nearest, ties to even; a carry out of the
        // mantissa bumps the exponent, which is the correct rounding up to the next binade or to infinity.
        return UInt16((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16)
    }
}

/// Row-major strides of `dims`.
func contiguousStrides(_ dims: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: dims.count)
    var s = 1
    for i in stride(from: dims.count - 1, through: 0, by: -1) {
        strides[i] = s
        s *= dims[i]
    }
    return strides
}

/// Strides that read `dims` (right-aligned, numpy style) as if broadcast to `target`: a broadcast axis
/// gets stride 0. Throws when a dim is neither 1 nor the target's.
func broadcastStrides(_ dims: [Int], to target: [Int]) throws -> [Int] {
    guard dims.count <= target.count else { throw KernelError("cannot broadcast \(dims) to \(target)") }
    let own = contiguousStrides(dims)
    let offset = target.count - dims.count
    return try (0..<target.count).map { i in
        guard i >= offset else { return 0 }
        let d = dims[i - offset]
        if d == target[i] { return d == 1 ? 0 : own[i - offset] }
        guard d == 1 else { throw KernelError("cannot broadcast \(dims) to \(target)") }
        return 0
    }
}

/// Steps `index` to the next position of `dims` in row-major order (the last axis fastest), back to all zeros
/// after the last one.
@inline(__always)
func advance(_ index: inout [Int], within dims: [Int]) {
    var axis = dims.count - 1
    while axis >= 0 {
        index[axis] += 1
        if index[axis] < dims[axis] { return }
        index[axis] = 0
        axis -= 1
    }
}

/// Calls `body(outputIndex, offsets)` for every element of `dims` in row-major order, with one running
/// offset per stride list (an odometer: no division per element).
func forEachIndex(_ dims: [Int], _ strides: [[Int]], _ body: (Int, [Int]) throws -> Void) rethrows {
    let total = dims.reduce(1, *)
    guard total > 0 else { return }
    let rank = dims.count
    var index = Array(repeating: 0, count: rank)
    var offsets = Array(repeating: 0, count: strides.count)
    for linear in 0..<total {
        try body(linear, offsets)
        var axis = rank - 1
        while axis >= 0 {
            index[axis] += 1
            for k in 0..<strides.count { offsets[k] += strides[k][axis] }
            if index[axis] < dims[axis] { break }
            for k in 0..<strides.count { offsets[k] -= strides[k][axis] * dims[axis] }
            index[axis] = 0
            axis -= 1
        }
    }
}

/// Copies the elements of `source` (of `size` bytes each) read through `strides` into a contiguous tensor of
/// `dims`: the one loop behind Transpose, Broadcast and friends.
func gather(_ source: Tensor, size: Int, dims: [Int], strides: [Int]) -> Tensor {
    let total = dims.reduce(1, *)
    var out = [UInt8](repeating: 0, count: total * size)
    source.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            forEachIndex(dims, [strides]) { i, off in
                memcpy(dst.baseAddress! + i * size, src.baseAddress! + off[0] * size, size)
            }
        }
    }
    return Tensor(source.elementType, dims: dims, bytes: out)
}
