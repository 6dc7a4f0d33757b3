import OVIR

// Graph boundary ops: values come from the feeds, the op itself, or pass through.
let graphKernels: [String: Kernel] = [
    Parameter.type: parameter,
    Constant.type: { ctx in [try ctx.op(Constant.self).tensor] },
    ResultOp.type: { ctx in [ctx.inputs[0]] },
]

/// A Parameter takes the feed named after the node or one of its tensor names, checked against its type.
private func parameter(_ ctx: KernelContext) throws -> [Tensor] {
    let node = ctx.node
    let names = [node.name] + node.tensorNames[0]
    guard let tensor = names.lazy.compactMap({ ctx.feeds[$0] }).first else {
        throw KernelError("no input given (looked for \(names.map { "'\($0)'" }.joined(separator: ", ")))")
    }
    let expected = node.outputTypes[0]
    guard expected.elementType == .dynamic || expected.elementType == tensor.elementType else {
        throw KernelError("input has element type \(tensor.elementType), the parameter is \(expected.elementType)")
    }
    if let dims = expected.shape.dims {
        guard dims.count == tensor.dims.count,
              zip(dims, tensor.dims).allSatisfy({ d, n in d.isCompatible(with: .fixed(n)) }) else {
            throw KernelError("input has shape \(tensor.dims), the parameter is \(expected.shape)")
        }
    }
    return [tensor]
}
