import Foundation
import OVIR

// Interpolate-11 in nearest mode (every coordinate transformation and nearest mode). Other modes are
// refused with an error naming the mode.

let interpolateKernels: [String: Kernel] = [
    Interpolate.type: interpolate,
]

private func interpolate(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Interpolate.self)
    guard op.mode == .nearest else { throw KernelError("mode \(op.mode.rawValue) is not evaluated yet (nearest only)") }
    guard op.padsBegin.allSatisfy({ $0 == 0 }), op.padsEnd.allSatisfy({ $0 == 0 }) else {
        throw KernelError("non-zero pads are not evaluated yet")
    }
    let x = ctx.inputs[0]
    let inDims = x.dims
    let outDims = try ctx.outputDims0()
    let rank = inDims.count
    let axes = ctx.inputs.count == 3
        ? try ctx.inputs[2].ints("axes").map { try ShapeInference.axis($0, rank: rank) }
        : Array(0..<rank)
    // The scale per axis: the given one in scales mode, output / input in sizes mode.
    var scales = zip(outDims, inDims).map { Float($0) / Float($1) }
    if op.shapeCalculationMode == .scales {
        let given = try ctx.inputs[1].floats("scales")
        for (a, s) in zip(axes, given) { scales[a] = s }
    }
    // Per axis, the input index of each output index.
    let maps: [[Int]] = (0..<rank).map { a in
        (0..<outDims[a]).map { o in
            guard axes.contains(a) else { return o }
            let c = sourceCoordinate(Float(o), scale: scales[a], inLength: inDims[a], outLength: outDims[a],
                                     mode: op.coordinateTransformationMode)
            let i = nearest(c, mode: op.nearestMode, downsampling: scales[a] < 1)
            return min(max(i, 0), inDims[a] - 1)
        }
    }
    let size = try x.elementSize()
    let inStrides = contiguousStrides(inDims)
    var out = [UInt8](repeating: 0, count: outDims.reduce(1, *) * size)
    x.withUnsafeBytes { src in
        out.withUnsafeMutableBytes { dst in
            for (linear, index) in allIndices(outDims).enumerated() {
                var offset = 0
                for a in 0..<rank { offset += maps[a][index[a]] * inStrides[a] }
                memcpy(dst.baseAddress! + linear * size, src.baseAddress! + offset * size, size)
            }
        }
    }
    return [Tensor(x.elementType, dims: outDims, bytes: out)]
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
