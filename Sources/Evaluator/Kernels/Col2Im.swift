import OVIR

// Col2Im-15 as OpenVINO's reference computes it: column (c·kh + i)·kw + j of data holds, for each block position
// (by, bx) of the padded image, the pixel (by·stride_h - pad_h + i·dilation_h, bx·stride_w - pad_w + j·dilation_w) of
// channel c; pixels inside the image are summed (column by column, positions row-major), the padding is dropped.

let col2ImKernels: [String: Kernel] = [
    Col2Im.type: col2Im,
]

private func col2Im(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Col2Im.self)
    let outDims = try ctx.outputDims0()
    let size = try ctx.inputs[1].ints("output_size"), kernel = try ctx.inputs[2].ints("kernel_size")
    let input = ctx.inputs[0]
    let batched = input.dims.count == 3
    let batches = batched ? outDims[0] : 1, channels = outDims[batched ? 1 : 0]
    let (h, w) = (size[0], size[1])
    /// The block positions along axis `i` (type inference has checked that the kernel fits).
    func blocks(_ i: Int) -> Int {
        (size[i] + op.padsBegin[i] + op.padsEnd[i] - op.dilations[i] * (kernel[i] - 1) - 1) / op.strides[i] + 1
    }
    let (blocksH, blocksW) = (blocks(0), blocks(1))
    let columns = channels * kernel[0] * kernel[1]
    func fold<T>(_ data: [T], _ zero: T, _ add: (T, T) -> T) -> [T] {
        var out = [T](repeating: zero, count: batches * channels * h * w)
        for b in 0..<batches {
            for column in 0..<columns {
                let j = column % kernel[1], i = column / kernel[1] % kernel[0], c = column / (kernel[0] * kernel[1])
                let image = (b * channels + c) * h * w, source = (b * columns + column) * blocksH * blocksW
                for by in 0..<blocksH {
                    let y = by * op.strides[0] - op.padsBegin[0] + i * op.dilations[0]
                    guard y >= 0, y < h else { continue }
                    for bx in 0..<blocksW {
                        let x = bx * op.strides[1] - op.padsBegin[1] + j * op.dilations[1]
                        guard x >= 0, x < w else { continue }
                        out[image + y * w + x] = add(out[image + y * w + x], data[source + by * blocksW + bx])
                    }
                }
            }
        }
        return out
    }
    // Integers sum in Int128 and wrap to the element type, as OpenVINO's reference sums in the type itself.
    if input.elementType.isIntegral {
        return [Tensor(input.elementType, dims: outDims, wrapping: fold(try input.integers("data"), 0, &+))]
    }
    return [Tensor(.f32, dims: outDims, values: fold(try input.floats("data"), 0, +))]
}
