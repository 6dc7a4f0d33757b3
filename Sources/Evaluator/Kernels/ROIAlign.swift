import Foundation
import OVIR

// ROIAlign-9 as OpenVINO's reference computes it, in f32. A region's corners map to (v + offset_src)·scale + offset_dst
// (asymmetric: 0, 0; half_pixel_for_nn: 0, -0.5; half_pixel: 0.5, -0.5); only asymmetric widens a region to at least
// 1×1. A bin of size (w, h) takes sx·sy samples (sampling_ratio, or ceil(w) and ceil(h) when it is 0) at the centres
// of an sx×sy grid. A sample beyond [-1, W]×[-1, H] reads 0; otherwise it is clamped to at least 0, and the bilinear
// weights of its 4 neighbours come from the floor, an index at the last row or column keeping only that row or column.
// avg adds each sample divided by the count; max keeps the largest sample, starting from 0 (so a bin of negative
// samples pools to 0), which is not ONNX's max (the largest of the four weighted neighbours of any sample). A bin
// without samples (size 0, sampling_ratio 0) pools 0, as in the reference and ONNX; OpenVINO's CPU plugin gives NaN.

let roiAlignKernels: [String: Kernel] = [
    ROIAlign.type: roiAlign,
]

private func roiAlign(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(ROIAlign.self)
    let outDims = try ctx.outputDims0()
    let dataDims = ctx.inputs[0].dims
    let data = try ctx.inputs[0].floats("data"), rois = try ctx.inputs[1].floats("rois")
    let batchIndices = try ctx.inputs[2].ints("batch_indices")
    let (n, c, h, w) = (dataDims[0], dataDims[1], dataDims[2], dataDims[3])
    let (count, pooledH, pooledW) = (outDims[0], op.pooledH, op.pooledW)
    if outDims.reduce(1, *) == 0 { return [floatTensor(outDims) { _ in }] }
    guard h > 0, w > 0 else { throw KernelError("cannot pool from an empty feature map \(dataDims)") }

    let (offsetSource, offsetTarget): (Float, Float) = switch op.alignedMode {
    case .asymmetric: (0, 0)
    case .halfPixelForNN: (0, -0.5)
    case .halfPixel: (0.5, -0.5)
    }
    let scale = Float(op.spatialScale)
    /// Samples per bin along an axis: sampling_ratio, or the bin's size rounded up (none for a box whose corners are
    /// reversed, which the half-pixel modes do not clamp: it pools 0, as OpenVINO's reference and ONNX's do).
    func samples(_ binSize: Float) throws -> Int {
        if op.samplingRatio > 0 { return op.samplingRatio }
        let s = binSize.rounded(.up)
        guard s.isFinite, s < Float(Int32.max) else { throw KernelError("a bin of size \(binSize) cannot be sampled") }
        return max(0, Int(s))
    }
    /// A sample's 4 neighbours (offsets in one channel) and their weights.
    struct Sample { var offsets: (Int, Int, Int, Int); var weights: (Float, Float, Float, Float) }
    func sample(_ y: Float, _ x: Float) -> Sample {
        let none = Sample(offsets: (0, 0, 0, 0), weights: (0, 0, 0, 0))
        guard y.isFinite, x.isFinite, y >= -1, y <= Float(h), x >= -1, x <= Float(w) else { return none }
        var y = max(y, 0), x = max(x, 0)
        var yLow = Int(y), xLow = Int(x), yHigh = yLow + 1, xHigh = xLow + 1
        if yLow >= h - 1 { (yLow, yHigh, y) = (h - 1, h - 1, Float(h - 1)) }
        if xLow >= w - 1 { (xLow, xHigh, x) = (w - 1, w - 1, Float(w - 1)) }
        let ly = y - Float(yLow), lx = x - Float(xLow), hy = 1 - ly, hx = 1 - lx
        return Sample(offsets: (yLow * w + xLow, yLow * w + xHigh, yHigh * w + xLow, yHigh * w + xHigh),
                      weights: (hy * hx, hy * lx, ly * hx, ly * lx))
    }

    return [try floatTensor(outDims) { out in
        for r in 0..<count {
            let b = batchIndices[r]
            guard b >= 0, b < n else { throw KernelError("region \(r) has batch index \(b), outside 0..<\(n)") }
            let corner = (0..<4).map { (rois[r * 4 + $0] + offsetSource) * scale + offsetTarget }
            var (roiW, roiH) = (corner[2] - corner[0], corner[3] - corner[1])
            if op.alignedMode == .asymmetric { (roiW, roiH) = (max(roiW, 1), max(roiH, 1)) }
            let binW = roiW / Float(pooledW), binH = roiH / Float(pooledH)
            let sx = try samples(binW), sy = try samples(binH)
            guard let total = ShapeInference.checkedElementCount([pooledH, pooledW, sx, sy]), total <= 1 << 22 else {
                throw KernelError("region \(r) would take \(sx)×\(sy) samples in each of \(pooledH)×\(pooledW) bins")
            }
            let stepX = binW / Float(sx), stepY = binH / Float(sy)
            // The samples of every bin, bins row-major, the same for every channel.
            var points: [Sample] = []
            points.reserveCapacity(total)
            for by in 0..<pooledH {
                for bx in 0..<pooledW {
                    for iy in 0..<sy {
                        let y = corner[1] + Float(by) * binH + stepY * (Float(iy) + 0.5)
                        for ix in 0..<sx {
                            points.append(sample(y, corner[0] + Float(bx) * binW + stepX * (Float(ix) + 0.5)))
                        }
                    }
                }
            }
            let perBin = sx * sy
            for ch in 0..<c {
                let image = (b * c + ch) * h * w
                for bin in 0..<(pooledH * pooledW) {
                    var pooled: Float = 0
                    for p in points[(bin * perBin)..<((bin + 1) * perBin)] {
                        let o = p.offsets, k = p.weights
                        let value = k.0 * data[image + o.0] + k.1 * data[image + o.1] + k.2 * data[image + o.2] + k.3 * data[image + o.3]
                        switch op.mode {
                        case .max: pooled = value > pooled ? value : pooled
                        case .avg: pooled += value / Float(perBin)
                        }
                    }
                    out[(r * c + ch) * pooledH * pooledW + bin] = pooled
                }
            }
        }
    }]
}
