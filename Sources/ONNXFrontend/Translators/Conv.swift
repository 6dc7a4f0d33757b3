import OVIR

// Convolutions: Conv and ConvTranspose (grouped, depthwise, 1-D to 3-D, with optional bias), and the integer
// and quantized ConvInteger and QLinearConv.
extension TranslatorTable {
    static let conv: [TranslatorEntry] = [
        TranslatorEntry("Conv", translateConv),
        TranslatorEntry("ConvTranspose", translateConvTranspose),
        TranslatorEntry("ConvInteger", since: 10, translateConvInteger),
        TranslatorEntry("QLinearConv", since: 10, translateQLinearConv),
        TranslatorEntry("CausalConvWithState", since: 27, translateCausalConvWithState),
        TranslatorEntry("DeformConv", since: 19, translateDeformConv),
    ]
}

/// The sliding-window attributes shared by convolutions and pooling.
struct WindowAttributes {
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var autoPad: PadType

    /// Reads `strides`, `dilations`, `pads` and `auto_pad` for `n` spatial dims (defaults: 1s and 0s).
    init(_ ctx: NodeContext, spatial n: Int) throws {
        strides = ctx.ints("strides") ?? Array(repeating: 1, count: n)
        dilations = ctx.ints("dilations") ?? Array(repeating: 1, count: n)
        let pads = ctx.ints("pads") ?? Array(repeating: 0, count: 2 * n)
        guard strides.count == n, dilations.count == n, pads.count == 2 * n else {
            throw ctx.error("strides, dilations and pads must have \(n), \(n) and \(2 * n) values")
        }
        guard strides.allSatisfy({ $0 > 0 && $0 <= 1 << 31 }), dilations.allSatisfy({ $0 > 0 && $0 <= 1 << 31 }) else {
            throw ctx.error("strides \(strides) and dilations \(dilations) must be positive (and below 2³¹)")
        }
        guard pads.allSatisfy({ abs($0) <= 1 << 31 }) else { throw ctx.error("pads \(pads) are out of range") }
        padsBegin = Array(pads[..<n])
        padsEnd = Array(pads[n...])
        switch ctx.string("auto_pad", "NOTSET") {
        case "NOTSET", "": autoPad = .explicit
        case "SAME_UPPER": autoPad = .sameUpper
        case "SAME_LOWER": autoPad = .sameLower
        case "VALID": autoPad = .valid
        case let other: throw ctx.error("unknown auto_pad '\(other)'")
        }
        // OpenVINO ignores pads for automatic padding; write zeros as its serializer does.
        if autoPad != .explicit {
            padsBegin = Array(repeating: 0, count: n)
            padsEnd = Array(repeating: 0, count: n)
        }
    }
}

extension NodeContext {
    /// The number of spatial dims (at least 1) of a convolution-like node: from `kernel_shape`, the weights or
    /// the data, which must agree with it and have rank 3 or more.
    func spatialRank(data: Output, weights: Output?) throws -> Int {
        for (x, what) in [(data, "data"), (weights, "weights")] {
            if let r = x?.shape.rank, r < 3 { throw error("\(what) must have rank 3 or more (N, C, spatial...), got rank \(r)") }
        }
        let n: Int
        if let k = ints("kernel_shape") {
            n = k.count
            guard k.allSatisfy({ $0 > 0 && $0 <= 1 << 31 }) else { throw error("kernel_shape \(k) must be positive (and below 2³¹)") }
        } else if let r = weights?.shape.rank ?? data.shape.rank {
            n = r - 2
        } else {
            throw error("the number of spatial dims is unknown (no kernel_shape and dynamic ranks)")
        }
        guard n >= 1 else { throw error("kernel_shape must have at least one value") }
        for (x, what) in [(data, "data"), (weights, "weights")] {
            if let r = x?.shape.rank, r != n + 2 { throw error("\(what) rank \(r) does not match \(n) spatial dims") }
        }
        return n
    }

    /// The `group` attribute (default 1), which must be positive.
    func groups(_ name: String = "group") throws -> Int {
        let g = int(name, 1)
        guard g > 0 else { throw error("\(name) must be positive, got \(g)") }
        return g
    }

    /// Reshapes ONNX `[G·A, B, k...]` weights to OpenVINO's grouped `[G, A, B, k...]`.
    func groupedWeights(_ w: Output, groups: Int) throws -> Output {
        if let dims = w.shape.staticDims {
            guard dims[0] % groups == 0 else { throw error("weights dim 0 (\(dims[0])) is not divisible by group \(groups)") }
            let target = [groups, dims[0] / groups] + dims[1...]
            if let t = w.constant {
                var reshaped = t
                reshaped.dims = target
                return try constant(reshaped, "weights")
            }
            return try add(Reshape(specialZero: false), [w, i64(target, "weightsShape")], "weights")
        }
        let shape = try add(ShapeOf(), [w], "weightsShapeOf")
        let tail = try add(Slice(), [shape, i64([1], "one"), i64([Int.max], "end"), i64([1], "step")], "weightsTail")
        let target = try add(Concat(axis: 0), [i64([groups, -1], "groupsShape"), tail], "weightsShape")
        return try add(Reshape(specialZero: false), [w, target], "weights")
    }
}

/// Conv: Convolution, or GroupConvolution when `group` > 1; bias as a separate Add.
private func translateConv(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), w = try ctx.input(1), bias = try ctx.optionalInput(2)
    let n = try ctx.spatialRank(data: x, weights: w)
    guard let bias else { return [try convolution(ctx, x, w, spatial: n, nil)] }
    let y = try convolution(ctx, x, w, spatial: n, "conv")
    return [try ctx.addChannelBias(y, bias, spatial: n)]
}

/// The Convolution or GroupConvolution of a Conv-like node's attributes.
private func convolution(_ ctx: NodeContext, _ x: Output, _ w: Output, spatial n: Int, _ suffix: String?) throws -> Output {
    let a = try WindowAttributes(ctx, spatial: n)
    let groups = try ctx.groups()
    let op: any Op = groups == 1
        ? Convolution(strides: a.strides, dilations: a.dilations, padsBegin: a.padsBegin, padsEnd: a.padsEnd, autoPad: a.autoPad)
        : GroupConvolution(strides: a.strides, dilations: a.dilations, padsBegin: a.padsBegin, padsEnd: a.padsEnd, autoPad: a.autoPad)
    let filters = groups == 1 ? w : try ctx.groupedWeights(w, groups: groups)
    return try ctx.add(op, [x, filters], suffix)
}

/// ConvInteger: (x - x_zero_point) ⊛ (w - w_zero_point) in f32 (exact below 2²⁴), converted to i32.
private func translateConvInteger(_ ctx: NodeContext) throws -> [Output] {
    let y = try integerConvolution(ctx, x: ctx.input(0), xZeroPoint: ctx.optionalInput(2), w: ctx.input(1), wZeroPoint: ctx.optionalInput(3))
    return [try ctx.add(Convert(.i32), [y])]
}

/// (x - x_zero_point) ⊛ (w - w_zero_point) in f32 with the node's convolution attributes; a 1-D w zero point is
/// per output channel.
private func integerConvolution(_ ctx: NodeContext, x: Output, xZeroPoint: Output?, w: Output, wZeroPoint: Output?) throws -> Output {
    var xf = try ctx.add(Convert(.f32), [x], "xFloat")
    var wf = try ctx.add(Convert(.f32), [w], "wFloat")
    let n = try ctx.spatialRank(data: xf, weights: wf)
    if let zp = xZeroPoint {
        xf = try ctx.add(Subtract(), [xf, ctx.add(Convert(.f32), [zp], "xZeroPoint")], "xShifted")
    }
    if let zp = wZeroPoint {
        var z = try ctx.add(Convert(.f32), [zp], "wZeroPoint")
        if zp.shape.rank == 1 {  // per output channel
            z = try ctx.add(Reshape(specialZero: false), [z, ctx.i64([-1] + Array(repeating: 1, count: n + 1), "wZeroPointShape")], "wZeroPointChannels")
        }
        wf = try ctx.add(Subtract(), [wf, z], "wShifted")
    }
    return try convolution(ctx, xf, wf, spatial: n, "conv")
}

/// QLinearConv. With constant per-tensor output parameters, in the QDQ form that the OpenVINO CPU plugin runs as an
/// int8 convolution: dequantized x and w (w per output channel when its scale or zero point is 1-D), the float
/// convolution plus bias · x_scale · w_scale, quantized by FakeQuantize. Otherwise as the ONNX reference computes
/// it: the integer convolution (plus the i32 bias) times x_scale · w_scale / y_scale, plus y_zero_point, rounded
/// half to even and saturated to the output type (y_zero_point's, else x's).
private func translateQLinearConv(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), w = try ctx.input(3), xScale = try ctx.input(1), yScale = try ctx.input(6)
    let yZeroPoint = try ctx.optionalInput(7), type = yZeroPoint?.elementType ?? x.elementType
    guard let rank = x.shape.rank else { throw ctx.error("the rank of x must be known") }
    func perChannel(_ p: Output, _ suffix: String) throws -> Output {
        guard p.shape.rank == 1, p.shape.staticDims != [1] else { return p }
        let dims = [-1] + Array(repeating: 1, count: rank - 1)  // [C] → [C, 1, 1, ...] along the output channels
        if var t = p.constant {
            t.dims = [t.dims[0]] + dims.dropFirst()
            return try ctx.constant(t, suffix)
        }
        return try ctx.add(Reshape(specialZero: false), [p, ctx.i64(dims, "\(suffix)/shape")], suffix)
    }
    var wScale = try ctx.input(4)
    if quantizedIntegerRange(type) != nil, yScale.constant != nil, yZeroPoint == nil || yZeroPoint?.constant != nil {
        let xd = try ctx.dequantized(x, scale: xScale, zeroPoint: ctx.optionalInput(2), "xDequantized")
        let wd = try ctx.dequantized(w, scale: perChannel(wScale, "wScaleChannels"),
                                     zeroPoint: ctx.optionalInput(5).map { try perChannel($0, "wZeroPointChannels") }, "wDequantized")
        let n = try ctx.spatialRank(data: xd, weights: wd)
        var y = try convolution(ctx, xd, wd, spatial: n, "conv")
        if let bias = try ctx.optionalInput(8) {
            let s = try ctx.add(Multiply(), [xScale, wScale], "biasScale")
            let b = try ctx.add(Multiply(), [ctx.add(Convert(.f32), [bias], "biasFloat"), ctx.add(Convert(.f32), [s], "biasScaleFloat")], "biasDequantized")
            y = try ctx.add(Add(), [y, ctx.channelVector(b, rank: rank, "bias")], "biased")
        }
        if let q = try ctx.fakeQuantized(y, scale: yScale, zeroPoint: yZeroPoint, to: type) { return [q] }
    }
    var y = try integerConvolution(ctx, x: x, xZeroPoint: ctx.optionalInput(2), w: w, wZeroPoint: ctx.optionalInput(5))
    if let bias = try ctx.optionalInput(8) {
        y = try ctx.add(Add(), [y, ctx.channelVector(ctx.add(Convert(.f32), [bias], "biasFloat"), rank: rank, "bias")], "biased")
    }
    if wScale.shape.rank == 1, wScale.shape.staticDims != [1] { wScale = try ctx.channelVector(wScale, rank: rank, "wScaleChannels") }
    let factor = try ctx.add(Divide(), [ctx.add(Multiply(), [xScale, wScale], "scaleProduct"), yScale], "factor")
    let scaled = try ctx.add(Multiply(), [y, ctx.add(Convert(.f32), [factor], "factorFloat")], "requantized")
    return [try ctx.quantizedInteger(scaled, zeroPoint: yZeroPoint, to: type)]
}

/// CausalConvWithState: depthwise 1-D convolution over [past_state (or k-1 zeros), input], optional
/// bias and SiLU; present_state is the last k-1 positions of that concatenation.
private func translateCausalConvWithState(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), w = try ctx.input(1)
    guard let k = w.shape.dims?.last?.value, k > 0 else { throw ctx.error("the kernel size must be static and positive") }
    let padded: Output
    if let past = try ctx.optionalInput(3) {
        padded = try ctx.add(Concat(axis: 2), [past, x], "padded")
    } else {
        padded = try ctx.add(Pad(mode: .constant), [x, ctx.i64([0, 0, k - 1], "padsBegin"), ctx.i64([0, 0, 0], "padsEnd")], "padded")
    }
    let filters = try ctx.add(Unsqueeze(), [w, ctx.i64([1], "groupAxis")], "filters")
    let conv = GroupConvolution(strides: [1], dilations: [1], padsBegin: [0], padsEnd: [0])
    let activation = ctx.string("activation", "none")
    guard ["none", "silu", "swish"].contains(activation) else { throw ctx.error("unknown activation '\(activation)'") }
    let bias = try ctx.optionalInput(2)
    var y = try ctx.add(conv, [padded, filters], bias == nil && activation == "none" ? nil : "conv")
    if let bias {
        let b = try ctx.add(Reshape(specialZero: false), [bias, ctx.i64([1, -1, 1], "biasShape")], "bias")
        y = try ctx.add(Add(), [y, b], activation == "none" ? nil : "biased")
    }
    if activation != "none" { y = try ctx.add(Swish(), [y]) }
    guard ctx.hasOutput(1) else { return [y] }
    // k = 1 keeps no state: slicing from past the end gives an empty tensor.
    let start = k == 1 ? Int.max : -(k - 1)
    let state = try ctx.add(Slice(), [padded, ctx.i64([start], "stateStart"), ctx.i64([Int.max], "stateEnd"),
                                      ctx.i64([1], "stateStep"), ctx.i64([2], "stateAxis")], "presentState")
    return [y, state]
}

/// DeformConv (2-D) → DeformableConvolution-8; offsets and mask share ONNX's layout; bias as an Add.
private func translateDeformConv(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), w = try ctx.input(1), offset = try ctx.input(2)
    let bias = try ctx.optionalInput(3), mask = try ctx.optionalInput(4)
    let n = try ctx.spatialRank(data: x, weights: w)
    guard n == 2 else { throw ctx.error("only 2-D deformable convolution is supported") }
    let a = try WindowAttributes(ctx, spatial: n)
    var op = DeformableConvolution()
    (op.strides, op.dilations, op.padsBegin, op.padsEnd) = (a.strides, a.dilations, a.padsBegin, a.padsEnd)
    op.group = try ctx.groups()
    op.deformableGroup = try ctx.groups("offset_group")
    op.bilinearInterpolationPad = true
    let inputs = [x, offset, w] + (mask.map { [$0] } ?? [])
    guard let bias else { return [try ctx.add(op, inputs)] }
    return [try ctx.addChannelBias(try ctx.add(op, inputs, "conv"), bias, spatial: n)]
}

/// ConvTranspose: (Group)ConvolutionBackpropData. Pads implied by `output_shape` or SAME auto_pad are
/// computed here as ONNX defines them when the input's spatial dims are static.
private func translateConvTranspose(_ ctx: NodeContext) throws -> [Output] {
    let x = try ctx.input(0), w = try ctx.input(1), bias = try ctx.optionalInput(2)
    let n = try ctx.spatialRank(data: x, weights: w)
    var a = try WindowAttributes(ctx, spatial: n)
    let groups = try ctx.groups()
    var outputPadding = ctx.ints("output_padding") ?? Array(repeating: 0, count: n)
    guard outputPadding.count == n, outputPadding.allSatisfy({ abs($0) <= 1 << 31 }) else {
        throw ctx.error("output_padding must have \(n) values")
    }
    let kernel: [Int?] = ctx.ints("kernel_shape") ?? (w.shape.dims.map { $0.dropFirst(2).map(\.value) } ?? Array(repeating: nil, count: n))
    let outputShape = ctx.ints("output_shape").map { Array($0.suffix(n)) }
    if let s = ctx.ints("output_shape"), s.count != n && s.count != n + 2 || s.contains(where: { $0 < 0 || $0 > 1 << 31 }) {
        throw ctx.error("output_shape \(s) must have \(n) values (or \(n + 2) with N and C), none negative")
    }
    let autoSame = a.autoPad == .sameUpper || a.autoPad == .sameLower
    var extraInputs: [Output] = []
    if outputShape != nil || autoSame {
        let spatial = x.shape.dims.map { $0.dropFirst(2).map(\.value) }
        if let spatial, spatial.count == n, spatial.allSatisfy({ $0 != nil }), kernel.allSatisfy({ $0 != nil }) {
            // total = s·(in-1) + output_padding + dilated kernel - out, split as ONNX says.
            for i in 0..<n {
                let input = spatial[i]!, k = kernel[i]!
                let out = outputShape?[i] ?? input * a.strides[i]
                let total = a.strides[i] * (input - 1) + outputPadding[i] + (k - 1) * a.dilations[i] + 1 - out
                let half = total >= 0 ? total / 2 : -((-total + 1) / 2)  // floor division
                (a.padsBegin[i], a.padsEnd[i]) = a.autoPad == .sameUpper ? (half, total - half) : (total - half, half)
                // A negative end pad grows the output at the end, which output_padding does too.
                if a.padsEnd[i] < 0 { outputPadding[i] -= a.padsEnd[i]; a.padsEnd[i] = 0 }
            }
            a.autoPad = .explicit
        } else {
            // OpenVINO puts the larger half first for same_upper: the mirror of ONNX.
            a.autoPad = a.autoPad == .sameUpper ? .sameLower : .sameUpper
            if let outputShape {
                extraInputs = [try ctx.i64(outputShape, "outputShape")]
            } else {
                let shape = try ctx.add(ShapeOf(), [x], "shapeOf")
                let inSpatial = try ctx.add(Slice(), [shape, ctx.i64([2], "two"), ctx.i64([Int.max], "end"), ctx.i64([1], "step")], "spatial")
                extraInputs = [try ctx.add(Multiply(), [inSpatial, ctx.i64(a.strides, "strides")], "outputShape")]
            }
        }
    }
    let op: any Op = groups == 1
        ? ConvolutionBackpropData(strides: a.strides, dilations: a.dilations, padsBegin: a.padsBegin, padsEnd: a.padsEnd,
                                  autoPad: a.autoPad, outputPadding: outputPadding)
        : GroupConvolutionBackpropData(strides: a.strides, dilations: a.dilations, padsBegin: a.padsBegin, padsEnd: a.padsEnd,
                                       autoPad: a.autoPad, outputPadding: outputPadding)
    let filters = groups == 1 ? w : try ctx.groupedWeights(w, groups: groups)
    guard let bias else { return [try ctx.add(op, [x, filters] + extraInputs)] }
    let y = try ctx.add(op, [x, filters] + extraInputs, "convTranspose")
    return [try ctx.addChannelBias(y, bias, spatial: n)]
}
