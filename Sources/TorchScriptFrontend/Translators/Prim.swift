import OVIR

// prim:: ops and the Python-level plumbing of traced graphs: constants, attributes, lists, tuples, and the
// shape chains (size → NumToTensor → Int) that are folded when the dims are static.
extension TSTranslatorTable {
    static let prim: [TSTranslatorEntry] = [
        TSTranslatorEntry("prim::Constant", translateConstant),
        TSTranslatorEntry("prim::GetAttr", translateGetAttr),
        TSTranslatorEntry("prim::ListConstruct") { ctx in [.list(try (0..<ctx.inputCount).map { try ctx.value($0) })] },
        TSTranslatorEntry("prim::TupleConstruct") { ctx in [.tuple(try (0..<ctx.inputCount).map { try ctx.value($0) })] },
        TSTranslatorEntry("prim::ListUnpack", translateUnpack),
        TSTranslatorEntry("prim::TupleUnpack", translateUnpack),
        TSTranslatorEntry("prim::TupleIndex", translateIndex),
        TSTranslatorEntry("aten::__getitem__", translateIndex),
        TSTranslatorEntry("aten::len", translateLen),
        TSTranslatorEntry("prim::NumToTensor", translateNumToTensor),
        TSTranslatorEntry("aten::Int", translateToNumber),
        TSTranslatorEntry("aten::Float", translateToNumber),
        TSTranslatorEntry("aten::ScalarImplicit", translateToNumber),
        TSTranslatorEntry("aten::size", translateSize),
        TSTranslatorEntry("aten::dim") { ctx in [.int(try ctx.rank(ctx.tensor(0)))] },
        TSTranslatorEntry("aten::numel", translateNumel),
        TSTranslatorEntry("prim::device") { _ in [.opaque("Device")] },
        TSTranslatorEntry("prim::dtype", translateDtype),
        .identity("aten::detach"), .identity("aten::clone"), .identity("aten::contiguous"), .identity("aten::alias"),
        .identity("aten::dropout"), .identity("aten::feature_dropout"), .identity("aten::alpha_dropout"),
        .identity("aten::lift_fresh"), .identity("aten::lift_fresh_copy"), .identity("aten::lift"),
        .identity("prim::data"), .identity("aten::resolve_conj"), .identity("aten::resolve_neg"),
    ]
}

/// prim::Constant: numbers, strings, lists, None, and tensors (from the weights file, `const/<name>`).
private func translateConstant(_ ctx: TSNodeContext) throws -> [TSValue] {
    guard let out = ctx.node.outputs.first else { return [] }
    let attribute = ctx.node.attribute("value")
    switch out.type {
    case .tensor:
        let key = "const/\(out.name)"
        if let t = try ctx.session.weights.tensor(key, declared: out.type, what: "constant %\(out.name) (line \(ctx.node.line))") {
            return [.tensor(try ctx.graph.constant(t, name: ctx.session.uniqueName(ctx.name)))]
        }
        // A one-element literal `{2}` is printed in full for ints; floats lose digits past the 6th.
        if case .tensor(let text)? = attribute, text.hasPrefix("{"), text.hasSuffix("}"),
           let number = Double(text.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)) {
            let type = ctx.annotatedElementType() ?? (number.rounded() == number ? .i64 : .f32)
            if type.isFloatingPoint { ctx.warn("tensor constant \(text) is not in the weights file; taken from the dump's text (6 significant digits)") }
            var value = try ctx.scalarConstant(number, type, "value")
            if case .tensor(let a) = out.type, let sizes = a.sizes, !sizes.isEmpty {
                value = try ctx.add(Reshape(specialZero: false), [value, ctx.i64(sizes.map { $0 ?? 1 }, "shape")])
            }
            return [.tensor(value)]
        }
        throw TorchScriptFrontendError(.badWeights, "\(ctx.session.weights.path): tensor constant %\(out.name) (\(ctx.session.dumpPath) line "
            + "\(ctx.node.line)) is missing: no key '\(key)'")
    case .named("NoneType"):
        return [.none]
    default:
        guard let attribute else { return [.none] }
        return [try constantValue(attribute, out.type, ctx)]
    }
}

/// A constant attribute as the value its declared type says (bools print as 0/1, integral floats without a dot).
private func constantValue(_ a: TSAttributeValue, _ type: TSType, _ ctx: TSNodeContext) throws -> TSValue {
    switch (a, type) {
    case (.annotated(_, let inner), _): return try constantValue(inner, type, ctx)
    case (.int(let n), .named("bool")): return .bool(n != 0)
    case (.bool(let b), _): return .bool(b)
    case (.int(let n), .named("float")): return .float(Double(n))
    case (.int(let n), _): return .int(n)
    case (.float(let f), .named("int")):
        guard let n = Int(exactly: f) else { throw ctx.error("int constant \(f) is out of range") }
        return .int(n)
    case (.float(let f), _): return .float(f)
    case (.string(let s), .named("Device")): return .opaque("Device \(s)")
    case (.string(let s), _): return .string(s)
    case (.list(let items), .list(let element)), (.list(let items), .optional(.list(let element))):
        return .list(try items.map { try constantValue($0, element, ctx) })
    case (.list(let items), _): return .list(try items.map { try constantValue($0, .named("?"), ctx) })
    case (.tuple(let items), .tuple(let types, _)) where types.count == items.count:
        return .tuple(try zip(items, types).map { try constantValue($0, $1, ctx) })
    case (.tuple(let items), _): return .tuple(try items.map { try constantValue($0, .named("?"), ctx) })
    case (.tensor, _), (.opaque, _):
        throw ctx.error("constant of type \(type) holds a value ovconvert cannot use")
    }
}

/// prim::GetAttr in an unfrozen dump: modules become paths; tensors come from the weights file (`attr/<path>`).
private func translateGetAttr(_ ctx: TSNodeContext) throws -> [TSValue] {
    guard case .string(let attr)? = ctx.node.attribute("name") else { throw ctx.error("GetAttr has no name") }
    guard case .object(let parent) = try ctx.value(0) else { throw ctx.error("GetAttr on \(try ctx.value(0)), not a module") }
    let path = parent.isEmpty ? attr : "\(parent).\(attr)"
    guard let out = ctx.node.outputs.first else { return [] }
    switch out.type {
    case .classType: return [.object(path: path)]
    case .tensor, .optional(.tensor):
        let key = "attr/\(path)"
        guard let t = try ctx.session.weights.tensor(key, declared: out.type, what: "attribute '\(path)' (line \(ctx.node.line))") else {
            if case .optional = out.type { return [.none] }
            throw TorchScriptFrontendError(.badWeights, "\(ctx.session.weights.path): attribute '\(path)' (\(ctx.session.dumpPath) line "
                + "\(ctx.node.line)) is missing: no key '\(key)'")
        }
        return [.tensor(try ctx.graph.constant(t, name: ctx.session.uniqueName(path)))]
    default:
        throw ctx.error("attribute '\(path)' of type \(out.type) is not in an unfrozen dump's weights; export a frozen dump")
    }
}

/// ListUnpack / TupleUnpack: the elements, whose count must match the outputs.
private func translateUnpack(_ ctx: TSNodeContext) throws -> [TSValue] {
    let items: [TSValue]
    switch try ctx.value(0) {
    case .list(let xs), .tuple(let xs): items = xs
    case .tensor(let t):
        // A tensor unpacked as a list: its slices along dim 0.
        guard let n = t.shape.dims?.first?.value, n == ctx.node.outputs.count else { throw ctx.error("cannot unpack \(t.type) into \(ctx.node.outputs.count) values") }
        let parts = try ctx.addNode(Split(numSplits: n), [t, ctx.constant(.scalar(i64: 0), "axis")], "split")
        return try (0..<n).map { .tensor(try ctx.add(Squeeze(), [parts.output($0), ctx.i64([0], "axes")], "item\($0)")) }
    case let v: throw ctx.error("cannot unpack \(v)")
    }
    guard items.count == ctx.node.outputs.count else {
        throw ctx.error("unpacks \(items.count) values into \(ctx.node.outputs.count) outputs")
    }
    return items
}

/// TupleIndex / __getitem__ on a list or tuple with a known index.
private func translateIndex(_ ctx: TSNodeContext) throws -> [TSValue] {
    let i = try ctx.int(1)
    switch try ctx.value(0) {
    case .list(let xs), .tuple(let xs):
        let k = i < 0 ? i + xs.count : i
        guard k >= 0, k < xs.count else { throw ctx.error("index \(i) is out of range for \(xs.count) elements") }
        return [xs[k]]
    case let v: throw ctx.error("cannot index \(v)")
    }
}

private func translateLen(_ ctx: TSNodeContext) throws -> [TSValue] {
    switch try ctx.value(0) {
    case .list(let xs), .tuple(let xs): return [.int(xs.count)]
    case .tensor(let t):
        if let n = t.shape.dims?.first?.value { return [.int(n)] }
        return [try sizeOf(ctx, t, dim: 0)]
    case let v: throw ctx.error("len of \(v)")
    }
}

/// NumToTensor: a number as a 0-D tensor (a Const when known).
private func translateNumToTensor(_ ctx: TSNodeContext) throws -> [TSValue] {
    switch try ctx.value(0) {
    case .tensor(let t): return [.tensor(t)]
    case .float(let f): return [.tensor(try ctx.scalarConstant(f, ctx.annotatedElementType() ?? .f64, "value"))]
    case let v:
        guard let n = ctx.staticInt(v) else { throw ctx.error("NumToTensor of \(v)") }
        return [.tensor(try ctx.scalarConstant(Double(n), ctx.annotatedElementType() ?? .i64, "value"))]
    }
}

/// Int / Float / ScalarImplicit: a 0-D tensor as a number; folded when type inference knows its value.
private func translateToNumber(_ ctx: TSNodeContext) throws -> [TSValue] {
    let v = try ctx.value(0)
    let wantsFloat = ctx.kind == "aten::Float" || ctx.outputType() == .named("float")
    if let n = ctx.staticInt(v) { return [wantsFloat ? .float(Double(n)) : .int(n)] }
    switch v {
    case .int, .float, .bool: return [v]
    case .tensor(let t):
        if let c = t.constant, c.elementCount == 1, let d = c.doubleValues()?.first {
            if wantsFloat || (ctx.kind == "aten::ScalarImplicit" && c.elementType.isFloatingPoint) { return [.float(d)] }
            return [.int(Int(d))]
        }
        if ctx.kind == "aten::Int" { return [.tensor(try ctx.convert(t, to: .i64))] }
        if ctx.kind == "aten::Float" { return [.tensor(try ctx.convert(t, to: .f32))] }
        return [.tensor(t)]
    default: throw ctx.error("cannot turn \(v) into a number")
    }
}

/// `x.shape[dim]`: an int when static, else a 0-D i64 tensor from ShapeOf.
func sizeOf(_ ctx: TSNodeContext, _ x: Output, dim: Int) throws -> TSValue {
    let rank = try ctx.rank(x)
    let d = try ctx.axis(dim, rank: rank)
    if let n = x.shape.dims?[d].value { return .int(n) }
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    return .tensor(try ctx.add(Gather(), [shape, ctx.constant(.scalar(i64: d), "index"), ctx.constant(.scalar(i64: 0), "axis")], "dim\(d)"))
}

/// aten::size(x, dim) → int; aten::size(x) → a list of them.
private func translateSize(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    if ctx.inputCount >= 2 { return [try sizeOf(ctx, x, dim: ctx.int(1))] }
    let rank = try ctx.rank(x)
    return [.list(try (0..<rank).map { try sizeOf(ctx, x, dim: $0) })]
}

private func translateNumel(_ ctx: TSNodeContext) throws -> [TSValue] {
    let x = try ctx.tensor(0)
    if let dims = x.shape.staticDims { return [.int(dims.reduce(1, *))] }
    let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
    return [.tensor(try ctx.add(ReduceProd(keepDims: false), [shape, ctx.i64([0], "axes")]))]
}

/// prim::dtype: the ScalarType code of a tensor's element type (dtype arguments of later ops).
private func translateDtype(_ ctx: TSNodeContext) throws -> [TSValue] {
    let t = try ctx.tensor(0)
    let codes: [ElementType: Int] = [.u8: 0, .i8: 1, .i16: 2, .i32: 3, .i64: 4, .f16: 5, .f32: 6, .f64: 7, .boolean: 11, .bf16: 15]
    guard let code = codes[t.elementType] else { throw ctx.error("the dtype of \(t.type) is not known") }
    return [.int(code)]
}
