import OVIR

// Linear quantization: QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear, as the ONNX reference computes
// them (onnx/reference/ops/op_quantize_linear.py, op_dequantize_linear.py), per tensor, per axis and blocked.
// DequantizeLinear is Convert(f32) → Subtract(zero point) → Multiply(scale), the dequantization form the
// OpenVINO CPU plugin keeps in int8 for constant inputs; QuantizeLinear is x / scale → Round(half to even) →
// Add(zero point) → Clamp(type range) → Convert, or for float targets a saturating Convert.
extension TranslatorTable {
    static let quantization: [TranslatorEntry] = [
        TranslatorEntry("QuantizeLinear", since: 10, translateQuantizeLinear),
        TranslatorEntry("DequantizeLinear", since: 10, translateDequantizeLinear),
        TranslatorEntry("DynamicQuantizeLinear", since: 11, translateDynamicQuantizeLinear),
    ]
}

/// The value range of an integer quantized type, or nil for types that are not integer quantization targets.
func quantizedIntegerRange(_ type: ElementType) -> ClosedRange<Double>? {
    switch type {
    case .u8: return 0...255
    case .i8: return -128...127
    case .u16: return 0...65535
    case .i16: return -32768...32767
    case .u4: return 0...15
    case .i4: return -8...7
    case .u2: return 0...3
    default: return nil
    }
}

extension NodeContext {
    /// A scale or zero point `p` shaped to broadcast against `x` as ONNX's `reshape_input` does: a scalar or a
    /// one-element tensor as a scalar; a 1-D tensor along `axis`; with `blockSize` > 0, each element repeated
    /// `blockSize` times along `axis` and cut to `x`'s length there.
    func quantizationParameter(_ p: Output, for x: Output, axis: Int, blockSize: Int, _ suffix: String) throws -> Output {
        guard let pRank = p.shape.rank else { throw error("\(suffix) rank must be known") }
        if pRank == 0 { return p }
        if p.shape.staticDims?.reduce(1, *) == 1, blockSize <= 0 {
            return try reshaped(p, to: [], suffix)
        }
        let rank = try self.rank(of: x, atLeast: 1)
        let a = try self.axis(axis, rank: rank)
        guard blockSize > 0 else {
            guard pRank == 1 else { throw error("\(suffix) must be a scalar or 1-D for per-axis quantization, got shape \(p.shape)") }
            var dims = Array(repeating: 1, count: rank)
            dims[a] = -1
            return try reshaped(p, to: dims, suffix)
        }
        guard pRank == rank else { throw error("\(suffix) of blocked quantization must have x's rank \(rank), got shape \(p.shape)") }
        // [.., nb, ..] → [.., nb, 1, ..] → [.., nb, B, ..] → [.., nb·B, ..] → [.., x.dim(axis), ..]
        let u = try add(Unsqueeze(), [p, i64([a + 1], "\(suffix)/blockAxis")], "\(suffix)/unsqueeze")
        var repeats = Array(repeating: 1, count: rank + 1)
        repeats[a + 1] = blockSize
        let tiled = try add(Tile(), [u, i64(repeats, "\(suffix)/repeats")], "\(suffix)/tile")
        var factor = Array(repeating: 1, count: rank)
        factor[a] = blockSize
        let target: Output
        if let dims = p.shape.staticDims {
            target = try i64(zip(dims, factor).map { $0 * $1 }, "\(suffix)/blockedShape")
        } else {
            target = try add(Multiply(), [add(ShapeOf(), [p], "\(suffix)/shape"), i64(factor, "\(suffix)/factor")], "\(suffix)/blockedShape")
        }
        let blocked = try add(Reshape(specialZero: false), [tiled, target], "\(suffix)/blocked")
        let length: Output
        if let n = x.shape.dims?[a].value {
            if let nb = p.shape.dims?[a].value {
                guard nb == (n + blockSize - 1) / blockSize else {
                    throw error("\(suffix) has \(nb) blocks along axis \(a), but x's \(n) elements there make \((n + blockSize - 1) / blockSize) blocks of \(blockSize)")
                }
                if nb * blockSize == n { return blocked }
            }
            length = try i64([n], "\(suffix)/length")
        } else {
            length = try add(Gather(), [add(ShapeOf(), [x], "\(suffix)/xShape"), i64([a], "\(suffix)/lengthIndex"),
                                        scalarI64(0, "\(suffix)/gatherAxis")], "\(suffix)/length")
        }
        return try add(Slice(), [blocked, i64([0], "\(suffix)/start"), length, i64([1], "\(suffix)/step"), i64([a], "\(suffix)/axes")],
                       "\(suffix)/cut")
    }

    /// `p` reshaped to `dims` (a Const when `p` is one).
    private func reshaped(_ p: Output, to dims: [Int], _ suffix: String) throws -> Output {
        if var t = p.constant, !dims.contains(-1) || t.dims.count == 1 {
            t.dims = dims.map { $0 == -1 ? t.dims.reduce(1, *) : $0 }
            return try constant(t, suffix)
        }
        return try add(Reshape(specialZero: false), [p, i64(dims, "\(suffix)/shape")], suffix)
    }

    /// round_half_to_even(`v`) + `zeroPoint`, clamped to `type`'s range and converted to `type` (an integer
    /// quantized type); computed in f32 (f64 stays f64). The Convert takes the node's name unless `suffix` is given.
    func quantizedInteger(_ v: Output, zeroPoint: Output?, to type: ElementType, _ suffix: String? = nil) throws -> Output {
        guard let range = quantizedIntegerRange(type) else { throw error("\(type) is not an integer quantization type") }
        var y = v
        if y.elementType != .f32 && y.elementType != .f64 { y = try add(Convert(.f32), [y], "quantized/f32") }
        y = try add(Round(mode: .halfToEven), [y], "quantized/round")
        if let zeroPoint {
            let z = zeroPoint.elementType == y.elementType ? zeroPoint : try add(Convert(y.elementType), [zeroPoint], "quantized/zeroPointFloat")
            y = try add(Add(), [y, z], "quantized/shifted")
        }
        y = try add(Clamp(min: range.lowerBound, max: range.upperBound), [y], "quantized/clamped")
        return try add(Convert(type), [y], suffix)
    }
}

extension NodeContext {
    /// (x - zeroPoint) · scale in f32: Convert → Subtract → Multiply, the dequantization the CPU plugin pushes into
    /// an int8 convolution or matrix product. `scale` and `zeroPoint` already broadcast against x.
    func dequantized(_ x: Output, scale: Output, zeroPoint: Output?, _ suffix: String) throws -> Output {
        var y = try add(Convert(.f32), [x], "\(suffix)/float")
        if let zeroPoint { y = try add(Subtract(), [y, add(Convert(.f32), [zeroPoint], "\(suffix)/zeroPointFloat")], "\(suffix)/shifted") }
        let s = scale.elementType == .f32 ? scale : try add(Convert(.f32), [scale], "\(suffix)/scaleFloat")
        return try add(Multiply(), [y, s], suffix)
    }

    /// `y` quantized to `type` with a per-tensor constant scale and zero point as FakeQuantize (ranges
    /// (q_min - zp)·s and (q_max - zp)·s onto [q_min, q_max]) → Convert, the quantize form the CPU plugin runs in
    /// int8; nil when the parameters are not constant scalars.
    func fakeQuantized(_ y: Output, scale: Output, zeroPoint: Output?, to type: ElementType) throws -> Output? {
        guard let range = quantizedIntegerRange(type), let s = scale.constant?.doubleValues(), s.count == 1, s[0] > 0 else { return nil }
        var zp = 0.0
        if let zeroPoint {
            guard let z = zeroPoint.constant?.doubleValues(), z.count == 1 else { return nil }
            zp = z[0]
        }
        let low = try constant(.scalar(f32: Float((range.lowerBound - zp) * s[0])), "inputLow")
        let high = try constant(.scalar(f32: Float((range.upperBound - zp) * s[0])), "inputHigh")
        let outLow = try constant(.scalar(f32: Float(range.lowerBound)), "outputLow")
        let outHigh = try constant(.scalar(f32: Float(range.upperBound)), "outputHigh")
        let levels = Int(range.upperBound - range.lowerBound) + 1
        return try add(Convert(type), [add(FakeQuantize(levels: levels), [y, low, high, outLow, outHigh], "fakeQuantize")])
    }
}

/// The element type that an arithmetic of `a` and `b` runs in, as numpy promotes floats.
private func promotedFloat(_ a: ElementType, _ b: ElementType) -> ElementType {
    if a == b { return a }
    if a == .f64 || b == .f64 { return .f64 }
    return .f32
}

/// QuantizeLinear: y = saturate(round_half_to_even(x / y_scale) + y_zero_point), the type from the zero point,
/// else `output_dtype` (opset 21+), else u8. Float targets: float8 saturate (by default) to their largest value;
/// f4e2m1 adds the zero point before the cast, as the reference does.
private func translateQuantizeLinear(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1), zeroPoint = try ctx.optionalInput(2)
    var type = ElementType.u8
    let outputDtype = ctx.opset >= 21 ? ctx.int("output_dtype", 0) : 0
    if outputDtype != 0 { type = try ctx.elementType(outputDtype) }
    if let zeroPoint {
        if outputDtype != 0, zeroPoint.elementType != type {
            throw ctx.error("output_dtype \(type) differs from the zero point's type \(zeroPoint.elementType)")
        }
        type = zeroPoint.elementType
    }
    let axis = ctx.int("axis", 1), blockSize = ctx.opset >= 21 ? ctx.int("block_size", 0) : 0
    guard blockSize >= 0 else { throw ctx.error("block_size must not be negative, got \(blockSize)") }
    guard x.elementType.isFloatingPoint || x.elementType == .dynamic, x.elementType != .nf4 else {
        throw ctx.error("x must be a float tensor, got \(x.elementType)")
    }

    var computeType = promotedFloat(x.elementType, scale.elementType)
    if let p = ctx.int("precision"), p != 0 { computeType = try ctx.elementType(p) }
    var xc = x, s = try ctx.quantizationParameter(scale, for: x, axis: axis, blockSize: blockSize, "scale")
    if xc.elementType != computeType { xc = try ctx.add(Convert(computeType), [xc], "x/\(computeType)") }
    if s.elementType != computeType { s = try ctx.add(Convert(computeType), [s], "scale/\(computeType)") }
    let scaled = try ctx.add(Divide(), [xc, s], "scaled")
    let zp = try zeroPoint.map { try ctx.quantizationParameter($0, for: x, axis: axis, blockSize: blockSize, "zeroPoint") }

    switch type {
    case _ where quantizedIntegerRange(type) != nil:
        let y = try ctx.quantizedInteger(scaled, zeroPoint: zp, to: type)
        if blockSize == 0, let s = scale.constant, zeroPoint == nil || zeroPoint?.constant != nil {
            ctx.session.quantizedValues[ObjectIdentifier(y.node)] =
                QuantizedValue(x: x, type: type, axis: axis, scale: s, zeroPoint: zeroPoint?.constant)
        }
        return [y]
    case .f8e4m3, .f8e5m2:
        return [try ctx.add(Convert(type), [saturated(ctx, scaled, to: type)])]
    case .f4e2m1:
        // No infinity or NaN in f4e2m1: OpenVINO's Convert, like ml_dtypes, saturates to ±6.
        var v = scaled
        if let zp { v = try ctx.add(Add(), [v, ctx.add(Convert(v.elementType), [zp], "zeroPointFloat")], "shifted") }
        return [try ctx.add(Convert(type), [v])]
    default:
        throw ctx.error("quantizing to \(type) is not supported (u8, i8, u16, i16, u4, i4, u2, f8e4m3, f8e5m2 and f4e2m1 are)")
    }
}

/// DequantizeLinear: y = (x - x_zero_point) · x_scale in f32, then in the scale's type (or `output_dtype`,
/// opset 23+). Float8 and f4e2m1 inputs have no zero point (ONNX requires it to be 0). A constant x stays
/// quantized in the IR (ConstantFolding keeps Convert of 8-bit Consts), which the CPU plugin runs in int8. A
/// QuantizeLinear → DequantizeLinear pair with the same constant parameters becomes one FakeQuantize.
private func translateDequantizeLinear(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), scale = try ctx.input(1), zeroPoint = try ctx.optionalInput(2)
    let axis = ctx.int("axis", 1), blockSize = ctx.opset >= 21 ? ctx.int("block_size", 0) : 0
    guard blockSize >= 0 else { throw ctx.error("block_size must not be negative, got \(blockSize)") }
    guard x.elementType.isInteger || [.f8e4m3, .f8e5m2, .f4e2m1].contains(x.elementType) else {
        throw ctx.error("dequantizing \(x.elementType) is not supported (integer, f8e4m3, f8e5m2 and f4e2m1 inputs are)")
    }
    let outputDtype = ctx.opset >= 23 ? ctx.int("output_dtype", 0) : 0
    let outputType = outputDtype != 0 ? try ctx.elementType(outputDtype) : scale.elementType

    if blockSize == 0, let fused = try fakeQuantize(ctx, x, scale: scale, zeroPoint: zeroPoint, axis: axis, outputType: outputType) {
        return [fused]
    }
    var y = try ctx.add(Convert(.f32), [x], "float")
    if let zeroPoint, x.elementType.isInteger {
        guard zeroPoint.elementType == x.elementType else {
            throw ctx.error("the zero point's type \(zeroPoint.elementType) differs from x's \(x.elementType)")
        }
        let zp = try ctx.quantizationParameter(zeroPoint, for: x, axis: axis, blockSize: blockSize, "zeroPoint")
        y = try ctx.add(Subtract(), [y, ctx.add(Convert(.f32), [zp], "zeroPointFloat")], "shifted")
    }
    var s = try ctx.quantizationParameter(scale, for: x, axis: axis, blockSize: blockSize, "scale")
    if s.elementType != .f32 { s = try ctx.add(Convert(.f32), [s], "scaleFloat") }
    if outputType == .f32 { return [try ctx.add(Multiply(), [y, s])] }
    return [try ctx.add(Convert(outputType), [ctx.add(Multiply(), [y, s], "scaled")])]
}

/// A QuantizeLinear result with constant parameters (per tensor or per axis) and what it quantized.
struct QuantizedValue {
    let x: Output
    let type: ElementType
    let axis: Int
    let scale: Tensor
    let zeroPoint: Tensor?
}

/// QuantizeLinear → DequantizeLinear with the same constant parameters as one FakeQuantize (what the OpenVINO CPU
/// plugin runs in int8), or nil when `x` is no such QuantizeLinear result. The ranges are
/// [(q_min - zero point) · scale, (q_max - zero point) · scale] on both sides with q_max - q_min + 1 levels. It
/// rounds x / scale + (zero point - q_min) where ONNX rounds x / scale and adds the zero point: only exact
/// halves can differ, when the zero point's offset from q_min is odd (OpenVINO's own ONNX frontend does the same).
private func fakeQuantize(_ ctx: NodeContext, _ x: Output, scale: Output, zeroPoint: Output?, axis: Int,
                          outputType: ElementType) throws -> Output? {
    guard x.index == 0, let q = ctx.session.quantizedValues[ObjectIdentifier(x.node)], q.axis == axis || q.scale.dims.reduce(1, *) == 1,
          let range = quantizedIntegerRange(q.type),
          let s = scale.constant, s.dims == q.scale.dims, s.doubleValues() == q.scale.doubleValues(),
          zeroPoint?.constant?.dims == q.zeroPoint?.dims, zeroPoint?.constant?.doubleValues() == q.zeroPoint?.doubleValues(),
          q.x.elementType.isFloatingPoint, let scales = s.doubleValues()
    else { return nil }
    let zeroPoints = q.zeroPoint?.doubleValues() ?? [0]
    guard zeroPoints.count == scales.count || zeroPoints.count == 1 || scales.count == 1 else { return nil }
    let count = max(scales.count, zeroPoints.count)
    func at(_ a: [Double], _ i: Int) -> Double { a.count == 1 ? a[0] : a[i] }
    let low = (0..<count).map { Float((range.lowerBound - at(zeroPoints, $0)) * at(scales, $0)) }
    let high = (0..<count).map { Float((range.upperBound - at(zeroPoints, $0)) * at(scales, $0)) }
    guard zip(low, high).allSatisfy({ $0 < $1 }) else { return nil }
    // Shaped as the parameters broadcast against x: a scalar, or [1, .., C, .., 1] along the axis.
    let shapeSource = scales.count >= zeroPoints.count ? scale : zeroPoint!
    let shaped = try ctx.quantizationParameter(shapeSource, for: q.x, axis: axis, blockSize: 0, "fakeQuantize/shape")
    guard let dims = shaped.shape.staticDims else { return nil }
    let il = try ctx.floatConstant(low, dims: dims, like: q.x, "inputLow")
    let ih = try ctx.floatConstant(high, dims: dims, like: q.x, "inputHigh")
    let levels = Int(range.upperBound - range.lowerBound) + 1
    if q.x.elementType == outputType { return try ctx.add(FakeQuantize(levels: levels), [q.x, il, ih, il, ih]) }
    return try ctx.add(Convert(outputType), [ctx.add(FakeQuantize(levels: levels), [q.x, il, ih, il, ih], "fakeQuantize")])
}

/// DynamicQuantizeLinear: u8 with scale = (max(0, max x) - min(0, min x)) / 255 (1/255 when both are 0) and
/// zero point round(clamp(-min / scale, 0, 255)); outputs y, y_scale and y_zero_point.
private func translateDynamicQuantizeLinear(_ ctx: NodeContext) throws -> [Output] {
    var x = try ctx.input(0)
    if x.elementType != .f32 { x = try ctx.add(Convert(.f32), [x], "xFloat") }
    guard let rank = x.shape.rank else { throw ctx.error("x's rank must be known") }
    let axes = try ctx.i64(Array(0..<rank), "axes")
    let zero = try ctx.constant(.scalar(f32: 0), "zero")
    let high = try ctx.add(Maximum(), [ctx.add(ReduceMax(keepDims: false), [x, axes], "max"), zero], "high")
    let low = try ctx.add(Minimum(), [ctx.add(ReduceMin(keepDims: false), [x, axes], "min"), zero], "low")
    let range = try ctx.add(Subtract(), [high, low], "range")
    let span = try ctx.add(Select(), [ctx.add(Equal(), [high, low], "empty"), ctx.constant(.scalar(f32: 1), "one"), range], "span")
    let scale = try ctx.add(Divide(), [span, ctx.constant(.scalar(f32: 255), "levels")], "y_scale")
    let initial = try ctx.add(Divide(), [ctx.add(Negative(), [low], "minusLow"), scale], "initialZeroPoint")
    let zpFloat = try ctx.add(Round(mode: .halfToEven), [ctx.add(Clamp(min: 0, max: 255), [initial], "zeroPointClamped")], "zeroPointRounded")
    let zp = try ctx.add(Convert(.u8), [zpFloat], "y_zero_point")
    let y = try ctx.quantizedInteger(ctx.add(Divide(), [x, scale], "scaled"), zeroPoint: zpFloat, to: .u8)
    return [y, scale, zp]
}
