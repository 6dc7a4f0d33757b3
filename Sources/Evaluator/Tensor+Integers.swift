import OVIR

// Integer views of tensors for the element-wise and reduction kernels. Every integer width (i4 to u64)
// fits in Int128, so one integer path serves i8 … u64 and boolean: kernels compute in Int128 (wrapping)
// and the result keeps the low bits of the declared width, as C's integer conversions do.

extension Tensor {
    /// Integer or boolean elements widened to Int128 (booleans as 0 and 1).
    func integers(_ what: String = "input") throws -> [Int128] {
        switch elementType {
        case .i64: return elements(Int64.self).map { Int128($0) }
        case .i32: return elements(Int32.self).map { Int128($0) }
        case .i16: return elements(Int16.self).map { Int128($0) }
        case .i8: return elements(Int8.self).map { Int128($0) }
        case .u64: return elements(UInt64.self).map { Int128($0) }
        case .u32: return elements(UInt32.self).map { Int128($0) }
        case .u16: return elements(UInt16.self).map { Int128($0) }
        case .u8: return elements(UInt8.self).map { Int128($0) }
        case .boolean: return elements(UInt8.self).map { $0 == 0 ? 0 : 1 }
        // i4 sign-extends its nibble: 8...15 are -8...-1.
        case .i4: return nibbles().map { Int128($0) - ($0 >= 8 ? 16 : 0) }
        case .u4: return nibbles().map { Int128($0) }
        case .u2: return bitFields(2).map { Int128($0) }
        default: throw unsupported(what, "i64, i32, i16, i8, i4, u64, u32, u16, u8, u4, u2 and boolean")
        }
    }

    /// A tensor of the integer `type` holding the low bits of `values`; for boolean, `value != 0`.
    init(_ type: ElementType, dims: [Int], wrapping values: [Int128]) {
        switch type {
        case .i64: self.init(type, dims: dims, values: values.map { Int64(truncatingIfNeeded: $0) })
        case .i32: self.init(type, dims: dims, values: values.map { Int32(truncatingIfNeeded: $0) })
        case .i16: self.init(type, dims: dims, values: values.map { Int16(truncatingIfNeeded: $0) })
        case .i8: self.init(type, dims: dims, values: values.map { Int8(truncatingIfNeeded: $0) })
        case .u64: self.init(type, dims: dims, values: values.map { UInt64(truncatingIfNeeded: $0) })
        case .u32: self.init(type, dims: dims, values: values.map { UInt32(truncatingIfNeeded: $0) })
        case .u16: self.init(type, dims: dims, values: values.map { UInt16(truncatingIfNeeded: $0) })
        case .u8: self.init(type, dims: dims, values: values.map { UInt8(truncatingIfNeeded: $0) })
        case .boolean: self.init(type, dims: dims, values: values.map { $0 != 0 ? UInt8(1) : 0 })
        case .i4, .u4: self.init(type, dims: dims, bytes: packNibbles(values.map { UInt8(truncatingIfNeeded: $0) }))
        case .u2: self.init(type, dims: dims, bytes: packBitFields(values.map { UInt8(truncatingIfNeeded: $0) }, bits: 2))
        default: preconditionFailure("\(type) is not an integer type the kernels write")
        }
    }
}

extension ElementType {
    /// The integer types and boolean: what `Tensor.integers()` reads.
    var isIntegral: Bool {
        switch self {
        case .i64, .i32, .i16, .i8, .i4, .u64, .u32, .u16, .u8, .u4, .u2, .boolean: return true
        default: return false
        }
    }

    /// The values an integer type (or boolean, as 0...1) holds.
    var integerRange: ClosedRange<Int128> {
        precondition(isIntegral, "\(self) is not an integer type the kernels read")
        if self == .boolean { return 0...1 }
        return isSigned ? -(1 << (bitWidth - 1))...((1 << (bitWidth - 1)) - 1) : 0...((1 << bitWidth) - 1)
    }
}

/// The Int128 nearest to `value` (±∞ and values beyond Int128 give its bounds); NaN is an error.
func int128(clamping value: Double) throws -> Int128 {
    guard !value.isNaN else { throw KernelError("NaN has no integer value") }
    // 2¹²⁷ is exactly representable; anything at or beyond it is out of range.
    if value >= 0x1p127 { return .max }
    if value < -0x1p127 { return .min }
    return Int128(value)
}
