// Attributes and shape rules shared by convolutions and pooling.

/// How a convolution or pooling op pads its input (`auto_pad`).
public enum PadType: String, IREnum {
    case explicit
    case sameUpper = "same_upper"
    case sameLower = "same_lower"
    case valid
}

/// How pooling rounds the output size (`rounding_type`); `ceil_torch` (v14) drops a last window that
/// would start in the end padding.
public enum RoundingType: String, IREnum {
    case floor, ceil
    case ceilTorch = "ceil_torch"
}

extension ShapeInference {
    /// Spatial output dims of a forward sliding window (convolution, pooling).
    /// `kernel` holds nil for a dynamic filter dim; empty `strides`/`dilations`/pads mean 1s/0s.
    static func windowOutput(
        spatial: [Dim], kernel: [Int?], strides: [Int], dilations: [Int],
        padsBegin: [Int], padsEnd: [Int], autoPad: PadType, rounding: RoundingType = .floor
    ) throws -> [Dim] {
        let n = spatial.count
        func value(_ list: [Int], _ i: Int, _ fallback: Int, _ what: String) throws -> Int {
            try perAxis(list, i, fallback, what, spatialRank: n)
        }
        guard kernel.count == n else { throw Failure("kernel has \(kernel.count) dims for \(n) spatial dims") }
        return try (0..<n).map { i in
            let stride = try value(strides, i, 1, "strides")
            let dilation = try value(dilations, i, 1, "dilations")
            guard stride > 0, dilation > 0 else { throw Failure("strides and dilations must be positive") }
            switch autoPad {
            case .sameUpper, .sameLower:
                guard let x = spatial[i].value else { return .dynamic }
                return .fixed((x + stride - 1) / stride)
            case .valid, .explicit:
                guard let k = kernel[i] else { return .dynamic }
                let explicit = autoPad == .explicit
                let pb = explicit ? try value(padsBegin, i, 0, "pads_begin") : 0
                let pe = explicit ? try value(padsEnd, i, 0, "pads_end") : 0
                var out = try window(spatial[i], kernel: k, stride: stride, dilation: dilation,
                                     padBegin: pb, padEnd: pe, ceil: rounding != .floor)
                if rounding == .ceilTorch, let o = out.value, let x = spatial[i].value, (o - 1) * stride >= x + pb {
                    out = .fixed(o - 1)
                }
                return out
            }
        }
    }

    /// Entry `i` of a per-spatial-axis attribute; an empty list means `fallback` on every axis.
    private static func perAxis(_ list: [Int], _ i: Int, _ fallback: Int, _ what: String, spatialRank n: Int) throws -> Int {
        if list.isEmpty { return fallback }
        guard list.count == n else { throw Failure("\(what) has \(list.count) values for \(n) spatial dims") }
        return list[i]
    }

    /// Spatial output dims of a backward (transposed) convolution without an output_shape input.
    static func transposedWindowOutput(
        spatial: [Dim], kernel: [Int?], strides: [Int], dilations: [Int],
        padsBegin: [Int], padsEnd: [Int], outputPadding: [Int], autoPad: PadType
    ) throws -> [Dim] {
        let n = spatial.count
        func value(_ list: [Int], _ i: Int, _ fallback: Int, _ what: String) throws -> Int {
            try perAxis(list, i, fallback, what, spatialRank: n)
        }
        guard kernel.count == n else { throw Failure("kernel has \(kernel.count) dims for \(n) spatial dims") }
        return try (0..<n).map { i in
            guard let x = spatial[i].value, let k = kernel[i] else { return .dynamic }
            let stride = try value(strides, i, 1, "strides")
            let dilation = try value(dilations, i, 1, "dilations")
            // Without an output shape, OpenVINO uses zero pads for every auto_pad mode.
            let explicit = autoPad == .explicit
            let pb = explicit ? try value(padsBegin, i, 0, "pads_begin") : 0
            let pe = explicit ? try value(padsEnd, i, 0, "pads_end") : 0
            let op = try value(outputPadding, i, 0, "output_padding")
            let out = (x - 1) * stride + (k - 1) * dilation + 1 - pb - pe + op
            guard out >= 0 else { throw Failure("negative output size \(out) on spatial axis \(i)") }
            return .fixed(out)
        }
    }
}
