import OVIR

// HannWindow, HammingWindow and BlackmanWindow (opset 17) decomposed as ONNX's function bodies compute them (the
// reference in onnx/reference/ops/op_*_window.py agrees): for n in [0, size), in f32,
//     w[n] = a0 - a1·cos(n·τ/N) + a2·cos(2·n·τ/N),  N = size when periodic (the default), size - 1 when not,
// then converted to output_datatype (f32 by default). Hann: a0 = a1 = 0.5; Hamming: a0 = 25/46, a1 = 21/46;
// Blackman: a0 = 0.42, a1 = 0.5, a2 = 0.08. The size may be computed at run time: the positions are a Range.
extension TranslatorTable {
    static let signalWindows: [TranslatorEntry] = [
        TranslatorEntry("HannWindow", since: 17) { ctx in [try cosineWindow(ctx, a0: 0.5, a1: 0.5, a2: 0)] },
        TranslatorEntry("HammingWindow", since: 17) { ctx in [try cosineWindow(ctx, a0: 25.0 / 46, a1: 21.0 / 46, a2: 0)] },
        TranslatorEntry("BlackmanWindow", since: 17) { ctx in [try cosineWindow(ctx, a0: 0.42, a1: 0.5, a2: 0.08)] },
    ]
}

/// `a0 - a1·cos(θ) + a2·cos(2θ)` for θ = n·τ/N over the positions n of the window of input 0's size.
private func cosineWindow(_ ctx: NodeContext, a0: Float, a1: Float, a2: Float) throws -> Output {
    var size = try ctx.input(0)
    guard size.elementType.isInteger || size.elementType == .dynamic else {
        throw ctx.error("size must be an integer, got \(size.elementType)")
    }
    if let r = size.shape.rank, r != 0 {
        guard size.shape.staticDims.map({ $0.reduce(1, *) == 1 }) ?? true else { throw ctx.error("size must be a scalar, got shape \(size.shape)") }
        size = try ctx.add(Reshape(specialZero: false), [size, ctx.i64([], "size/scalarShape")], "size/scalar")
    }
    let outputType = try ctx.elementType(ctx.int("output_datatype", 1))
    let periodic = ctx.int("periodic", 1) != 0
    func f32(_ v: Float, _ suffix: String) throws -> Output { try ctx.constant(.scalar(f32: v), suffix) }

    // The positions as an i64 Range, so a constant size gives a window of static length.
    let count = size.elementType == .i64 ? size : try ctx.add(Convert(.i64), [size], "size/i64")
    let positions = try ctx.add(RangeOp(outputType: .i64), [ctx.scalarI64(0, "range/start"), count, ctx.scalarI64(1, "range/step")], "range")
    let n = try ctx.add(Convert(.f32), [positions], "range/f32")
    let sizeF32 = try ctx.add(Convert(.f32), [count], "size/f32")
    let denominator = periodic ? sizeF32 : try ctx.add(Subtract(), [sizeF32, f32(1, "one")], "symmetricSize")
    // τ rounded to f32, as ONNX's function body spells it.
    let increment = try ctx.add(Divide(), [f32(6.2831855, "tau"), denominator], "angularIncrement")
    let angle = try ctx.add(Multiply(), [n, increment], "angle")
    let last = outputType == .f32 ? nil : "window"
    var w = try ctx.add(Subtract(), [f32(a0, "a0"), ctx.add(Multiply(), [f32(a1, "a1"), ctx.add(Cos(), [angle], "cos")], "a1Term")],
                        a2 == 0 ? last : "a0a1")
    if a2 != 0 {
        let twice = try ctx.add(Multiply(), [angle, f32(2, "two")], "twiceAngle")
        let term = try ctx.add(Multiply(), [f32(a2, "a2"), ctx.add(Cos(), [twice], "cos2")], "a2Term")
        w = try ctx.add(Add(), [w, term], last)
    }
    return outputType == .f32 ? w : try ctx.add(Convert(outputType), [w])
}
