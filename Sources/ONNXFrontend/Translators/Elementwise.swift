import OVIR

// Element-wise arithmetic, unary math, comparisons, logic, bitwise and variadic ops.
extension TranslatorTable {
    static let elementwise: [TranslatorEntry] = [
        .binary("Add") { Add() },
        .binary("Sub") { Subtract() },
        .binary("Mul") { Multiply() },
        // ONNX integer Div truncates toward zero (test_div_int32_trunc).
        .binary("Div") { Divide(pythonDivision: false) },
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

        .binary("Equal") { Equal() },
        .binary("Greater") { Greater() },
        .binary("Less") { Less() },
        .binary("GreaterOrEqual") { GreaterEqual() },
        .binary("LessOrEqual") { LessEqual() },
        .binary("And") { LogicalAnd() },
        .binary("Or") { LogicalOr() },
        .binary("Xor") { LogicalXor() },
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
            guard let to = ctx.int("to") else { throw ctx.error("attribute 'to' is required") }
            return [try ctx.add(Convert(try ctx.elementType(to)), [ctx.input(0)])]
        },
        TranslatorEntry("CastLike") { ctx in [try ctx.add(ConvertLike(), [ctx.input(0), ctx.input(1)])] },
    ]
}

extension NodeContext {
    /// A scalar Const of `value` in the element type of `x` (converted at load time when the type is unknown).
    func scalar(_ value: Float, like x: Output, _ suffix: String) throws -> Output {
        let c = try constant(.scalar(f32: value), suffix)
        switch x.elementType {
        case .f32: return c
        case .dynamic: return try add(ConvertLike(), [c, x], "\(suffix)Like")
        case let t: return try add(Convert(t), [c], "\(suffix)Cast")
        }
    }

    /// The element type for an ONNX data type number (Cast `to`).
    func elementType(_ dataType: Int) throws -> ElementType {
        guard let t = ONNXElementType.elementType(Int32(dataType)) else {
            throw error("element type \(ONNXElementType.name(Int32(dataType))) is not supported by OpenVINO")
        }
        return t
    }
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

/// Pow: the exponent may have another element type; the result has the base's type.
private func translatePow(_ ctx: NodeContext) throws -> [Output] {
    let (x, y) = (try ctx.input(0), try ctx.input(1))
    var e = y
    if x.elementType != y.elementType {
        e = x.elementType == .dynamic || y.elementType == .dynamic
            ? try ctx.add(ConvertLike(), [y, x], "exponent")
            : try ctx.add(Convert(x.elementType), [y], "exponent")
    }
    return [try ctx.add(Power(), [x, e])]
}

/// Mod: fmod=0 takes the divisor's sign (FloorMod), fmod=1 the dividend's (Mod).
private func translateMod(_ ctx: NodeContext) throws -> [Output] {
    let op: any Op = ctx.int("fmod", 0) == 0 ? FloorMod() : Mod()
    return [try ctx.add(op, [ctx.input(0), ctx.input(1)])]
}

/// BitShift: x << y = x * 2^y; x >> y = (x - x mod 2^y) / 2^y, an exact division, so negative x shift
/// arithmetically. Shift counts outside [0, width) (and, for signed right shifts, width-1, whose 2^y overflows)
/// give numpy's saturated result: 0, or -1 for a right shift of a negative x. Left shifts do not wrap on overflow.
private func translateBitShift(_ ctx: NodeContext) throws -> [Output] {
    let (x, y) = (try ctx.input(0), try ctx.input(1))
    let left: Bool
    switch ctx.string("direction", "") {
    case "LEFT": left = true
    case "RIGHT": left = false
    case let d: throw ctx.error("direction must be LEFT or RIGHT, got '\(d)'")
    }
    var count = y, valid: Output?
    if x.elementType.isInteger {
        let limit = x.elementType.isSigned && !left ? x.elementType.bitWidth - 1 : x.elementType.bitWidth
        let inRange = try ctx.add(Less(), [y, ctx.scalar(Float(limit), like: y, "width")], "inRange")
        valid = x.elementType.isSigned
            ? try ctx.add(LogicalAnd(), [inRange, ctx.add(GreaterEqual(), [y, ctx.scalar(0, like: y, "zero")], "nonNegative")], "valid")
            : inRange
        count = try ctx.add(Select(), [valid!, y, ctx.scalar(0, like: y, "noShift")], "count")
    }
    let scale = try ctx.add(Power(), [ctx.scalar(2, like: x, "two"), count], "scale")
    let shifted: Output
    if left {
        shifted = try ctx.add(Multiply(), [x, scale], valid == nil ? nil : "shifted")
    } else {
        let rest = try ctx.add(FloorMod(), [x, scale], "rest")
        shifted = try ctx.add(Divide(pythonDivision: false), [ctx.add(Subtract(), [x, rest], "floored"), scale],
                              valid == nil ? nil : "shifted")
    }
    guard let valid else { return [shifted] }
    var saturated = try ctx.scalar(0, like: x, "saturated")
    if !left && x.elementType.isSigned {
        let negative = try ctx.add(Less(), [x, saturated], "negative")
        saturated = try ctx.add(Select(), [negative, ctx.scalar(-1, like: x, "minusOne"), saturated], "signFill")
    }
    return [try ctx.add(Select(), [valid, shifted, saturated])]
}
