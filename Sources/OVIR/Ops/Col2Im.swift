/// Sums sliding blocks back into an image (the inverse of im2col, overlapping values added): `data`
/// `[N, C·kh·kw, L]` (or unbatched `[C·kh·kw, L]`), `output_size` `[H, W]` and `kernel_size` `[kh, kw]` (i32 or i64)
/// give `[N, C, H, W]` (or `[C, H, W]`), L being the number of block positions the attributes allow in the padded image.
public struct Col2Im: Op {
    public static let type = "Col2Im"
    public static let version = "opset15"
    public var strides = [1, 1]
    public var dilations = [1, 1]
    public var padsBegin = [0, 0]
    public var padsEnd = [0, 0]
    public static var fields: [AttributeField<Self>] {
        [.init("strides", \.strides), .init("dilations", \.dilations), .init("pads_begin", \.padsBegin), .init("pads_end", \.padsEnd)]
    }
    public init() {}
    public init(strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int]) {
        (self.strides, self.dilations, self.padsBegin, self.padsEnd) = (strides, dilations, padsBegin, padsEnd)
    }

    /// Bounds every size so that the block arithmetic cannot overflow.
    public static let limit = Int(Int32.max)

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...3)
        for (name, values, range) in [("strides", strides, 1...Self.limit), ("dilations", dilations, 1...Self.limit),
                                      ("pads_begin", padsBegin, 0...Self.limit), ("pads_end", padsEnd, 0...Self.limit)] {
            guard values.count == 2, values.allSatisfy(range.contains) else {
                throw ShapeInference.Failure("\(name) must hold 2 values of at least \(range.lowerBound), got \(values)")
            }
        }
        let data = inputs[0], outputSize = inputs[1], kernelSize = inputs[2]
        for (name, input) in [("output_size", outputSize), ("kernel_size", kernelSize)] {
            guard [.i32, .i64, .dynamic].contains(input.elementType) else {
                throw ShapeInference.Failure("\(name) must be i32 or i64, got \(input.elementType)")
            }
            if let d = input.shape.dims, d.count != 1 || !d[0].isCompatible(with: .fixed(2)) {
                throw ShapeInference.Failure("\(name) must be 1-D of shape [2], got \(input.shape)")
            }
        }
        guard let d = data.shape.dims else { return [TensorType(data.elementType, .dynamicRank)] }
        guard d.count == 2 || d.count == 3 else {
            throw ShapeInference.Failure("data must be [N, C·kh·kw, L] or unbatched [C·kh·kw, L], got \(data.shape)")
        }
        let batched = d.count == 3
        let (columns, blocks) = (d[batched ? 1 : 0], d[batched ? 2 : 1])

        var channels = Dim.dynamic
        let kernel = kernelSize.intValues
        if let kernel {
            guard kernel.count == 2, kernel.allSatisfy((1...Self.limit).contains) else {
                throw ShapeInference.Failure("kernel_size must hold 2 positive values, got \(kernel)")
            }
            if let c = columns.value {
                guard c % (kernel[0] * kernel[1]) == 0 else {
                    throw ShapeInference.Failure("data's \(c) columns are not a multiple of the kernel's \(kernel[0])×\(kernel[1]) elements")
                }
                channels = .fixed(c / (kernel[0] * kernel[1]))
            }
        }
        var spatial = [Dim.dynamic, .dynamic]
        if let value = outputSize.value, value.count == 2 {
            spatial = value.map(ShapeInference.size)
            if let size = ShapeInference.exactValues(value) {
                guard size.allSatisfy((0...Self.limit).contains) else {
                    throw ShapeInference.Failure("output_size must hold 2 sizes, got \(size)")
                }
                if let kernel {
                    var expected = 1
                    for i in 0..<2 {
                        let n = try ShapeInference.window(.fixed(size[i]), kernel: kernel[i], stride: strides[i], dilation: dilations[i],
                                                          padBegin: padsBegin[i], padEnd: padsEnd[i])
                        let (product, overflow) = expected.multipliedReportingOverflow(by: n.value!)
                        guard !overflow else { throw ShapeInference.Failure("an image of \(size) with kernel \(kernel) has too many blocks") }
                        expected = product
                    }
                    if let l = blocks.value, l != expected {
                        throw ShapeInference.Failure("data holds \(l) blocks, but an image of \(size) with kernel \(kernel) has \(expected)")
                    }
                }
            }
        }
        return [TensorType(data.elementType, .ranked((batched ? [d[0]] : []) + [channels] + spatial))]
    }
}
