import OVIR

// Running sums: CumSum, in f32 for float inputs and exactly in the input's type for integer ones.

let cumSumKernels: [String: Kernel] = [
    CumSum.type: cumSum,
]

/// CumSum (opset3): along `axis` (0 without the second input), each element is the sum of those before it,
/// itself included unless exclusive; reverse sums from the end of the axis instead.
private func cumSum(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(CumSum.self)
    let x = ctx.inputs[0]
    var axisValue = 0
    if ctx.inputs.count > 1 {
        guard let a = try ctx.inputs[1].ints("axis").first else { throw KernelError("axis input is empty") }
        axisValue = a
    }
    // A scalar has no axis to sum along; only axis 0 (or -1) is accepted and the value passes through.
    let dims = x.dims.isEmpty ? [1] : x.dims
    let axis = try ShapeInference.axis(axisValue, rank: dims.count)
    struct Sum: NumberComputation {
        let n: Int, inner: Int, exclusive: Bool, reverse: Bool
        func run<T: KernelNumber>(_ values: [T]) throws -> [T] {
            var out = values
            let steps = reverse ? Array((0..<n).reversed()) : Array(0..<n)
            for o in 0..<(values.count / max(n * inner, 1)) {
                for i in 0..<inner {
                    var total = T.zero
                    for j in steps {
                        let at = (o * n + j) * inner + i
                        if exclusive {
                            out[at] = total
                            total = T.plus(total, values[at])
                        } else {
                            total = T.plus(total, values[at])
                            out[at] = total
                        }
                    }
                }
            }
            return out
        }
    }
    let sum = Sum(n: dims[axis], inner: dims[(axis + 1)...].reduce(1, *), exclusive: op.exclusive, reverse: op.reverse)
    return [try withNumbers(x, dims: x.dims, sum)]
}
