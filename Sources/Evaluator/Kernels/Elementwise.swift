import Foundation
import OVIR

// Binary element-wise ops with numpy broadcasting: arithmetic, comparisons, logical and bitwise ops; plus
// Convert and Select. Floats compute in Double (f64 exactly; f32/f16/bf16 round once to f32, identical to
// f32 arithmetic for + - * / and packed back by the evaluator); integers compute in Int128 and wrap to their
// width (`Tensor.integers()`).

let elementwiseKernels: [String: Kernel] = [
    // a + b, a - b, a * b
    Add.type: arithmetic(Add.self, { $0 + $1 }, f32: { try binaryF32($0, $1, dims: $2, F32Add.self) }, { $0 &+ $1 }),
    Subtract.type: arithmetic(Subtract.self, { $0 - $1 }, f32: { try binaryF32($0, $1, dims: $2, F32Subtract.self) }, { $0 &- $1 }),
    Multiply.type: arithmetic(Multiply.self, { $0 * $1 }, f32: { try binaryF32($0, $1, dims: $2, F32Multiply.self) }, { $0 &* $1 }),
    Divide.type: divide,
    Maximum.type: arithmetic(Maximum.self, { Swift.max($0, $1) }, { Swift.max($0, $1) }),
    Minimum.type: arithmetic(Minimum.self, { Swift.min($0, $1) }, { Swift.min($0, $1) }),
    // (a - b)²
    SquaredDifference.type: arithmetic(SquaredDifference.self, { ($0 - $1) * ($0 - $1) }, { ($0 &- $1) &* ($0 &- $1) }),
    Power.type: arithmetic(Power.self, { Foundation.pow($0, $1) }, integerPower),
    // Remainders: Mod takes the dividend's sign (C fmod, truncated division), FloorMod the divisor's (Python %).
    Mod.type: arithmetic(Mod.self, { fmod($0, $1) }, { a, b in
        guard b != 0 else { throw KernelError("integer Mod by zero") }
        return a % b
    }),
    FloorMod.type: arithmetic(FloorMod.self, { a, b in
        let r = fmod(a, b)
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }, { a, b in
        guard b != 0 else { throw KernelError("integer FloorMod by zero") }
        let r = a % b
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }),

    Equal.type: comparison(Equal.self, ==, ==),
    NotEqual.type: comparison(NotEqual.self, !=, !=),
    Greater.type: comparison(Greater.self, >, >),
    GreaterEqual.type: comparison(GreaterEqual.self, >=, >=),
    Less.type: comparison(Less.self, <, <),
    LessEqual.type: comparison(LessEqual.self, <=, <=),
    LogicalAnd.type: logical(LogicalAnd.self, { $0 && $1 }),
    LogicalOr.type: logical(LogicalOr.self, { $0 || $1 }),
    LogicalXor.type: logical(LogicalXor.self, { $0 != $1 }),
    LogicalNot.type: { ctx in
        let x = ctx.inputs[0]
        guard x.elementType == .boolean else { throw x.unsupported("input", "boolean") }
        return [Tensor(.boolean, dims: x.dims, values: x.elements(UInt8.self).map { $0 == 0 ? UInt8(1) : 0 })]
    },

    // Bitwise ops on integers and booleans (on booleans they are the logical ops).
    BitwiseAnd.type: bitwise(BitwiseAnd.self, allowsBoolean: true, { $0 & $1 }),
    BitwiseOr.type: bitwise(BitwiseOr.self, allowsBoolean: true, { $0 | $1 }),
    BitwiseXor.type: bitwise(BitwiseXor.self, allowsBoolean: true, { $0 ^ $1 }),
    BitwiseNot.type: { ctx in
        let x = ctx.inputs[0]
        // ~ on the 0/1 of a boolean would set every other bit too.
        let f: (Int128) -> Int128 = x.elementType == .boolean ? { 1 - $0 } : { ~$0 }
        return [Tensor(x.elementType, dims: x.dims, wrapping: try x.integers().map(f))]
    },
    // Bits shifted past the width are dropped when the result wraps; a signed right shift keeps the sign
    // (the value is sign-extended in Int128) and an unsigned one shifts in zeros.
    BitwiseLeftShift.type: bitwise(BitwiseLeftShift.self, allowsBoolean: false, { $0 << $1 }),
    BitwiseRightShift.type: bitwise(BitwiseRightShift.self, allowsBoolean: false, { $0 >> $1 }),

    Convert.type: { ctx in [try convertElements(ctx.inputs[0], to: try ctx.op(Convert.self).destinationType)] },
    ConvertLike.type: { ctx in [try convertElements(ctx.inputs[0], to: ctx.inputs[1].elementType)] },
    Select.type: select,
]

// MARK: - Broadcast

/// Applies `f` to `a` and `b` broadcast to a common shape as `mode` says (the node's output dims, from
/// its type inference); returns values and dims.
func broadcastBinary<T, R>(_ a: [T], _ ad: [Int], _ b: [T], _ bd: [Int], mode: AutoBroadcast, in ctx: KernelContext,
                           _ f: (T, T) throws -> R) throws -> ([R], [Int]) {
    try broadcastBinary(a, ad, b, bd, mode: mode, numpyDims: { try ctx.outputDims0() }, f)
}

/// `broadcastBinary` without a node: the numpy dims come from OVIR's shape broadcast.
func broadcastBinary<T, R>(_ a: [T], _ ad: [Int], _ b: [T], _ bd: [Int], mode: AutoBroadcast,
                           _ f: (T, T) throws -> R) throws -> ([R], [Int]) {
    try broadcastBinary(a, ad, b, bd, mode: mode, numpyDims: {
        guard let dims = try ShapeInference.broadcast(.fixed(ad), .fixed(bd)).staticDims else {
            throw KernelError("shapes \(ad) and \(bd) do not broadcast")
        }
        return dims
    }, f)
}

private func broadcastBinary<T, R>(_ a: [T], _ ad: [Int], _ b: [T], _ bd: [Int], mode: AutoBroadcast,
                                   numpyDims: () throws -> [Int], _ f: (T, T) throws -> R) throws -> ([R], [Int]) {
    let dims: [Int]
    switch mode {
    case .none:
        guard ad == bd else { throw KernelError("shapes \(ad) and \(bd) differ and auto_broadcast is none") }
        dims = ad
    case .numpy:
        dims = try numpyDims()
    case .pdpd:
        throw KernelError("auto_broadcast pdpd is not evaluated yet")
    }
    let total = dims.reduce(1, *)
    // Fast paths: same shape, or one side a single value.
    if ad == dims && bd == dims { return (try zip(a, b).map(f), dims) }
    if bd.reduce(1, *) == 1, ad == dims { let y = b[0]; return (try a.map { try f($0, y) }, dims) }
    if ad.reduce(1, *) == 1, bd == dims { let x = a[0]; return (try b.map { try f(x, $0) }, dims) }
    let sa = try broadcastStrides(ad, to: dims), sb = try broadcastStrides(bd, to: dims)
    var out: [R] = []
    out.reserveCapacity(total)
    try forEachIndex(dims, [sa, sb]) { _, off in out.append(try f(a[off[0]], b[off[1]])) }
    return (out, dims)
}

/// `f` on the broadcast float elements of `a` and `b`: f64 in Double, the other widths read as f32,
/// computed in Double and rounded to f32 once.
func floatBinary<R>(_ a: Tensor, _ b: Tensor, mode: AutoBroadcast, in ctx: KernelContext,
                    _ f: (Double, Double) throws -> R) throws -> ([R], [Int]) {
    if a.elementType == .f64 {
        return try broadcastBinary(a.elements(Double.self), a.dims, try b.doubles(), b.dims, mode: mode, in: ctx, f)
    }
    return try broadcastBinary(try a.floats(), a.dims, try b.floats(), b.dims, mode: mode, in: ctx) { try f(Double($0), Double($1)) }
}

private func checkSameType(_ a: Tensor, _ b: Tensor) throws {
    guard a.elementType == b.elementType else {
        throw KernelError("inputs have different element types \(a.elementType) and \(b.elementType)")
    }
}

// MARK: - Arithmetic

/// An f32 fast path of a binary op: both inputs and the output dims in, the result out.
private typealias F32Binary = (Tensor, Tensor, [Int]) throws -> Tensor

/// An arithmetic op: `float` on float inputs (in Double), `int` on integer inputs (in Int128, wrapped).
/// `f32`, when given, computes f32 inputs broadcast to the output dims directly (the hot path: `binaryF32`
/// with a function equal to `float` rounded to f32).
private func arithmetic<O: BinaryElementwiseOp>(_: O.Type, _ float: @escaping (Double, Double) throws -> Double,
                                                f32: F32Binary? = nil,
                                                _ int: @escaping (Int128, Int128) throws -> Int128) -> Kernel {
    { ctx in
        let mode = try ctx.op(O.self).autoBroadcast
        return [try arithmetic(ctx.inputs[0], ctx.inputs[1], mode: mode, in: ctx, float, f32: f32, int)]
    }
}

private func arithmetic(_ a: Tensor, _ b: Tensor, mode: AutoBroadcast, in ctx: KernelContext,
                        _ float: (Double, Double) throws -> Double, f32: F32Binary? = nil,
                        _ int: (Int128, Int128) throws -> Int128) throws -> Tensor {
    try checkSameType(a, b)
    if a.elementType.isFloatingPoint {
        if a.elementType == .f64 {
            let (v, d) = try floatBinary(a, b, mode: mode, in: ctx, float)
            return Tensor(.f64, dims: d, values: v)
        }
        if a.elementType == .f32, let f32, mode != .pdpd {
            let dims = try ctx.outputDims0()
            if mode == .none, a.dims != b.dims { throw KernelError("shapes \(a.dims) and \(b.dims) differ and auto_broadcast is none") }
            return try f32(a, b, dims)
        }
        let (v, d) = try floatBinary(a, b, mode: mode, in: ctx) { Float(try float($0, $1)) }
        return Tensor(.f32, dims: d, values: v)
    }
    guard a.elementType != .boolean else { throw a.unsupported("input", "numeric types") }
    let (v, d) = try broadcastBinary(try a.integers(), a.dims, try b.integers(), b.dims, mode: mode, in: ctx, int)
    return Tensor(a.elementType, dims: d, wrapping: v)
}

/// a / b: integer division floors with `m_pythondiv` and truncates without; dividing an integer by 0 fails.
private func divide(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Divide.self)
    let python = op.pythonDivision
    return [try arithmetic(ctx.inputs[0], ctx.inputs[1], mode: op.autoBroadcast, in: ctx, { $0 / $1 },
                           f32: { try binaryF32($0, $1, dims: $2, F32Divide.self) }) { a, b in
        guard b != 0 else { throw KernelError("integer division by zero") }
        let q = a / b  // truncates toward zero
        return python && (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
    }]
}

/// aᵇ on integers by squaring (wrapping). A negative exponent gives what C's pow truncated to an integer
/// gives: 1 for a = 1, ±1 for a = -1, 0 otherwise; 0 to a negative power fails.
private func integerPower(_ a: Int128, _ b: Int128) throws -> Int128 {
    if b < 0 {
        switch a {
        case 1: return 1
        case -1: return b % 2 == 0 ? 1 : -1
        case 0: throw KernelError("integer Power of 0 with a negative exponent \(b)")
        default: return 0
        }
    }
    var (result, base, e): (Int128, Int128, Int128) = (1, a, b)
    while e > 0 {
        if e & 1 == 1 { result = result &* base }
        base = base &* base
        e >>= 1
    }
    return result
}

// MARK: - Comparison, logical, bitwise

/// A comparison of numeric or boolean inputs, giving booleans: floats compare as Double, integers as
/// Int128 (so i64 and u64 neighbours above 2⁵³ stay apart).
private func comparison<O: BinaryElementwiseOp>(_: O.Type, _ float: @escaping (Double, Double) -> Bool,
                                                _ int: @escaping (Int128, Int128) -> Bool) -> Kernel {
    { ctx in
        let (a, b) = (ctx.inputs[0], ctx.inputs[1])
        let mode = try ctx.op(O.self).autoBroadcast
        try checkSameType(a, b)
        let (v, d): ([UInt8], [Int])
        if a.elementType.isFloatingPoint {
            (v, d) = try floatBinary(a, b, mode: mode, in: ctx) { float($0, $1) ? 1 : 0 }
        } else {
            (v, d) = try broadcastBinary(try a.integers(), a.dims, try b.integers(), b.dims, mode: mode, in: ctx) { int($0, $1) ? 1 : 0 }
        }
        return [Tensor(.boolean, dims: d, values: v)]
    }
}

private func logical<O: BinaryElementwiseOp>(_: O.Type, _ f: @escaping (Bool, Bool) -> Bool) -> Kernel {
    { ctx in
        let (a, b) = (ctx.inputs[0], ctx.inputs[1])
        guard a.elementType == .boolean, b.elementType == .boolean else { throw a.unsupported("input", "boolean") }
        let (v, d) = try broadcastBinary(a.elements(UInt8.self), a.dims, b.elements(UInt8.self), b.dims,
                                         mode: try ctx.op(O.self).autoBroadcast, in: ctx) { f($0 != 0, $1 != 0) ? UInt8(1) : 0 }
        return [Tensor(.boolean, dims: d, values: v)]
    }
}

/// A bitwise op on integers (and booleans when `allowsBoolean`), in Int128 and wrapped to the width.
private func bitwise<O: BinaryElementwiseOp>(_: O.Type, allowsBoolean: Bool, _ f: @escaping (Int128, Int128) -> Int128) -> Kernel {
    { ctx in
        let (a, b) = (ctx.inputs[0], ctx.inputs[1])
        try checkSameType(a, b)
        guard a.elementType.isIntegral, allowsBoolean || a.elementType != .boolean else {
            throw a.unsupported("input", allowsBoolean ? "integer types and boolean" : "integer types")
        }
        let (v, d) = try broadcastBinary(try a.integers(), a.dims, try b.integers(), b.dims,
                                         mode: try ctx.op(O.self).autoBroadcast, in: ctx, f)
        return [Tensor(a.elementType, dims: d, wrapping: v)]
    }
}

// MARK: - Convert

/// Converts the elements to `type`. Float to integer truncates toward zero, saturating at the type's
/// bounds (NaN gives 0) except for the sub-byte types, which wrap; integer to narrower integer wraps, as a C++ static_cast does; to boolean is `!= 0`;
/// to a float type rounds to nearest even.
func convertElements(_ x: Tensor, to type: ElementType) throws -> Tensor {
    let floatTypes: [ElementType] = [.f64, .f32, .f16, .bf16, .f8e4m3, .f8e5m2, .f4e2m1]
    guard type.isIntegral || floatTypes.contains(type) else {
        throw KernelError("conversion to \(type) is not evaluated; supported: f64, f32, f16, bf16, f8e4m3, f8e5m2, f4e2m1, "
            + "i64, i32, i16, i8, i4, u64, u32, u16, u8, u4, u2, boolean")
    }
    guard x.elementType.isIntegral else {
        let v = try x.doubles()
        switch type {
        case .boolean: return Tensor(.boolean, dims: x.dims, values: v.map { $0 != 0 ? UInt8(1) : 0 })
        case .f64: return Tensor(.f64, dims: x.dims, values: v)
        // Straight from Double, so f16 is rounded once.
        case .f16: return Tensor(.f16, dims: x.dims, values: v.map { Float16($0) })
        case .f32, .bf16, .f8e4m3, .f8e5m2, .f4e2m1: return Tensor(type, dims: x.dims, floats: v.map { Float($0) })
        case .i4, .u4, .u2:
            // Sub-byte types keep the low bits of the truncated value, as ONNX's Cast and OpenVINO's CPU
            // plugin compute them (-9 -> 7 in i4; measured against the ONNX cast cases).
            return Tensor(type, dims: x.dims, wrapping: try v.map { d in d.isNaN ? 0 : try int128(clamping: d.rounded(.towardZero)) })
        default:
            // Saturate in Int128 (the bounds of i64 and u64 are not Doubles): out-of-range floats have no
            // integer to wrap.
            let range = type.integerRange
            return Tensor(type, dims: x.dims, wrapping: try v.map { d -> Int128 in
                d.isNaN ? 0 : Swift.min(Swift.max(try int128(clamping: d.rounded(.towardZero)), range.lowerBound), range.upperBound)
            })
        }
    }
    // 8- to 32-bit integers to f32 straight from their elements (an INT8 model's i8 weights are converted on every
    // evaluation; through Int128 that took seconds), rounding as the Int128 path does.
    if type == .f32 {
        switch x.elementType {
        case .i8: return Tensor(.f32, dims: x.dims, values: x.elements(Int8.self).map { Float($0) })
        case .u8: return Tensor(.f32, dims: x.dims, values: x.elements(UInt8.self).map { Float($0) })
        case .i16: return Tensor(.f32, dims: x.dims, values: x.elements(Int16.self).map { Float($0) })
        case .u16: return Tensor(.f32, dims: x.dims, values: x.elements(UInt16.self).map { Float($0) })
        case .i32: return Tensor(.f32, dims: x.dims, values: x.elements(Int32.self).map { Float($0) })
        default: break
        }
    }
    let v = try x.integers()
    switch type {
    case .f64: return Tensor(.f64, dims: x.dims, values: v.map { Double($0) })
    case .f32: return Tensor(.f32, dims: x.dims, values: v.map { Float($0) })
    case .f16: return Tensor(.f16, dims: x.dims, values: v.map { Float16($0) })
    case .bf16, .f8e4m3, .f8e5m2, .f4e2m1: return Tensor(type, dims: x.dims, floats: v.map { Float($0) })
    default: return Tensor(type, dims: x.dims, wrapping: v)
    }
}

// MARK: - Select

/// cond ? then : else, element by element after broadcasting all three (numpy or none); works on bytes.
private func select(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Select.self)
    let (cond, a, b) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2])
    guard cond.elementType == .boolean else { throw cond.unsupported("condition", "boolean") }
    try checkSameType(a, b)
    guard op.autoBroadcast != .pdpd else { throw KernelError("auto_broadcast pdpd is not evaluated yet") }
    if op.autoBroadcast == .none, !(cond.dims == a.dims && a.dims == b.dims) {
        throw KernelError("shapes \(cond.dims), \(a.dims) and \(b.dims) differ and auto_broadcast is none")
    }
    let size = try a.elementSize("then")
    let dims = try ctx.outputDims0()
    let strides = try [cond.dims, a.dims, b.dims].map { try broadcastStrides($0, to: dims) }
    let c = cond.elements(UInt8.self)
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    a.withUnsafeBytes { pa in
        b.withUnsafeBytes { pb in
            out.withUnsafeMutableBytes { dst in
                forEachIndex(dims, strides) { i, off in
                    let src = c[off[0]] != 0 ? pa.baseAddress! + off[1] * size : pb.baseAddress! + off[2] * size
                    memcpy(dst.baseAddress! + i * size, src, size)
                }
            }
        }
    }
    return [Tensor(a.elementType, dims: dims, bytes: out)]
}
