import Foundation
import OVIR

// Interpolate-11: the input is zero-padded by pads_begin/pads_end, then each resized axis maps output index o
// to an input coordinate (coordinate_transformation_mode) and reads it: nearest copies one element (any
// element type); linear, linear_onnx and cubic are separable filters run one axis at a time in f32.
// linear_onnx and cubic follow ONNX Resize (index clamping at the border; with antialias the filter widens
// by 1 / scale when downsampling and its weights are normalized, which OpenVINO's spec leaves open);
// linear is OpenVINO's triangle filter; bilinear_pillow and bicubic_pillow are Pillow's resampling filters
// (two axes, coordinate_transformation_mode unused).

let interpolateKernels: [String: Kernel] = [
    Interpolate.type: interpolate,
]

private func interpolate(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Interpolate.self)
    let outDims = try ctx.outputDims0()
    let rank = ctx.inputs[0].dims.count
    let x = try zeroPadded(ctx.inputs[0], begin: op.padsBegin, end: op.padsEnd)
    let inDims = x.dims
    let axes = ctx.inputs.count == 3
        ? try ctx.inputs[2].ints("axes").map { try ShapeInference.axis($0, rank: rank) }
        : Array(0..<rank)
    // The scale per axis: the given one in scales mode, output / (padded) input in sizes mode.
    var scales = [Float](repeating: 1, count: rank)
    switch op.shapeCalculationMode {
    case .scales:
        let given = try ctx.inputs[1].floats("scales")
        guard given.count >= axes.count else { throw KernelError("\(given.count) scales for \(axes.count) axes") }
        for (a, s) in zip(axes, given) { scales[a] = s }
    case .sizes:
        for a in axes where inDims[a] > 0 { scales[a] = Float(outDims[a]) / Float(inDims[a]) }
    }
    // An axis keeps its coordinates when its length or scale does not change (as OpenVINO maps them).
    let resized = (0..<rank).filter { axes.contains($0) && outDims[$0] != inDims[$0] && scales[$0] != 1 }
    guard outDims.reduce(1, *) > 0 else { return [Tensor(op.mode == .nearest ? x.elementType : .f32, dims: outDims, bytes: [])] }
    guard !inDims.contains(0) else { throw KernelError("cannot resize an empty input \(inDims) to \(outDims)") }
    let coordinate = { (a: Int, o: Int) -> Float in
        sourceCoordinate(Float(o), scale: scales[a], inLength: inDims[a], outLength: outDims[a],
                         mode: op.coordinateTransformationMode)
    }
    if op.mode == .nearest {
        var maps = (0..<rank).map { a in Array(0..<outDims[a]) }
        for a in resized {
            maps[a] = (0..<outDims[a]).map { o in
                min(max(nearest(coordinate(a, o), mode: op.nearestMode, downsampling: scales[a] < 1), 0), inDims[a] - 1)
            }
        }
        return [try gatherNearest(x, maps: maps, outDims: outDims)]
    }
    if op.mode == .bilinearPillow || op.mode == .bicubicPillow, axes.count != 2 {
        throw KernelError("mode \(op.mode.rawValue) resizes exactly two axes, got \(axes.count)")
    }
    var values = try x.floats("data")
    var dims = inDims
    // OpenVINO's linear mode widens every axis' filter once any axis is downsampled.
    let downsampling = axes.contains { scales[$0] < 1 }
    for a in resized {
        let filter: AxisFilter
        switch op.mode {
        case .linear:
            filter = triangleFilter(length: inDims[a], outLength: outDims[a], scale: scales[a],
                                    antialias: op.antialias && downsampling) { coordinate(a, $0) }
        case .linearONNX, .cubic:
            filter = onnxFilter(cubic: op.mode == .cubic ? Float(op.cubeCoeff) : nil, length: inDims[a],
                                outLength: outDims[a], scale: scales[a], antialias: op.antialias) { coordinate(a, $0) }
        case .bilinearPillow, .bicubicPillow:
            filter = pillowFilter(cubic: op.mode == .bicubicPillow ? op.cubeCoeff : nil, length: inDims[a],
                                  outLength: outDims[a])
        case .nearest:
            preconditionFailure("handled above")
        }
        values = filter.apply(values, dims: dims, axis: a)
        dims[a] = outDims[a]
    }
    return [Tensor(.f32, dims: outDims, values: values)]
}

/// Per output index of one axis: `taps` input indices and their weights (a fixed count per output).
private struct AxisFilter {
    var taps: Int
    var indices: [Int]
    var weights: [Float]

    /// Resamples `values` of `dims` along `axis` to `indices.count / taps` positions.
    func apply(_ values: [Float], dims: [Int], axis: Int) -> [Float] {
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *)
        let inLength = dims[axis], outLength = indices.count / taps
        var out = [Float](repeating: 0, count: outer * outLength * inner)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for o in 0..<outer {
                    for j in 0..<outLength {
                        let row = dst.baseAddress! + (o * outLength + j) * inner
                        for t in j * taps..<(j + 1) * taps where weights[t] != 0 {
                            let w = weights[t], from = src.baseAddress! + (o * inLength + indices[t]) * inner
                            for i in 0..<inner { row[i] += w * from[i] }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// ONNX Resize's linear (`cubic` nil) or cubic filter: taps floor(x) + i around coordinate x, weight
/// filter(s · (tap - x)) with s = min(scale, 1) under antialias (else 1), indices clamped to the axis.
private func onnxFilter(cubic a: Float?, length: Int, outLength: Int, scale: Float, antialias: Bool,
                        coordinate: (Int) -> Float) -> AxisFilter {
    let s = antialias ? min(scale, 1) : 1
    let support: Float = a == nil ? 1 : 2
    // Taps floor(x) + i for i in start ..< 2 - start: 2 for linear, 4 for cubic at s = 1.
    let start = Int(floorf(-support / s)) + 1
    let taps = 2 - 2 * start
    func weight(_ t: Float) -> Float {
        let d = abs(t)
        guard let a else { return max(0, 1 - d) }
        // Keys' cubic convolution kernel with coefficient a.
        if d <= 1 { return ((a + 2) * d - (a + 3)) * d * d + 1 }
        if d < 2 { return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a }
        return 0
    }
    var indices: [Int] = [], weights: [Float] = []
    for o in 0..<outLength {
        let x = coordinate(o)
        let base = floorf(x), ratio = x - base
        var row: [Float] = []
        for i in start..<(start + taps) {
            indices.append(min(max(Int(base) + i, 0), length - 1))
            row.append(weight(s * (Float(i) - ratio)))
        }
        if antialias {
            let sum = row.reduce(0, +)
            if sum != 0 { row = row.map { $0 / sum } }
        }
        weights += row
    }
    return AxisFilter(taps: taps, indices: indices, weights: weights)
}

/// OpenVINO's linear mode: a triangle of half-width 1 / a (a = scale under antialias, else 1) around
/// coordinate x over the taps round(x) ± r that lie inside the axis, normalized by the sum of the weights.
private func triangleFilter(length: Int, outLength: Int, scale: Float, antialias: Bool,
                            coordinate: (Int) -> Float) -> AxisFilter {
    let a = antialias ? scale : 1
    let r = scale > 1 ? 2 : Int(ceilf(2 / a))
    let taps = 2 * r + 1
    var indices: [Int] = [], weights: [Float] = []
    for o in 0..<outLength {
        let x = coordinate(o)
        let center = Int(x.rounded())
        var row: [Float] = []
        for i in (center - r)...(center + r) {
            let inside = i >= 0 && i < length
            indices.append(inside ? i : 0)
            row.append(inside ? max(0, 1 - abs(a * (x - Float(i)))) : 0)
        }
        let sum = row.reduce(0, +)
        weights += sum == 0 ? row : row.map { $0 / sum }
    }
    return AxisFilter(taps: taps, indices: indices, weights: weights)
}

/// Pillow's resampling filter (bilinear, or bicubic with coefficient `a`): centred at (o + 0.5) · in / out,
/// widened by in / out when downsampling, over the inputs it covers, normalized; computed in f64 as Pillow does.
private func pillowFilter(cubic a: Double?, length: Int, outLength: Int) -> AxisFilter {
    let scale = Double(length) / Double(outLength)
    let filterScale = max(scale, 1)
    let support = (a == nil ? 1 : 2) * filterScale
    let taps = Int(support.rounded(.up)) * 2 + 1
    func weight(_ t: Double) -> Double {
        let d = abs(t)
        guard let a else { return max(0, 1 - d) }
        if d < 1 { return ((a + 2) * d - (a + 3)) * d * d + 1 }
        if d < 2 { return (((d - 5) * d + 8) * d - 4) * a }
        return 0
    }
    var indices = [Int](repeating: 0, count: outLength * taps), weights = [Float](repeating: 0, count: outLength * taps)
    for o in 0..<outLength {
        let center = (Double(o) + 0.5) * scale
        // Pillow rounds the window ends by truncating x + 0.5.
        let first = max(Int(center - support + 0.5), 0), end = min(Int(center + support + 0.5), length)
        let row = (first..<max(first, end)).map { weight((Double($0) - center + 0.5) / filterScale) }
        let sum = row.reduce(0, +)
        for (k, w) in row.enumerated() {
            indices[o * taps + k] = first + k
            weights[o * taps + k] = Float(sum == 0 ? w : w / sum)
        }
    }
    return AxisFilter(taps: taps, indices: indices, weights: weights)
}

/// The input coordinate of output coordinate `x` (OpenVINO's reference formulas).
private func sourceCoordinate(_ x: Float, scale: Float, inLength: Int, outLength: Int,
                              mode: Interpolate.CoordinateTransformationMode) -> Float {
    switch mode {
    case .halfPixel: return (x + 0.5) / scale - 0.5
    case .pytorchHalfPixel: return outLength > 1 ? (x + 0.5) / scale - 0.5 : 0
    case .asymmetric: return x / scale
    case .tfHalfPixelForNN: return (x + 0.5) / scale
    case .alignCorners: return outLength == 1 ? 0 : x * Float(inLength - 1) / Float(outLength - 1)
    }
}

private func nearest(_ c: Float, mode: Interpolate.NearestMode, downsampling: Bool) -> Int {
    switch mode {
    case .roundPreferFloor: return c == floorf(c) + 0.5 ? Int(floorf(c)) : Int(roundf(c))
    case .roundPreferCeil: return c == floorf(c) + 0.5 ? Int(ceilf(c)) : Int(roundf(c))
    case .floor: return Int(floorf(c))
    case .ceil: return Int(ceilf(c))
    case .simple: return downsampling ? Int(ceilf(c)) : Int(c)
    }
}

/// out[i₀, …, iₙ] = x[maps₀[i₀], …, mapsₙ[iₙ]], one output row (last axis) at a time, for any element type.
private func gatherNearest(_ x: Tensor, maps: [[Int]], outDims: [Int]) throws -> Tensor {
    let size = try x.elementSize()
    let rank = outDims.count
    guard rank > 0 else { return x }
    let inStrides = contiguousStrides(x.dims)
    let rowLength = outDims[rank - 1], lastMap = maps[rank - 1]
    let rowDims = Array(outDims.dropLast()), rows = rowDims.reduce(1, *)
    var out = [UInt8](repeating: 0, count: rows * rowLength * size)
    var index = Array(repeating: 0, count: rank - 1)
    x.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            for row in 0..<rows {
                var base = 0
                for a in 0..<(rank - 1) { base += maps[a][index[a]] * inStrides[a] }
                let from = src.baseAddress! + base * size, to = dst.baseAddress! + row * rowLength * size
                if size == 4 {
                    for j in 0..<rowLength {
                        to.storeBytes(of: from.loadUnaligned(fromByteOffset: lastMap[j] * 4, as: UInt32.self),
                                      toByteOffset: j * 4, as: UInt32.self)
                    }
                } else {
                    for j in 0..<rowLength { memcpy(to + j * size, from + lastMap[j] * size, size) }
                }
                advance(&index, within: rowDims)
            }
        }
    }
    return Tensor(x.elementType, dims: outDims, bytes: out)
}

/// `x` with `begin[i]` zeros before and `end[i]` after it on axis i (missing entries are 0).
private func zeroPadded(_ x: Tensor, begin: [Int], end: [Int]) throws -> Tensor {
    let rank = x.dims.count
    func pad(_ l: [Int], _ i: Int) -> Int { i < l.count ? l[i] : 0 }
    guard (0..<rank).contains(where: { pad(begin, $0) != 0 || pad(end, $0) != 0 }) else { return x }
    guard (0..<rank).allSatisfy({ pad(begin, $0) >= 0 && pad(end, $0) >= 0 }) else {
        throw KernelError("negative pads_begin \(begin) or pads_end \(end) are not supported")
    }
    let size = try x.elementSize()
    let dims = (0..<rank).map { x.dims[$0] + pad(begin, $0) + pad(end, $0) }
    let strides = contiguousStrides(dims)
    let origin = (0..<rank).reduce(0) { $0 + pad(begin, $1) * strides[$1] }
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    x.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            // Each input element lands at its own index shifted by pads_begin: the output strides read it.
            forEachIndex(x.dims, [strides]) { i, off in
                memcpy(dst.baseAddress! + (origin + off[0]) * size, src.baseAddress! + i * size, size)
            }
        }
    }
    return Tensor(x.elementType, dims: dims, bytes: out)
}
