import Foundation
import OVIR

// Unary element-wise math and activations, rounding, and float classification. Floats compute in Double:
// f64 exactly, f32/f16/bf16 read as f32 and rounded once back to f32 (the evaluator packs f16/bf16).
// Ops that ONNX also allows on integers take an integer form, computed in Int128 and wrapped to the width.

let unaryMathKernels: [String: Kernel] = [
    Abs.type: unary({ Swift.abs($0) }, int: { Swift.abs($0) }),
    Negative.type: unary({ -$0 }, int: { 0 &- $0 }),
    // -1, 0 or 1; a float zero keeps its sign and NaN stays NaN
    Sign.type: unary({ $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }, int: { $0.signum() }),
    Relu.type: unary({ Swift.max($0, 0) }, f32: { mapF32($0, F32Relu.self) }, int: { Swift.max($0, 0) }),
    Floor.type: unary({ $0.rounded(.down) }, int: { $0 }),
    Ceiling.type: unary({ $0.rounded(.up) }, int: { $0 }),
    Round.type: { ctx in
        let rule: FloatingPointRoundingRule = switch try ctx.op(Round.self).mode {
        case .halfToEven: .toNearestOrEven
        case .halfAwayFromZero: .toNearestOrAwayFromZero
        }
        return [try mapElements(ctx.inputs[0], { $0.rounded(rule) }, int: { $0 })]
    },

    Exp.type: unary { Foundation.exp($0) },
    Log.type: unary { Foundation.log($0) },
    Sqrt.type: unary { $0.squareRoot() },
    Erf.type: unary { Foundation.erf($0) },
    Sin.type: unary { Foundation.sin($0) },
    Cos.type: unary { Foundation.cos($0) },
    Tan.type: unary { Foundation.tan($0) },
    Asin.type: unary { Foundation.asin($0) },
    Acos.type: unary { Foundation.acos($0) },
    Atan.type: unary { Foundation.atan($0) },
    Sinh.type: unary { Foundation.sinh($0) },
    Cosh.type: unary { Foundation.cosh($0) },
    Asinh.type: unary { Foundation.asinh($0) },
    Acosh.type: unary { Foundation.acosh($0) },
    Atanh.type: unary { Foundation.atanh($0) },

    Sigmoid.type: unary({ 1 / (1 + Foundation.exp(-$0)) }, f32: { mapF32($0, F32Sigmoid.self) }),
    Tanh.type: unary { Foundation.tanh($0) },
    // min(max(x + 3, 0), 6) / 6 and x times it
    HSigmoid.type: unary({ Swift.min(Swift.max($0 + 3, 0), 6) / 6 }, f32: { mapF32($0, F32HSigmoid.self) }),
    HSwish.type: unary({ $0 * Swift.min(Swift.max($0 + 3, 0), 6) / 6 }, f32: { mapF32($0, F32HSwish.self) }),
    SoftPlus.type: unary(softPlus),
    // x · tanh(softplus(x))
    Mish.type: unary { $0 * Foundation.tanh(softPlus($0)) },
    // x / (1 + |x|)
    SoftSign.type: unary { $0 / (1 + Swift.abs($0)) },
    Gelu.type: { ctx in
        let f: (Double) -> Double = switch try ctx.op(Gelu.self).approximationMode {
        // x · Φ(x) = x/2 · (1 + erf(x / √2))
        case .erf: { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }
        // x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))
        case .tanh: { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        }
        return [try mapElements(ctx.inputs[0], f)]
    },
    Clamp.type: clamp,
    Elu.type: { ctx in
        let alpha = try ctx.op(Elu.self).alpha
        return [try mapElements(ctx.inputs[0]) { $0 > 0 ? $0 : alpha * Foundation.expm1($0) }]
    },
    // x · sigmoid(beta · x), beta an optional scalar input
    Swish.type: { ctx in
        let beta = ctx.inputs.count > 1 ? try scalar(ctx.inputs[1], "beta") : 1
        if ctx.inputs[0].elementType == .f32, beta == 1 { return [mapF32(ctx.inputs[0], F32Swish.self)] }
        return [try mapElements(ctx.inputs[0]) { $0 / (1 + Foundation.exp(-beta * $0)) }]
    },
    // max(0, min(1, alpha · x + beta))
    HardSigmoid.type: { ctx in
        let alpha = try scalar(ctx.inputs[1], "alpha"), beta = try scalar(ctx.inputs[2], "beta")
        return [try mapElements(ctx.inputs[0]) { Swift.max(0, Swift.min(1, alpha * $0 + beta)) }]
    },
    // lambda · (x for x > 0, alpha · (eˣ - 1) otherwise)
    Selu.type: { ctx in
        let alpha = try scalar(ctx.inputs[1], "alpha"), lambda = try scalar(ctx.inputs[2], "lambda")
        return [try mapElements(ctx.inputs[0]) { lambda * ($0 > 0 ? $0 : alpha * Foundation.expm1($0)) }]
    },
    PRelu.type: prelu,

    IsNaN.type: classify { $0.isNaN },
    IsFinite.type: classify { $0.isFinite },
    IsInf.type: { ctx in
        let op = try ctx.op(IsInf.self)
        return try classify { $0.isInfinite && ($0 > 0 ? op.detectPositive : op.detectNegative) }(ctx)
    },
]

/// log(1 + eˣ), written to stay finite for large x.
private func softPlus(_ x: Double) -> Double { x > 20 ? x : Foundation.log1p(Foundation.exp(x)) }

/// A kernel applying `float` to float inputs and, when given, `int` to integer inputs; `f32`, when given,
/// computes f32 inputs directly (the hot path: `mapF32` with a function within an f32 rounding of `float`).
private func unary(_ float: @escaping (Double) -> Double, f32: ((Tensor) -> Tensor)? = nil,
                   int: ((Int128) -> Int128)? = nil) -> Kernel {
    { ctx in
        if let f32, ctx.inputs[0].elementType == .f32 { return [f32(ctx.inputs[0])] }
        return [try mapElements(ctx.inputs[0], float, int: int)]
    }
}

/// `float` on each float element (f64 in Double, other widths read as f32 and rounded back to f32 once), or
/// `int` on each integer element (wrapped to the width); integer inputs fail when there is no `int`.
private func mapElements(_ x: Tensor, _ float: (Double) -> Double, int: ((Int128) -> Int128)? = nil) throws -> Tensor {
    if x.elementType == .f64 { return Tensor(.f64, dims: x.dims, values: x.elements(Double.self).map(float)) }
    if let int, x.elementType.isIntegral, x.elementType != .boolean {
        return Tensor(x.elementType, dims: x.dims, wrapping: try x.integers().map(int))
    }
    return Tensor(.f32, dims: x.dims, values: try x.floats().map { Float(float(Double($0))) })
}

/// The single value of a scalar (or one-element) float parameter input.
private func scalar(_ t: Tensor, _ what: String) throws -> Double {
    guard t.elementCount == 1 else { throw KernelError("\(what) must hold one value, has shape \(t.dims)") }
    return try t.doubles(what)[0]
}

/// min(max(x, min), max); on integers the bounds are ceil(min) and floor(max), as the spec says.
private func clamp(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Clamp.self)
    let (lo, hi) = (op.min, op.max)
    let (intLo, intHi) = (try int128(clamping: lo.rounded(.up)), try int128(clamping: hi.rounded(.down)))
    return [try mapElements(ctx.inputs[0], { Swift.min(Swift.max($0, lo), hi) }, int: { Swift.min(Swift.max($0, intLo), intHi) })]
}

/// x for x ≥ 0, slope · x otherwise. A 1-D slope as long as data's axis 1 is per channel (axis 1); any
/// other slope broadcasts numpy style, as the spec says.
private func prelu(_ ctx: KernelContext) throws -> [Tensor] {
    let (x, slope) = (ctx.inputs[0], ctx.inputs[1])
    guard x.elementType == slope.elementType else {
        throw KernelError("data is \(x.elementType) and slope \(slope.elementType); they must match")
    }
    var slopeDims = slope.dims
    if x.dims.count >= 2, slope.dims.count == 1, slope.dims[0] == x.dims[1] {
        slopeDims = [x.dims[1]] + Array(repeating: 1, count: x.dims.count - 2)
    }
    let out: Tensor
    switch x.elementType {
    case .f64:
        let (v, d) = try broadcastBinary(x.elements(Double.self), x.dims, slope.elements(Double.self), slopeDims, mode: .numpy) { $0 < 0 ? $0 * $1 : $0 }
        out = Tensor(.f64, dims: d, values: v)
    case let type where type.isIntegral && type != .boolean:
        let (v, d) = try broadcastBinary(try x.integers(), x.dims, try slope.integers(), slopeDims, mode: .numpy) { $0 < 0 ? $0 &* $1 : $0 }
        out = Tensor(x.elementType, dims: d, wrapping: v)
    default:
        // The product of two f32 values rounds to the same f32 as in Double.
        let (v, d) = try broadcastBinary(try x.floats("data"), x.dims, try slope.floats("slope"), slopeDims, mode: .numpy) { $0 < 0 ? $0 * $1 : $0 }
        out = Tensor(.f32, dims: d, values: v)
    }
    guard out.dims == x.dims else { throw KernelError("slope \(slope.dims) does not broadcast to data \(x.dims)") }
    return [out]
}

/// A float classification (IsNaN, IsFinite, IsInf): a boolean per element.
private func classify(_ test: @escaping (Double) -> Bool) -> Kernel {
    { ctx in
        let x = ctx.inputs[0]
        return [Tensor(.boolean, dims: x.dims, values: try x.doubles().map { test($0) ? UInt8(1) : 0 })]
    }
}
