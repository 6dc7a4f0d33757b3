import Foundation
import OVIR

// Element-wise ops: numpy-broadcast binary arithmetic and comparisons, unary math and activations.
// Floats compute in f32; integer arithmetic runs on i32/i64 (widened to Int64, wrapped back).

let elementwiseKernels: [String: Kernel] = [
    // a + b, a - b, a * b
    Add.type: arithmetic(Add.self, { $0 + $1 }, { $0 &+ $1 }),
    Subtract.type: arithmetic(Subtract.self, { $0 - $1 }, { $0 &- $1 }),
    Multiply.type: arithmetic(Multiply.self, { $0 * $1 }, { $0 &* $1 }),
    Divide.type: divide,
    Maximum.type: arithmetic(Maximum.self, { Swift.max($0, $1) }, { Swift.max($0, $1) }),
    Minimum.type: arithmetic(Minimum.self, { Swift.min($0, $1) }, { Swift.min($0, $1) }),
    // (a - b)²
    SquaredDifference.type: arithmetic(SquaredDifference.self, { ($0 - $1) * ($0 - $1) }, { ($0 &- $1) &* ($0 &- $1) }),
    Power.type: arithmetic(Power.self, { powf($0, $1) }, { a, b in
        guard b >= 0 else { throw KernelError("integer Power with a negative exponent \(b)") }
        return Int64(truncatingIfNeeded: (0..<b).reduce(Int64(1)) { acc, _ in acc &* a })
    }),

    Equal.type: comparison(Equal.self, ==),
    NotEqual.type: comparison(NotEqual.self, !=),
    Greater.type: comparison(Greater.self, >),
    GreaterEqual.type: comparison(GreaterEqual.self, >=),
    Less.type: comparison(Less.self, <),
    LessEqual.type: comparison(LessEqual.self, <=),
    LogicalAnd.type: logical(LogicalAnd.self, { $0 && $1 }),
    LogicalOr.type: logical(LogicalOr.self, { $0 || $1 }),
    LogicalXor.type: logical(LogicalXor.self, { $0 != $1 }),
    LogicalNot.type: { ctx in
        let x = ctx.inputs[0]
        guard x.elementType == .boolean else { throw x.unsupported("input", "boolean") }
        return [Tensor(.boolean, dims: x.dims, values: x.elements(UInt8.self).map { $0 == 0 ? UInt8(1) : 0 })]
    },

    Relu.type: unary { Swift.max($0, 0) },
    Sigmoid.type: unary { 1 / (1 + expf(-$0)) },
    Tanh.type: unary { tanhf($0) },
    Exp.type: unary { expf($0) },
    Log.type: unary { logf($0) },
    Sqrt.type: unary { sqrtf($0) },
    Abs.type: unary { Swift.abs($0) },
    Negative.type: unary { -$0 },
    Floor.type: unary { floorf($0) },
    Ceiling.type: unary { ceilf($0) },
    Erf.type: unary { erff($0) },
    // min(max(x + 3, 0), 6) / 6 and x times it
    HSigmoid.type: unary { Swift.min(Swift.max($0 + 3, 0), 6) / 6 },
    HSwish.type: unary { $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 },
    // log(1 + eˣ), written to stay finite for large x
    SoftPlus.type: unary { $0 > 20 ? $0 : log1pf(expf($0)) },
    // x · tanh(softplus(x))
    Mish.type: unary { $0 * tanhf($0 > 20 ? $0 : log1pf(expf($0))) },
    Clamp.type: { ctx in
        let op = try ctx.op(Clamp.self)
        let (lo, hi) = (Float(op.min), Float(op.max))
        return try mapFloats(ctx) { Swift.min(Swift.max($0, lo), hi) }
    },
    Elu.type: { ctx in
        let alpha = Float(try ctx.op(Elu.self).alpha)
        return try mapFloats(ctx) { $0 > 0 ? $0 : alpha * (expf($0) - 1) }
    },
    // x · sigmoid(beta · x), beta an optional scalar input
    Swish.type: { ctx in
        let beta = ctx.inputs.count > 1 ? try ctx.inputs[1].floats("beta").first ?? 1 : 1
        return try mapFloats(ctx) { $0 / (1 + expf(-beta * $0)) }
    },

    Convert.type: { ctx in [try convert(ctx.inputs[0], to: try ctx.op(Convert.self).destinationType)] },
    ConvertLike.type: { ctx in [try convert(ctx.inputs[0], to: ctx.inputs[1].elementType)] },
    Select.type: select,
]

// MARK: - Unary

private func unary(_ f: @escaping (Float) -> Float) -> Kernel {
    { ctx in try mapFloats(ctx, f) }
}

private func mapFloats(_ ctx: KernelContext, _ f: (Float) -> Float) throws -> [Tensor] {
    let x = ctx.inputs[0]
    return [Tensor(.f32, dims: x.dims, values: try x.floats().map(f))]
}

// MARK: - Binary

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

private func checkSameType(_ a: Tensor, _ b: Tensor) throws {
    guard a.elementType == b.elementType else {
        throw KernelError("inputs have different element types \(a.elementType) and \(b.elementType)")
    }
}

/// An arithmetic op on f32, or on i32/i64 through Int64.
private func arithmetic<O: BinaryElementwiseOp>(_: O.Type, _ float: @escaping (Float, Float) -> Float,
                                                _ int: @escaping (Int64, Int64) throws -> Int64) -> Kernel {
    { ctx in
        let mode = try ctx.op(O.self).autoBroadcast
        return [try arithmetic(ctx.inputs[0], ctx.inputs[1], mode: mode, in: ctx, float, int)]
    }
}

private func arithmetic(_ a: Tensor, _ b: Tensor, mode: AutoBroadcast, in ctx: KernelContext, _ float: (Float, Float) -> Float,
                        _ int: (Int64, Int64) throws -> Int64) throws -> Tensor {
    try checkSameType(a, b)
    switch a.elementType {
    case .f32:
        let (v, d) = try broadcastBinary(a.elements(Float.self), a.dims, b.elements(Float.self), b.dims, mode: mode, in: ctx, float)
        return Tensor(.f32, dims: d, values: v)
    case .i64:
        let (v, d) = try broadcastBinary(a.elements(Int64.self), a.dims, b.elements(Int64.self), b.dims, mode: mode, in: ctx, int)
        return Tensor(.i64, dims: d, values: v)
    case .i32:
        let (v, d) = try broadcastBinary(a.elements(Int32.self), a.dims, b.elements(Int32.self), b.dims, mode: mode, in: ctx) {
            Int32(truncatingIfNeeded: try int(Int64($0), Int64($1)))
        }
        return Tensor(.i32, dims: d, values: v)
    default:
        throw a.unsupported("input", "f32, i32 and i64")
    }
}

/// a / b: integer division floors with `m_pythondiv` and truncates without; dividing an integer by 0 fails.
private func divide(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Divide.self)
    let python = op.pythonDivision
    return [try arithmetic(ctx.inputs[0], ctx.inputs[1], mode: op.autoBroadcast, in: ctx, { $0 / $1 }) { a, b in
        guard b != 0 else { throw KernelError("integer division by zero") }
        let q = a / b  // truncates toward zero
        return python && (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
    }]
}

/// A comparison of f32, i32, i64 or boolean inputs, giving booleans.
private func comparison<O: BinaryElementwiseOp>(_: O.Type, _ cmp: @escaping (Double, Double) -> Bool) -> Kernel {
    { ctx in
        let (a, b) = (ctx.inputs[0], ctx.inputs[1])
        let mode = try ctx.op(O.self).autoBroadcast
        try checkSameType(a, b)
        let (v, d): ([UInt8], [Int])
        switch a.elementType {
        case .f32:
            (v, d) = try broadcastBinary(a.elements(Float.self), a.dims, b.elements(Float.self), b.dims, mode: mode, in: ctx) { cmp(Double($0), Double($1)) ? 1 : 0 }
        case .i64:
            // Compared as integers: Double would merge neighbours above 2⁵³.
            (v, d) = try broadcastBinary(a.elements(Int64.self), a.dims, b.elements(Int64.self), b.dims, mode: mode, in: ctx) {
                cmp(Double(($0 > $1) ? 1 : ($0 < $1 ? -1 : 0)), 0) ? 1 : 0
            }
        case .i32:
            (v, d) = try broadcastBinary(a.elements(Int32.self), a.dims, b.elements(Int32.self), b.dims, mode: mode, in: ctx) { cmp(Double($0), Double($1)) ? 1 : 0 }
        case .boolean:
            (v, d) = try broadcastBinary(a.elements(UInt8.self), a.dims, b.elements(UInt8.self), b.dims, mode: mode, in: ctx) {
                cmp($0 == 0 ? 0 : 1, $1 == 0 ? 0 : 1) ? 1 : 0
            }
        default:
            throw a.unsupported("input", "f32, i32, i64 and boolean")
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

// MARK: - Convert

/// Source elements, read as floats or as integers so that i64 values keep all their bits.
private enum Numbers {
    case floats([Double])
    case ints([Int64])
}

private func numbers(_ x: Tensor) throws -> Numbers {
    switch x.elementType {
    case .f32: return .floats(x.elements(Float.self).map(Double.init))
    case .f64: return .floats(x.elements(Double.self))
    case .i64: return .ints(x.elements(Int64.self))
    case .i32: return .ints(x.elements(Int32.self).map(Int64.init))
    case .i16: return .ints(x.elements(Int16.self).map(Int64.init))
    case .i8: return .ints(x.elements(Int8.self).map(Int64.init))
    case .u32: return .ints(x.elements(UInt32.self).map(Int64.init))
    case .u16: return .ints(x.elements(UInt16.self).map(Int64.init))
    case .u8: return .ints(x.elements(UInt8.self).map(Int64.init))
    case .boolean: return .ints(x.elements(UInt8.self).map { $0 == 0 ? 0 : 1 })
    default: throw x.unsupported("input", "f32, f64, i64, i32, i16, i8, u32, u16, u8 and boolean")
    }
}

/// Converts the elements to `type`. Float to integer truncates toward zero, saturating at the type's
/// bounds (NaN gives 0); integer to narrower integer wraps, as a C++ static_cast does; to boolean is `!= 0`.
func convert(_ x: Tensor, to type: ElementType) throws -> Tensor {
    let source = try numbers(x)
    func integers<T: FixedWidthInteger>(_: T.Type) -> Tensor {
        switch source {
        case .floats(let v):
            return Tensor(type, dims: x.dims, values: v.map { d -> T in
                if d.isNaN { return 0 }
                let t = d.rounded(.towardZero)
                if t >= Double(T.max) { return T.max }
                if t <= Double(T.min) { return T.min }
                return T(t)
            })
        case .ints(let v):
            return Tensor(type, dims: x.dims, values: v.map { T(truncatingIfNeeded: $0) })
        }
    }
    switch type {
    case .f32:
        switch source {
        case .floats(let v): return Tensor(.f32, dims: x.dims, values: v.map { Float($0) })
        case .ints(let v): return Tensor(.f32, dims: x.dims, values: v.map { Float($0) })
        }
    case .f64:
        switch source {
        case .floats(let v): return Tensor(.f64, dims: x.dims, values: v)
        case .ints(let v): return Tensor(.f64, dims: x.dims, values: v.map { Double($0) })
        }
    case .boolean:
        switch source {
        case .floats(let v): return Tensor(.boolean, dims: x.dims, values: v.map { $0 != 0 ? UInt8(1) : 0 })
        case .ints(let v): return Tensor(.boolean, dims: x.dims, values: v.map { $0 != 0 ? UInt8(1) : 0 })
        }
    case .i64: return integers(Int64.self)
    case .i32: return integers(Int32.self)
    case .i16: return integers(Int16.self)
    case .i8: return integers(Int8.self)
    case .u32: return integers(UInt32.self)
    case .u16: return integers(UInt16.self)
    case .u8: return integers(UInt8.self)
    default:
        throw KernelError("conversion to \(type) is not evaluated; supported: f32, f64, i64, i32, i16, i8, u32, u16, u8, boolean")
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
