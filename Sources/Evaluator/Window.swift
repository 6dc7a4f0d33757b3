import OVIR

/// The resolved geometry of a sliding window (convolution, pooling) over the spatial axes.
struct WindowGeometry {
    var input: [Int]
    var output: [Int]
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]

    /// Resolves empty lists to 1s/0s and `auto_pad` to explicit begin pads (same_upper puts the odd pad at
    /// the end, same_lower at the beginning; valid pads nothing). `output` comes from type inference.
    init(input: [Int], output: [Int], kernel: [Int], strides: [Int], dilations: [Int],
         padsBegin: [Int], padsEnd: [Int] = [], autoPad: PadType) throws {
        let n = input.count
        func list(_ l: [Int], _ fallback: Int, _ name: String) throws -> [Int] {
            if l.isEmpty { return Array(repeating: fallback, count: n) }
            guard l.count == n else { throw KernelError("\(name) has \(l.count) values for \(n) spatial axes") }
            return l
        }
        guard kernel.count == n, output.count == n else { throw KernelError("kernel \(kernel) does not fit \(n) spatial axes") }
        self.input = input
        self.output = output
        self.kernel = kernel
        self.strides = try list(strides, 1, "strides")
        self.dilations = try list(dilations, 1, "dilations")
        switch autoPad {
        case .explicit:
            self.padsBegin = try list(padsBegin, 0, "pads_begin")
            self.padsEnd = try list(padsEnd, 0, "pads_end")
        case .valid:
            self.padsBegin = Array(repeating: 0, count: n)
            self.padsEnd = self.padsBegin
        case .sameUpper, .sameLower:
            let s = self.strides, d = self.dilations
            var totals: [Int] = []
            for i in 0..<n {
                let covered: Int = (output[i] - 1) * s[i] + (kernel[i] - 1) * d[i] + 1
                totals.append(Swift.max(covered - input[i], 0))
            }
            self.padsBegin = totals.map { autoPad == .sameUpper ? $0 / 2 : $0 - $0 / 2 }
            self.padsEnd = zip(totals, self.padsBegin).map { $0 - $1 }
        }
    }

    var kernelCount: Int { kernel.reduce(1, *) }
    var outputCount: Int { output.reduce(1, *) }
    var inputCount: Int { input.reduce(1, *) }

    /// For window position `outIndex` (per axis) and kernel tap `tap` (per axis), the input coordinate per
    /// axis, or nil when it falls in the padding.
    @inline(__always)
    func inputOffset(out o: [Int], tap k: [Int], inputStrides: [Int]) -> Int? {
        var offset = 0
        for i in 0..<input.count {
            let x = o[i] * strides[i] - padsBegin[i] + k[i] * dilations[i]
            guard x >= 0, x < input[i] else { return nil }
            offset += x * inputStrides[i]
        }
        return offset
    }
}

/// All index tuples of `dims` in row-major order.
func allIndices(_ dims: [Int]) -> [[Int]] {
    var result: [[Int]] = []
    result.reserveCapacity(dims.reduce(1, *))
    var index = Array(repeating: 0, count: dims.count)
    guard !dims.contains(0) else { return [] }
    while true {
        result.append(index)
        var axis = dims.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < dims[axis] { break }
            index[axis] = 0
            axis -= 1
        }
        if axis < 0 { return result }
    }
}
