import Foundation
import OVIR

// Convolution, GroupConvolution and DeformableConvolution-8: per batch item the windows become columns
// (im2col; a pointwise window reads the image as is), then one sgemm per group; depthwise convolutions
// accumulate each tap's shifted input instead.
// ConvolutionBackpropData and GroupConvolutionBackpropData: the transpose, one sgemm per group into columns,
// then the columns are added back onto the output image (col2im).

let convolutionKernels: [String: Kernel] = [
    Convolution.type: { ctx in try convolution(ctx, try ctx.op(Convolution.self)) },
    GroupConvolution.type: { ctx in try convolution(ctx, try ctx.op(GroupConvolution.self)) },
    ConvolutionBackpropData.type: { ctx in try transposedConvolution(ctx, try ctx.op(ConvolutionBackpropData.self)) },
    GroupConvolutionBackpropData.type: { ctx in
        try transposedConvolution(ctx, try ctx.op(GroupConvolutionBackpropData.self))
    },
    DeformableConvolution.type: deformableConvolution,
]

private func convolution<O: ConvolutionOp>(_ ctx: KernelContext, _ op: O) throws -> [Tensor] {
    let (data, filters) = (ctx.inputs[0], ctx.inputs[1])
    let x = try data.floats("data"), w = try filters.floats("filters")
    let outDims = try ctx.outputDims0()
    let d = data.dims, f = filters.dims
    // GroupConvolution filters [G, OC/G, IC/G, k...] are laid out as Convolution filters [OC, IC/G, k...].
    let groups = O.grouped ? f[0] : 1
    let geometry = try WindowGeometry(
        input: Array(d[2...]), output: Array(outDims[2...]), kernel: Array(f.suffix(d.count - 2)),
        strides: op.strides, dilations: op.dilations, padsBegin: op.padsBegin, padsEnd: op.padsEnd, autoPad: op.autoPad)
    let window = Window3D(grid: geometry.output, image: geometry.input, kernel: geometry.kernel,
                          strides: geometry.strides, dilations: geometry.dilations, pads: geometry.padsBegin)
    let channels = d[1]
    return [floatTensor(outDims) { out in
        guard !x.isEmpty, !w.isEmpty else { return out.update(repeating: 0, count: outDims.reduce(1, *)) }
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                let image = px.baseAddress!, imageSize = channels * window.imageCount
                if channels == groups {
                    // Each output channel reads one input channel (depthwise): accumulate taps, no columns.
                    let outChannels = outDims[1], perGroup = outChannels / groups
                    out.update(repeating: 0, count: outDims.reduce(1, *))
                    for n in 0..<d[0] {
                        for oc in 0..<outChannels {
                            window.accumulate(image + (n * channels + oc / perGroup) * window.imageCount,
                                              weights: pw.baseAddress! + oc * window.taps,
                                              into: out + (n * outChannels + oc) * window.gridCount)
                        }
                    }
                    return
                }
                if window.isPointwise {
                    groupedProduct(pw.baseAddress!, out, batch: d[0], channels: channels, outChannels: outDims[1],
                                   groups: groups, window: window) { n in image + n * imageSize }
                    return
                }
                let columns = UnsafeMutablePointer<Float>.allocate(capacity: channels * window.taps * window.gridCount)
                defer { columns.deallocate() }
                groupedProduct(pw.baseAddress!, out, batch: d[0], channels: channels, outChannels: outDims[1],
                               groups: groups, window: window) { n in
                    window.im2col(image + n * imageSize, channels: channels, into: columns)
                    return UnsafePointer(columns)
                }
            }
        }
    }]
}

/// out[n, g] = W_g [OC/G, C/G · taps] × columns(n)_g [C/G · taps, grid] for every batch item n and group g;
/// `columns(n)` gives the [C · taps, grid] columns of batch item n.
private func groupedProduct(_ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, batch: Int, channels: Int,
                            outChannels: Int, groups: Int, window: Window3D,
                            columns: (Int) -> UnsafePointer<Float>) {
    let groupIn = channels / groups, groupOut = outChannels / groups
    let taps = window.taps, grid = window.gridCount
    for n in 0..<batch {
        let cols = columns(n)
        for g in 0..<groups {
            sgemm(m: groupOut, n: grid, k: groupIn * taps, a: w + g * groupOut * groupIn * taps,
                  b: cols + g * groupIn * taps * grid, c: out + (n * outChannels + g * groupOut) * grid)
        }
    }
}

/// ConvolutionBackpropData (filters [C, OC, k...]) and GroupConvolutionBackpropData ([G, C/G, OC/G, k...]).
/// Input position q and tap k add to output position q · stride - pads_begin + k · dilation; the output size
/// comes from type inference (output_shape input, or the attributes).
private func transposedConvolution<O: BackpropConvolutionOp>(_ ctx: KernelContext, _ op: O) throws -> [Tensor] {
    let (data, filters) = (ctx.inputs[0], ctx.inputs[1])
    let x = try data.floats("data"), w = try filters.floats("filters")
    let outDims = try ctx.outputDims0()
    let d = data.dims, f = filters.dims
    let n = d.count - 2
    let groups = O.grouped ? f[0] : 1
    let kernel = Array(f.suffix(n)), input = Array(d[2...]), output = Array(outDims[2...])
    func list(_ l: [Int], _ fallback: Int, _ name: String) throws -> [Int] {
        if l.isEmpty { return Array(repeating: fallback, count: n) }
        guard l.count == n else { throw KernelError("\(name) has \(l.count) values for \(n) spatial axes") }
        return l
    }
    let strides = try list(op.strides, 1, "strides"), dilations = try list(op.dilations, 1, "dilations")
    let outputPadding = try list(op.outputPadding, 0, "output_padding")
    var pads = Array(repeating: 0, count: n)
    switch op.autoPad {
    case .explicit:
        pads = try list(op.padsBegin, 0, "pads_begin")
    case .valid:
        break
    case .sameUpper, .sameLower:
        // Only an explicit output shape has something to pad to; same_upper puts the odd pad at the beginning
        // (the transpose of the forward convolution's end).
        guard ctx.inputs.count == 3 else { break }
        for i in 0..<n {
            let full = (input[i] - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 + outputPadding[i]
            let total = max(full - output[i], 0)
            pads[i] = op.autoPad == .sameUpper ? total - total / 2 : total / 2
        }
    }
    let window = Window3D(grid: input, image: output, kernel: kernel, strides: strides, dilations: dilations, pads: pads)
    let channels = d[1], outChannels = outDims[1]
    let groupIn = channels / groups, groupOut = outChannels / groups
    let rows = groupOut * window.taps
    return [floatTensor(outDims) { out in
        out.update(repeating: 0, count: outDims.reduce(1, *))
        guard !x.isEmpty, !w.isEmpty else { return }
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: rows * window.gridCount)
        defer { columns.deallocate() }
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                for b in 0..<d[0] {
                    for g in 0..<groups {
                        // columns [OC/G · taps, grid] = W_gᵀ (W_g is [C/G, OC/G · taps]) × x_g [C/G, grid]
                        sgemm(m: rows, n: window.gridCount, k: groupIn, a: pw.baseAddress! + g * groupIn * rows,
                              transposeA: true, b: px.baseAddress! + (b * channels + g * groupIn) * window.gridCount,
                              c: columns)
                        window.col2im(columns, channels: groupOut,
                                      into: out + (b * outChannels + g * groupOut) * window.imageCount)
                    }
                }
            }
        }
    }]
}

/// DeformableConvolution-8: each tap reads the input at its regular position plus a learned (dy, dx) offset,
/// bilinearly interpolated and scaled by the optional mask. Offsets hold, per deformable group and tap, the
/// y offset then the x offset; input channels split evenly over the deformable groups.
private func deformableConvolution(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(DeformableConvolution.self)
    let (data, offsetTensor, filters) = (ctx.inputs[0], ctx.inputs[1], ctx.inputs[2])
    let x = try data.floats("data"), offsets = try offsetTensor.floats("offsets"), w = try filters.floats("filters")
    let mask = ctx.inputs.count == 4 ? try ctx.inputs[3].floats("mask") : nil
    let outDims = try ctx.outputDims0()
    let d = data.dims, f = filters.dims
    let geometry = try WindowGeometry(
        input: Array(d[2...]), output: Array(outDims[2...]), kernel: Array(f[2...]), strides: op.strides,
        dilations: op.dilations, padsBegin: op.padsBegin, padsEnd: op.padsEnd, autoPad: op.autoPad)
    let window = Window3D(grid: geometry.output, image: geometry.input, kernel: geometry.kernel,
                          strides: geometry.strides, dilations: geometry.dilations, pads: geometry.padsBegin)
    let (batch, channels, height, width) = (d[0], d[1], d[2], d[3])
    let (outHeight, outWidth) = (outDims[2], outDims[3])
    let (kh, kw) = (f[2], f[3])
    let taps = kh * kw, grid = outHeight * outWidth
    let deformableGroups = op.deformableGroup
    guard channels % deformableGroups == 0, channels % op.group == 0, outDims[1] % op.group == 0 else {
        throw KernelError("channels \(channels) and output channels \(outDims[1]) must divide by group \(op.group) and deformable_group \(deformableGroups)")
    }
    guard offsetTensor.dims == [batch, deformableGroups * 2 * taps, outHeight, outWidth] else {
        throw KernelError("offsets have shape \(offsetTensor.dims), expected \([batch, deformableGroups * 2 * taps, outHeight, outWidth])")
    }
    if let mask, mask.count != batch * deformableGroups * taps * grid {
        throw KernelError("mask has \(mask.count) elements, expected \([batch, deformableGroups * taps, outHeight, outWidth])")
    }
    let channelsPerDeformableGroup = channels / deformableGroups
    let pad = op.bilinearInterpolationPad
    return [floatTensor(outDims) { out in
        guard !w.isEmpty, grid > 0 else { return out.update(repeating: 0, count: outDims.reduce(1, *)) }
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: channels * taps * grid)
        defer { columns.deallocate() }
        w.withUnsafeBufferPointer { pw in
            groupedProduct(pw.baseAddress!, out, batch: batch, channels: channels, outChannels: outDims[1],
                           groups: op.group, window: window) { n in
                for c in 0..<channels {
                    let dg = c / channelsPerDeformableGroup
                    let plane = (n * channels + c) * height * width
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let t = ky * kw + kx
                            let dy = ((n * deformableGroups + dg) * 2 * taps + 2 * t) * grid, dx = dy + grid
                            let m = ((n * deformableGroups + dg) * taps + t) * grid
                            let row = (c * taps + t) * grid
                            for oy in 0..<outHeight {
                                let y0 = oy * window.strides[1] - window.pads[1] + ky * window.dilations[1]
                                for ox in 0..<outWidth {
                                    let p = oy * outWidth + ox
                                    let x0 = ox * window.strides[2] - window.pads[2] + kx * window.dilations[2]
                                    let v = bilinear(x, plane, height, width, y: Float(y0) + offsets[dy + p],
                                                     x: Float(x0) + offsets[dx + p], pad: pad)
                                    columns[row + p] = mask.map { v * $0[m + p] } ?? v
                                }
                            }
                        }
                    }
                }
                return UnsafePointer(columns)
            }
        }
    }]
}

/// The bilinear sample of the `height`×`width` plane at `plane` in `x`. With `pad`, points beyond the border
/// count as zeros and any sample with a neighbour inside the plane is taken; without, a sample must lie in
/// [0, size) and its neighbours are clamped to the plane.
@inline(__always)
private func bilinear(_ data: [Float], _ plane: Int, _ height: Int, _ width: Int, y: Float, x: Float, pad: Bool) -> Float {
    if pad {
        guard y > -1, y < Float(height), x > -1, x < Float(width) else { return 0 }
    } else {
        guard y >= 0, y < Float(height), x >= 0, x < Float(width) else { return 0 }
    }
    let fy = floorf(y), fx = floorf(x)
    let y1 = Int(fy), x1 = Int(fx)
    let (y2, x2) = pad ? (y1 + 1, x1 + 1) : (min(y1 + 1, height - 1), min(x1 + 1, width - 1))
    let (ly, lx) = (y - fy, x - fx)
    func at(_ yy: Int, _ xx: Int) -> Float {
        yy >= 0 && yy < height && xx >= 0 && xx < width ? data[plane + yy * width + xx] : 0
    }
    return (1 - ly) * (1 - lx) * at(y1, x1) + (1 - ly) * lx * at(y1, x2) + ly * (1 - lx) * at(y2, x1) + ly * lx * at(y2, x2)
}
