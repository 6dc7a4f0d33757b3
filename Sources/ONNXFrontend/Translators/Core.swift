import OVIR

// Constants and pass-through ops.
extension TranslatorTable {
    static let core: [TranslatorEntry] = [
        TranslatorEntry("Identity") { ctx in [try ctx.input(0)] },
        TranslatorEntry("Dropout", translateDropout),
        TranslatorEntry("Constant", translateConstant),
    ]
}

/// Dropout at inference is the identity; the optional mask output is all true (bool from opset 10, all 1s
/// in x's type before).
/// Training mode (opset 12+ `training_mode` input) is random, so it must be a constant false.
private func translateDropout(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0)
    // With a constant ratio of 0 training mode changes nothing; otherwise it is random.
    let ratioIsZero = try ctx.optionalInput(1)?.constant?.doubleValues()?.allSatisfy { $0 == 0 } == true
    if let training = try ctx.optionalInput(2), !ratioIsZero {
        guard let value = training.constant?.intValues() else {
            throw ctx.error("training_mode must be a constant: Dropout in training mode is random; export the model in eval mode")
        }
        if value.contains(where: { $0 != 0 }) {
            throw ctx.error("training_mode is true: Dropout in training mode is random; export the model in eval mode")
        }
    }
    guard ctx.hasOutput(1) else { return [x] }
    let shape = try ctx.add(ShapeOf(), [x], "shape")
    let one = ctx.opset < 10 ? try ctx.scalar(1, like: x, "one") : try ctx.constant(.boolean([true], dims: []), "true")
    let mask = try ctx.add(Broadcast(), [one, shape], "mask")
    return [x, mask]
}

/// Constant: exactly one of value, value_float(s), value_int(s), value_string(s).
private func translateConstant(_ ctx: NodeContext) throws -> [Output] {
    let tensor: Tensor
    if let t = try ctx.tensor("value") {
        tensor = t
    } else if let v = ctx.float("value_float") {
        tensor = .scalar(f32: v)
    } else if let v = ctx.floats("value_floats") {
        tensor = .f32(v)
    } else if let v = ctx.int("value_int") {
        tensor = .scalar(i64: v)
    } else if let v = ctx.ints("value_ints") {
        tensor = .i64(v)
    } else if let s = ctx.string("value_string") {
        tensor = Tensor(strings: [s], dims: [])
    } else if let s = ctx.strings("value_strings") {
        tensor = Tensor(strings: s, dims: [s.count])
    } else {
        throw ctx.error("has no supported value attribute (sparse_value is not supported)")
    }
    return [try ctx.add(Constant(tensor), [])]
}
