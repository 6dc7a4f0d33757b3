import Foundation
import OVIR

// GridSample-9 as OpenVINO's reference computes it, in f32: a grid point (x, y) in [-1, 1] maps to the pixel
// coordinate (v + 1)·(L - 1) / 2 with align_corners, ((v + 1)·L - 1) / 2 without (x along W, y along H). nearest
// reads the pixel at that coordinate rounded half to even; bilinear weights the 2×2 pixels from the floor, bicubic
// the 4×4 from floor - 1 with the cubic kernel of A = -0.75. Padding applies to the integer pixel indices each
// neighbour reads: zeros reads 0 outside the image, border the clamped index, reflection the index mirrored about
// the image's edges (period 2L without align_corners, i ↦ 2L - 1 - i in the upper half; 2(L - 1) with it, |i| folded,
// i ↦ 2(L - 1) - i in the upper half, period 1 for L = 1).

let gridSampleKernels: [String: Kernel] = [
    GridSample.type: gridSample,
]

private func gridSample(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(GridSample.self)
    let outDims = try ctx.outputDims0()
    let dataDims = ctx.inputs[0].dims
    let data = try ctx.inputs[0].floats("data"), grid = try ctx.inputs[1].floats("grid")
    let (n, c, h, w) = (outDims[0], outDims[1], dataDims[2], dataDims[3])
    let (outH, outW) = (outDims[2], outDims[3])
    if outDims.reduce(1, *) == 0 { return [floatTensor(outDims) { _ in }] }
    guard h > 0, w > 0 else { throw KernelError("cannot sample an empty image \(dataDims)") }

    func pixel(_ length: Int) -> (Float) -> Float {
        let l = Float(length)
        return op.alignCorners ? { v in (v + 1) * (l - 1) / 2 } : { v in ((v + 1) * l - 1) / 2 }
    }
    let pixelX = pixel(w), pixelY = pixel(h)
    /// The index a neighbour at `i` reads along an axis of `length`, or nil for a zero.
    func padded(_ i: Int, _ length: Int) -> Int? {
        switch op.paddingMode {
        case .zeros:
            return i >= 0 && i < length ? i : nil
        case .border:
            return min(max(i, 0), length - 1)
        case .reflection:
            if op.alignCorners {
                let period = length == 1 ? 1 : 2 * (length - 1)
                let j = abs(i) % period
                return j >= length ? period - j : j
            }
            let period = 2 * length
            let j = (i % period + period) % period
            return j >= length ? period - 1 - j : j
        }
    }

    return [floatTensor(outDims) { out in
        for b in 0..<n {
            for ch in 0..<c {
                let image = (b * c + ch) * h * w
                func read(_ y: Int, _ x: Int) -> Float {
                    guard let py = padded(y, h), let px = padded(x, w) else { return 0 }
                    return data[image + py * w + px]
                }
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        let g = ((b * outH + oy) * outW + ox) * 2
                        let x = pixelX(grid[g]), y = pixelY(grid[g + 1])
                        let value: Float
                        switch op.mode {
                        case .nearest:
                            value = read(Int(y.rounded(.toNearestOrEven)), Int(x.rounded(.toNearestOrEven)))
                        case .bilinear:
                            let y0 = y.rounded(.down), x0 = x.rounded(.down)
                            let dy = y - y0, dx = x - x0
                            let (iy, ix) = (Int(y0), Int(x0))
                            let top = (1 - dx) * read(iy, ix) + dx * read(iy, ix + 1)
                            let bottom = (1 - dx) * read(iy + 1, ix) + dx * read(iy + 1, ix + 1)
                            value = dy * bottom + (1 - dy) * top
                        case .bicubic:
                            let y0 = y.rounded(.down), x0 = x.rounded(.down)
                            let cy = cubicWeights(y - y0), cx = cubicWeights(x - x0)
                            let (iy, ix) = (Int(y0) - 1, Int(x0) - 1)
                            var sum: Float = 0
                            for j in 0..<4 {
                                var row: Float = 0
                                for i in 0..<4 { row += cx[i] * read(iy + j, ix + i) }
                                sum += cy[j] * row
                            }
                            value = sum
                        }
                        out[((b * c + ch) * outH + oy) * outW + ox] = value
                    }
                }
            }
        }
    }]
}

/// The cubic convolution weights (A = -0.75) of the four pixels at offsets -1, 0, 1, 2 from a point `r` past the first.
private func cubicWeights(_ r: Float) -> [Float] {
    let a: Float = -0.75
    func near(_ t: Float) -> Float { ((a + 2) * t - (a + 3)) * t * t + 1 }  // |t| <= 1
    func far(_ t: Float) -> Float { ((a * t - 5 * a) * t + 8 * a) * t - 4 * a }  // 1 < |t| < 2
    return [far(r + 1), near(r), near(1 - r), far(2 - r)]
}
