import OVIR

// Element-wise arithmetic, unary math, comparisons, logic, bitwise and variadic ops.
extension TranslatorTable {
    static let elementwise: [TranslatorEntry] = [
        .binary("Add", legacyBroadcast: true) { Add() },
        .binary("Sub", legacyBroadcast: true) { Subtract() },
        .binary("Mul", legacyBroadcast: true) { Multiply() },
        // ONNX integer Div truncates toward zero (test_div_int32_trunc).
        .binary("Div", legacyBroadcast: true) { Divide(pythonDivision: false) },
        TranslatorEntry("Pow", translatePow),
        TranslatorEntry("Mod", translateMod),
        TranslatorEntry("BitShift", translateBitShift),
        TranslatorEntry("Reciprocal") { ctx in
            let x = try ctx.input(0)
            return [try ctx.add(Divide(pythonDivision: false), [ctx.scalar(1, like: x, "one"), x])]
        },

        .unary("Abs", Abs.self), .unary("Neg", Negative.self), .unary("Exp", Exp.self), .unary("Log", Log.self),
        .unary("Sqrt", Sqrt.self), .unary("Floor", Floor.self), .unary("Ceil", Ceiling.self), .unary("Erf", Erf.self),
        .unary("Sign", Sign.self), .unary("Sin", Sin.self), .unary("Cos", Cos.self), .unary("Tan", Tan.self),
        .unary("Asin", Asin.self), .unary("Acos", Acos.self), .unary("Atan", Atan.self), .unary("Sinh", Sinh.self),
        .unary("Cosh", Cosh.self), .unary("Asinh", Asinh.self), .unary("Acosh", Acosh.self), .unary("Atanh", Atanh.self),
        // ONNX Round rounds halves to even.
        .unary("Round", Round.self),
        .unary("IsNaN", IsNaN.self),
        TranslatorEntry("IsInf") { ctx in
            let op = IsInf(detectNegative: ctx.int("detect_negative", 1) != 0, detectPositive: ctx.int("detect_positive", 1) != 0)
            return [try ctx.add(op, [ctx.input(0)])]
        },

        TranslatorEntry("Equal", translateEqual),
        .binary("Greater", legacyBroadcast: true) { Greater() },
        .binary("Less", legacyBroadcast: true) { Less() },
        .binary("GreaterOrEqual") { GreaterEqual() },
        .binary("LessOrEqual") { LessEqual() },
        .binary("And", legacyBroadcast: true) { LogicalAnd() },
        .binary("Or", legacyBroadcast: true) { LogicalOr() },
        .binary("Xor", legacyBroadcast: true) { LogicalXor() },
        .unary("Not", LogicalNot.self),
        .binary("BitwiseAnd") { BitwiseAnd() },
        .binary("BitwiseOr") { BitwiseOr() },
        .binary("BitwiseXor") { BitwiseXor() },
        .unary("BitwiseNot", BitwiseNot.self),
        TranslatorEntry("Where") { ctx in [try ctx.add(Select(), [ctx.input(0), ctx.input(1), ctx.input(2)])] },

        TranslatorEntry("Max") { ctx in [try fold(ctx) { Maximum() }] },
        TranslatorEntry("Min") { ctx in [try fold(ctx) { Minimum() }] },
        TranslatorEntry("Sum") { ctx in [try fold(ctx) { Add() }] },
        TranslatorEntry("Mean", translateMean),

        TranslatorEntry("Cast") { ctx in
            let to = try castTarget(ctx)
            return [try ctx.add(Convert(to), [wrapping(ctx, saturated(ctx, ctx.input(0), to: to), to: to)])]
        },
        TranslatorEntry("CastLike") { ctx in
            let like = try ctx.input(1)
            return [try ctx.add(ConvertLike(), [wrapping(ctx, saturated(ctx, ctx.input(0), to: like.elementType), to: like.elementType), like])]
        },
    ]
}

/// Folds variadic inputs with a broadcasting binary op; the last node takes the ONNX node's name.
private func fold(_ ctx: NodeContext, _ make: () -> any Op) throws -> Output {
    let xs = try ctx.inputs()
    guard var acc = xs.first else { throw ctx.error("needs at least one input") }
    for (i, x) in xs.enumerated().dropFirst() {
        acc = try ctx.add(make(), [acc, x], i == xs.count - 1 ? nil : "acc\(i)")
    }
    return acc
}

/// Mean = Sum / count.
private func translateMean(_ ctx: NodeContext) throws -> [Output] {
    let xs = try ctx.inputs()
    guard xs.count > 1 else { return [try ctx.input(0)] }
    var acc = xs[0]
    for (i, x) in xs.enumerated().dropFirst() { acc = try ctx.add(Add(), [acc, x], "sum\(i)") }
    return [try ctx.add(Divide(pythonDivision: false), [acc, ctx.scalar(Float(xs.count), like: acc, "count")])]
}

/// Pow: the result has the base's type. An integer base with a float exponent is raised in the exponent's
/// type and converted back (Pow(9, 0.5) = 3); otherwise the exponent is converted to the base's type.
private func translatePow(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    let y = try ctx.legacyBroadcast(x, ctx.input(1))
    guard x.elementType != y.elementType else { return [try ctx.add(Power(), [x, y])] }
    if x.elementType.isInteger, y.elementType.isFloatingPoint {
        let base = try ctx.add(Convert(y.elementType), [x], "base")
        return [try ctx.add(Convert(x.elementType), [ctx.add(Power(), [base, y], "power")])]
    }
    let e = x.elementType == .dynamic || y.elementType == .dynamic
        ? try ctx.add(ConvertLike(), [y, x], "exponent")
        : try ctx.add(Convert(x.elementType), [y], "exponent")
    return [try ctx.add(Power(), [x, e])]
}

/// Equal; OpenVINO's CPU plugin cannot compare strings, so string inputs are rejected here.
private func translateEqual(_ ctx: NodeContext) throws -> [Output] {
    let a = try ctx.input(0), b = try ctx.input(1)
    if a.elementType == .string || b.elementType == .string {
        throw ctx.error("Equal on strings is not supported: OpenVINO cannot compare string tensors")
    }
    return [try ctx.add(Equal(), [a, ctx.legacyBroadcast(a, b)])]
}

/// Cast's `to`: an ONNX data type number, or before opset 6 its name ("FLOAT", "INT64", ...).
private func castTarget(_ ctx: NodeContext) throws -> ElementType {
    if ctx.opset < 6, let name = ctx.string("to"), !name.isEmpty {
        guard let code = (1...26).first(where: { ONNXElementType.name(Int32($0)) == name.uppercased() }) else {
            throw ctx.error("unknown type name '\(name)' in attribute 'to'")
        }
        return try ctx.elementType(code)
    }
    guard let to = ctx.int("to") else { throw ctx.error("attribute 'to' is required") }
    return try ctx.elementType(to)
}

/// Cast/CastLike `saturate` (opset 19+, default 1): values beyond the range of a float8 target, infinities
/// included, become its largest finite value (NaN stays NaN), so they are clamped before the Convert.
func saturated(_ ctx: NodeContext, _ x: Output, to type: ElementType) throws -> Output {
    guard ctx.opset >= 19, ctx.int("saturate", 1) != 0 else { return x }
    let limit: Double
    switch type {
    case .f8e4m3: limit = 448
    case .f8e5m2: limit = 57344
    default: return x
    }
    var source = x
    if x.elementType.isInteger {
        let width = x.elementType.bitWidth - (x.elementType.isSigned ? 1 : 0)
        guard Double(1 << min(width, 62)) - 1 > limit else { return x }  // the type's largest value
        source = try ctx.add(Convert(.f32), [x], "float")
    } else if !x.elementType.isFloatingPoint {
        return x
    }
    // OpenVINO's Clamp turns NaN into a bound.
    let clamped = try ctx.add(Clamp(min: -limit, max: limit), [source], "clamped")
    guard source.elementType.isFloatingPoint else { return clamped }
    return try ctx.add(Select(), [ctx.add(IsNaN(), [source], "isNaN"), source, clamped], "saturated")
}

/// Floats cast to a 4-bit integer go through i32: ONNX wraps them modulo 16 (-9 -> 7 as UINT4), which OpenVINO
/// specifies for integer -> unsigned conversions only; float -> 4-bit out of range is undefined there (the CPU
/// plugin wraps with static shapes and saturates with dynamic ones).
private func wrapping(_ ctx: NodeContext, _ x: Output, to type: ElementType) throws -> Output {
    guard x.elementType.isFloatingPoint, type == .u4 || type == .i4 else { return x }
    return try ctx.add(Convert(.i32), [x], "integer")
}

/// Mod: fmod=0 takes the divisor's sign (FloorMod), fmod=1 the dividend's (Mod).
private func translateMod(_ ctx: NodeContext) throws -> [Output] {
    let op: any Op = ctx.int("fmod", 0) == 0 ? FloorMod() : Mod()
    return [try ctx.add(op, [ctx.input(0), ctx.input(1)])]
}

/// BitShift → BitwiseLeftShift/BitwiseRightShift (left shifts wrap, right shifts of signed types are
/// arithmetic). Counts outside [0, width), which OpenVINO leaves undefined, give numpy's saturated result:
/// 0, or -1 for a right shift of a negative x.
private func translateBitShift(_ ctx: NodeContext) throws -> [Output] {
    let (x, y) = (try ctx.input(0), try ctx.input(1))
    let left: Bool
    switch ctx.string("direction", "") {
    case "LEFT": left = true
    case "RIGHT": left = false
    case let d: throw ctx.error("direction must be LEFT or RIGHT, got '\(d)'")
    }
    let shift: any Op = left ? BitwiseLeftShift() : BitwiseRightShift()
    guard x.elementType.isInteger else { return [try ctx.add(shift, [x, y])] }
    let zero = try ctx.scalar(0, like: y, "zero")
    let inRange = try ctx.add(Less(), [y, ctx.scalar(Float(x.elementType.bitWidth), like: y, "width")], "inRange")
    let valid = x.elementType.isSigned
        ? try ctx.add(LogicalAnd(), [inRange, ctx.add(GreaterEqual(), [y, zero], "nonNegative")], "valid")
        : inRange
    let count = try ctx.add(Select(), [valid, y, zero], "count")
    let shifted = try ctx.add(shift, [x, count], "shifted")
    var saturated = try ctx.scalar(0, like: x, "saturated")
    if !left && x.elementType.isSigned {
        let negative = try ctx.add(Less(), [x, saturated], "negative")
        saturated = try ctx.add(Select(), [negative, ctx.scalar(-1, like: x, "minusOne"), saturated], "signFill")
    }
    return [try ctx.add(Select(), [valid, shifted, saturated])]
}
