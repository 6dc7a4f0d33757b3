import OVIR

// Element-wise arithmetic, comparisons and selection, with PyTorch's type promotion.
extension TSTranslatorTable {
    static let elementwise: [TSTranslatorEntry] = [
        TSTranslatorEntry("aten::add") { ctx in try addSub(ctx, subtract: false) },
        TSTranslatorEntry("aten::sub") { ctx in try addSub(ctx, subtract: true) },
        TSTranslatorEntry("aten::rsub", translateRsub),
        binary("aten::mul", Multiply.init) { $0 * $1 },
        TSTranslatorEntry("aten::div", translateDiv),
        TSTranslatorEntry("aten::floor_divide", translateFloorDivide),
        TSTranslatorEntry("aten::floordiv", translateFloorDivide),
        binary("aten::pow", Power.init, nil),
        binary("aten::remainder", FloorMod.init, nil),
        binary("aten::fmod", Mod.init, nil),
        binary("aten::maximum", Maximum.init) { max($0, $1) },
        binary("aten::minimum", Minimum.init) { min($0, $1) },
        comparison("aten::eq", Equal.init), comparison("aten::ne", NotEqual.init),
        comparison("aten::lt", Less.init), comparison("aten::le", LessEqual.init),
        comparison("aten::gt", Greater.init), comparison("aten::ge", GreaterEqual.init),
        comparison("aten::logical_and", LogicalAnd.init, logical: true),
        comparison("aten::logical_or", LogicalOr.init, logical: true),
        comparison("aten::logical_xor", LogicalXor.init, logical: true),
        TSTranslatorEntry("aten::logical_not") { ctx in [.tensor(try ctx.add(LogicalNot(), [ctx.convert(ctx.tensor(0), to: .boolean)]))] },
        TSTranslatorEntry("aten::bitwise_not", translateBitwiseNot),
        TSTranslatorEntry("aten::where", translateWhere),
        TSTranslatorEntry("aten::masked_fill", translateMaskedFill),
        .unary("aten::neg", Negative.self), .unary("aten::abs", Abs.self), .unary("aten::exp", Exp.self),
        .unary("aten::log", Log.self), .unary("aten::sqrt", Sqrt.self), .unary("aten::floor", Floor.self),
        .unary("aten::ceil", Ceiling.self), .unary("aten::sin", Sin.self), .unary("aten::cos", Cos.self),
        .unary("aten::erf", Erf.self), .unary("aten::sign", Sign.self),
        TSTranslatorEntry("aten::round") { ctx in [.tensor(try ctx.add(Round(mode: .halfToEven), [ctx.tensor(0)]))] },
        TSTranslatorEntry("aten::rsqrt") { ctx in try reciprocal(ctx, of: ctx.add(Sqrt(), [ctx.tensor(0)], "sqrt")) },
        TSTranslatorEntry("aten::reciprocal") { ctx in try reciprocal(ctx, of: ctx.tensor(0)) },
    ]

    /// `kind(a, b)` → `make()(a, b)` on promoted operands; `fold` computes two Python ints at conversion time.
    static func binary<O: Op>(_ kind: String, _ make: @escaping () -> O, _ fold: ((Int, Int) -> Int)?) -> TSTranslatorEntry {
        TSTranslatorEntry(kind) { ctx in
            if let fold, case .int(let a) = try ctx.value(0), case .int(let b) = try ctx.value(1) { return [.int(fold(a, b))] }
            let (a, b) = try promotedOperands(ctx)
            return [.tensor(try ctx.add(make(), [a, b]))]
        }
    }

    /// Comparisons and logic: operands promoted to a common type (booleans for the logical ops); a boolean result.
    static func comparison<O: Op>(_ kind: String, _ make: @escaping () -> O, logical: Bool = false) -> TSTranslatorEntry {
        TSTranslatorEntry(kind) { ctx in
            if !logical, case .int(let a) = try ctx.value(0), case .int(let b) = try ctx.value(1) {
                let r: Bool = switch kind {
                case "aten::eq": a == b
                case "aten::ne": a != b
                case "aten::lt": a < b
                case "aten::le": a <= b
                case "aten::gt": a > b
                default: a >= b
                }
                return [.bool(r)]
            }
            let (a, b) = logical ? try (ctx.convert(ctx.tensor(0), to: .boolean, "a"), ctx.convert(ctx.tensor(1), to: .boolean, "b"))
                                 : try promotedOperands(ctx, annotated: false)
            return [.tensor(try ctx.add(make(), [a, b]))]
        }
    }
}

/// Inputs 0 and 1 converted to one element type: output 0's annotation when `annotated` and it gives one,
/// else PyTorch's promotion (dimensioned tensors over 0-D tensors over Python numbers, float over int over
/// bool). Python numbers become Consts of that type.
func promotedOperands(_ ctx: TSNodeContext, annotated: Bool = true, _ i: Int = 0, _ j: Int = 1) throws -> (Output, Output) {
    let a = try ctx.value(i), b = try ctx.value(j)
    let type = (annotated ? ctx.annotatedElementType() : nil) ?? promotedType([a, b])
    return (try operand(ctx, a, type, "a"), try operand(ctx, b, type, "b"))
}

/// A value as a tensor of `type`.
func operand(_ ctx: TSNodeContext, _ v: TSValue, _ type: ElementType, _ suffix: String) throws -> Output {
    switch v {
    case .int(let n): return try ctx.scalarConstant(Double(n), type, suffix)
    case .float(let f): return try ctx.scalarConstant(f, type, suffix)
    case .bool(let b): return try ctx.convert(ctx.constant(.boolean([b], dims: []), suffix), to: type, "\(suffix)Cast")
    default: return try ctx.convert(ctx.tensor(v, suffix), to: type, "\(suffix)Cast")
    }
}

/// PyTorch's result type of an element-wise op on `values`.
func promotedType(_ values: [TSValue]) -> ElementType {
    func category(_ t: ElementType) -> Int { t == .boolean ? 0 : t.isFloatingPoint ? 2 : 1 }
    // Priority: 2 dimensioned tensor, 1 zero-dim tensor, 0 Python number.
    var typed: [(priority: Int, type: ElementType)] = []
    for v in values {
        switch v {
        case .tensor(let o) where o.elementType != .dynamic: typed.append((o.shape.rank == 0 ? 1 : 2, o.elementType))
        case .int: typed.append((0, .i64))
        case .float: typed.append((0, .f32))
        case .bool: typed.append((0, .boolean))
        default: continue
        }
    }
    guard var result = typed.max(by: { ($0.priority, category($0.type), $0.type.bitWidth) < ($1.priority, category($1.type), $1.type.bitWidth) })
    else { return .f32 }
    for t in typed where category(t.type) > category(result.type) {
        // A higher category from a lower priority: floats take the default float type, ints i64.
        result = (result.priority, t.priority == 0 || t.type == .i64 ? (category(t.type) == 2 ? .f32 : .i64) : t.type)
    }
    return result.type
}

/// add / sub (self, other, alpha): self ± alpha·other.
private func addSub(_ ctx: TSNodeContext, subtract: Bool) throws -> [TSValue] {
    let alpha = ctx.inputCount > 2 ? try ctx.double(2) : 1
    if case .int(let a) = try ctx.value(0), case .int(let b) = try ctx.value(1), alpha == 1 { return [.int(subtract ? a - b : a + b)] }
    if case .list(let a) = try ctx.value(0), case .list(let b) = try ctx.value(1), !subtract { return [.list(a + b)] }
    var (a, b) = try promotedOperands(ctx)
    if alpha != 1 { b = try ctx.add(Multiply(), [b, ctx.scalarConstant(alpha, b.elementType, "alpha")], "scaled") }
    return [.tensor(try ctx.add(subtract ? Subtract() as any Op : Add(), [a, b]))]
}

/// rsub(self, other, alpha) = other − alpha·self.
private func translateRsub(_ ctx: TSNodeContext) throws -> [TSValue] {
    var (a, b) = try promotedOperands(ctx)
    let alpha = ctx.inputCount > 2 ? try ctx.double(2) : 1
    if alpha != 1 { a = try ctx.add(Multiply(), [a, ctx.scalarConstant(alpha, a.elementType, "alpha")], "scaled") }
    return [.tensor(try ctx.add(Subtract(), [b, a]))]
}

/// div(self, other, rounding_mode?): true division (integers give floats), or "floor" / "trunc" rounding.
private func translateDiv(_ ctx: TSNodeContext) throws -> [TSValue] {
    let mode: String? = ctx.inputCount > 2 ? (try ctx.isNone(2) ? nil : try ctx.string(2)) : nil
    let promoted = promotedType([try ctx.value(0), try ctx.value(1)])
    if mode == nil, !(ctx.annotatedElementType() ?? promoted).isFloatingPoint {
        // True division of integers is a float division.
        let a = try operand(ctx, ctx.value(0), .f32, "a"), b = try operand(ctx, ctx.value(1), .f32, "b")
        return [.tensor(try ctx.add(Divide(), [a, b]))]
    }
    let (a, b) = try promotedOperands(ctx)
    switch mode {
    case nil: return [.tensor(try ctx.add(Divide(), [a, b]))]
    case "floor":
        if !a.elementType.isFloatingPoint { return [.tensor(try ctx.add(Divide(pythonDivision: true), [a, b]))] }
        return [.tensor(try ctx.add(Floor(), [ctx.add(Divide(), [a, b], "divide")]))]
    case "trunc":
        if !a.elementType.isFloatingPoint { return [.tensor(try ctx.add(Divide(pythonDivision: false), [a, b]))] }
        let q = try ctx.add(Divide(), [a, b], "divide")
        // trunc(q) = sign(q) · floor(|q|)
        let magnitude = try ctx.add(Floor(), [ctx.add(Abs(), [q], "abs")], "floor")
        return [.tensor(try ctx.add(Multiply(), [ctx.add(Sign(), [q], "sign"), magnitude]))]
    case let m?: throw ctx.error("rounding_mode '\(m)' is not 'floor' or 'trunc'")
    }
}

/// floor_divide / floordiv: Python's `//`.
private func translateFloorDivide(_ ctx: TSNodeContext) throws -> [TSValue] {
    if case .int(let a) = try ctx.value(0), case .int(let b) = try ctx.value(1), b != 0 {
        return [.int(Int((Double(a) / Double(b)).rounded(.down)))]
    }
    let (a, b) = try promotedOperands(ctx)
    if !a.elementType.isFloatingPoint { return [.tensor(try ctx.add(Divide(pythonDivision: true), [a, b]))] }
    return [.tensor(try ctx.add(Floor(), [ctx.add(Divide(), [a, b], "divide")]))]
}

private func translateBitwiseNot(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    guard x.elementType == .boolean else { throw ctx.error("bitwise_not of \(x.elementType) is not supported (booleans only)") }
    return [.tensor(try ctx.add(LogicalNot(), [x]))]
}

/// where(cond, self, other) → Select.
private func translateWhere(_ ctx: TSNodeContext) throws -> [TSValue] {
    guard ctx.inputCount >= 3 else { throw ctx.error("where(cond) with one argument (nonzero) is not supported") }
    let cond = try ctx.convert(ctx.tensor(0), to: .boolean, "condition")
    let (a, b) = try promotedOperands(ctx, annotated: true, 1, 2)
    return [.tensor(try ctx.add(Select(), [cond, a, b]))]
}

/// masked_fill(self, mask, value) → Select(mask, value, self).
private func translateMaskedFill(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    let mask = try ctx.convert(ctx.tensor(1), to: .boolean, "mask")
    let value = try operand(ctx, ctx.value(2), x.elementType, "value")
    return [.tensor(try ctx.add(Select(), [mask, value, x]))]
}

private func reciprocal(_ ctx: TSNodeContext, of x: Output) throws -> [TSValue] {
    [.tensor(try ctx.add(Divide(), [ctx.scalarConstant(1, x.elementType, "one"), x]))]
}
