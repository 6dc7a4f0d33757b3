import OVIR

// Helpers shared by several translator families.

extension Double {
    /// An ONNX float attribute as the double it spells (1e-05, not 9.99999974e-06).
    init(onnx value: Float) { self = Double("\(value)") ?? Double(value) }
}

extension NodeContext {
    /// An f32 Const converted to the element type of `x` when that differs (at load time when it is unknown).
    func floatConstant(_ values: [Float], dims: [Int], like x: Output, _ suffix: String) throws -> Output {
        let c = try constant(.f32(values, dims: dims), suffix)
        switch x.elementType {
        case .f32: return c
        case .dynamic: return try add(ConvertLike(), [c, x], "\(suffix)Like")
        case let t: return try add(Convert(t), [c], "\(suffix)Cast")
        }
    }

    /// A scalar Const of `value` in the element type of `x`.
    func scalar(_ value: Float, like x: Output, _ suffix: String) throws -> Output {
        try floatConstant([value], dims: [], like: x, suffix)
    }

    /// The element type for an ONNX data type number (Cast `to`).
    func elementType(_ dataType: Int) throws -> ElementType {
        guard let t = ONNXElementType.elementType(Int32(truncatingIfNeeded: dataType)) else {
            throw error("element type \(ONNXElementType.name(Int32(truncatingIfNeeded: dataType))) is not supported by OpenVINO")
        }
        return t
    }

    /// The rank of `x`, which must be known and at least `minimum` (`what` names the input in the error).
    func rank(of x: Output, atLeast minimum: Int, _ what: String = "input") throws -> Int {
        guard let r = x.shape.rank else { throw error("\(what) rank must be known") }
        guard r >= minimum else { throw error("\(what) must have rank \(minimum) or more, got rank \(r)") }
        return r
    }

    /// `axis` resolved against `rank` (negative counts from the end); `inclusive` also allows `rank` itself,
    /// as Flatten's axis does.
    func axis(_ axis: Int, rank: Int, inclusive: Bool = false) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, inclusive ? a <= rank : a < rank else { throw error("axis \(axis) is out of range for rank \(rank)") }
        return a
    }

    /// The axes `[from, rank)` of `x` as an i64 Const (`from` may be negative).
    func trailingAxes(_ x: Output, from axis: Int, _ suffix: String = "axes") throws -> (Output, [Int]) {
        guard let rank = x.shape.rank else { throw error("input rank must be known") }
        let a = try self.axis(axis, rank: rank, inclusive: true)
        let axes = Array(a..<rank)
        return (try i64(axes, suffix), axes)
    }

    /// The spatial axes `[2, rank)` of an `[N, C, spatial...]` input.
    func spatialAxes(_ x: Output) throws -> Output {
        try i64(Array(2..<rank(of: x, atLeast: 2)), "axes")
    }

    /// `[C]` → `[1, C, 1...]` for an `[N, C, spatial...]` tensor of rank `rank` (Const folded when constant).
    func channelVector(_ v: Output, rank: Int, _ suffix: String) throws -> Output {
        guard rank >= 2 else { throw error("input must have rank 2 or more (N, C, ...), got rank \(rank)") }
        let ones = Array(repeating: 1, count: rank - 2)
        if let t = v.constant, t.dims.count == 1 {
            var reshaped = t
            reshaped.dims = [1, t.dims[0]] + ones
            return try constant(reshaped, suffix)
        }
        return try add(Reshape(specialZero: false), [v, i64([1, -1] + ones, "\(suffix)Shape")], suffix)
    }

    /// Adds a per-channel bias `[C]` to `[N, C, spatial...]` (`n` spatial dims); the Add takes the node's name.
    func addChannelBias(_ y: Output, _ bias: Output, spatial n: Int) throws -> Output {
        try add(Add(), [y, channelVector(bias, rank: n + 2, "bias")])
    }

    /// ONNX's scatter `reduction` attribute (ScatterElements, ScatterND) as OpenVINO's enum of the same spellings.
    func scatterReduction<R: RawRepresentable>() throws -> R where R.RawValue == String {
        let onnx = string("reduction", "none")
        let names = ["none": "none", "add": "sum", "mul": "prod", "max": "max", "min": "min"]
        guard let name = names[onnx], let r = R(rawValue: name) else { throw error("reduction '\(onnx)' is not supported") }
        return r
    }

    /// `b` aligned with `a` for the binary ops' `broadcast`/`axis` attributes before opset 7: with broadcast=1,
    /// b's dims match a's from `axis` (default: the trailing ones), so b gets trailing 1s up to a's rank;
    /// with broadcast=0 the shapes must be equal.
    func legacyBroadcast(_ a: Output, _ b: Output) throws -> Output {
        guard opset < 7 else { return b }
        guard int("broadcast", 0) != 0 else {
            if let ra = a.shape.rank, let rb = b.shape.rank, let da = a.shape.dims, let db = b.shape.dims,
               ra != rb || zip(da, db).contains(where: { x, y in x.value != nil && y.value != nil && x.value != y.value }) {
                throw error("inputs have shapes \(a.shape) and \(b.shape); broadcast=0 needs equal shapes")
            }
            return b
        }
        guard let axisAttribute = int("axis") else { return b }  // trailing alignment is numpy's too
        guard let ra = a.shape.rank, let rb = b.shape.rank else { throw error("broadcast with 'axis' needs the input ranks") }
        let axis = axisAttribute < 0 ? axisAttribute + ra : axisAttribute
        guard axis >= 0, axis + rb <= ra else {
            throw error("broadcast axis \(axisAttribute) does not fit B of rank \(rb) into A of rank \(ra)")
        }
        if let da = a.shape.dims, let db = b.shape.dims {
            for (k, d) in db.enumerated() {
                if let bv = d.value, let av = da[axis + k].value, bv != av, bv != 1 {
                    throw error("B dim \(k) (\(bv)) does not match A dim \(axis + k) (\(av)) for broadcast axis \(axisAttribute)")
                }
            }
        }
        let trailing = ra - axis - rb
        guard trailing > 0 else { return b }
        return try add(Unsqueeze(), [b, i64(Array(rb..<(rb + trailing)), "broadcastAxes")], "broadcastB")
    }
}
