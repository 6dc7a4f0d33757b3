import Foundation
import OVIR

// Ops that own body graphs: their bodies run through the evaluator itself.

let controlFlowKernels: [String: Kernel] = [
    If.type: ifKernel,
    Loop.type: loop,
]

/// The most iterations a Loop may run before the evaluator gives up (a trip count of -1 with a body condition
/// that never turns false would otherwise hang a conversion's --verify).
let loopIterationLimit = 10_000_000

/// If (opset8): the body the condition picks, its Parameters fed through that body's port map.
private func ifKernel(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(If.self)
    let taken = try ctx.inputs[0].flag("the condition")
    let (body, name, inputs, outputs) = taken ? (op.thenBody, "then_body", op.thenInputs, op.thenOutputs)
                                              : (op.elseBody, "else_body", op.elseInputs, op.elseOutputs)
    var arguments = [Tensor?](repeating: nil, count: body.parameters.count)
    for d in inputs { arguments[d.parameter] = ctx.inputs[d.input] }
    let results = try run(body, name, arguments)
    var out = [Tensor?](repeating: nil, count: outputs.count)
    for d in outputs { out[d.output] = results[d.result] }
    return try out.enumerated().map { k, t in
        guard let t else { throw KernelError("\(name) gives no value for output \(k)") }
        return t
    }
}

/// Loop (opset5), as OpenVINO's reference runs it: while the iteration count is below the trip count (-1: no
/// limit) and the condition holds (the execution condition input before the first iteration, then the body's
/// condition Result), run the body; then the current-iteration Parameter takes the next iteration number (unless
/// a back edge feeds it) and each merged Parameter its back edge's Result. The iteration where the body condition
/// turns false still counts: its Results are the last values and are concatenated too. When the body never ran,
/// a last-value output of a back-edge Result is its merged input's value (as OpenVINO's CPU plugin gives it) and a
/// concatenated output is empty along its axis.
private func loop(_ ctx: KernelContext) throws -> [Tensor] {
    let op = try ctx.op(Loop.self)
    let body = op.body
    guard ctx.inputs[0].elementCount == 1, let tripCount = try ctx.inputs[0].ints("the trip count").first else {
        throw KernelError("the trip count must hold one value, it has shape \(ctx.inputs[0].dims)")
    }
    let runs = try ctx.inputs[1].flag("the execution condition")
    var arguments = [Tensor?](repeating: nil, count: body.parameters.count)
    for d in op.bodyInputs { arguments[d.parameter] = ctx.inputs[d.input] }
    let initial = arguments
    let edges = op.bodyInputs.compactMap { d in d.backEdgeResult.map { (parameter: d.parameter, result: $0) } }
    let counter = op.currentIterationInputIndex
    let counts = counter >= 0 && !edges.contains { $0.parameter == counter }
    if counter >= 0, arguments[counter] == nil { arguments[counter] = try iterationNumber(0, for: body.parameters[counter]) }

    var last: [Tensor]?
    var slices = [[Tensor]](repeating: [], count: op.bodyOutputs.count)
    var iteration = 0
    while runs && (tripCount < 0 || iteration < tripCount) {
        guard iteration < loopIterationLimit else {
            throw KernelError("stopped after \(loopIterationLimit) iterations: the body condition never turned false")
        }
        let results = try run(body, "body", arguments)
        for d in op.bodyOutputs where d.kind != .last { slices[d.output].append(results[d.result]) }
        last = results
        guard try results[op.bodyConditionOutputIndex].flag("the body condition") else { break }
        if counts { arguments[counter] = try iterationNumber(iteration + 1, for: body.parameters[counter]) }
        for edge in edges { arguments[edge.parameter] = results[edge.result] }
        iteration += 1
    }

    var out = [Tensor?](repeating: nil, count: op.bodyOutputs.count)
    for d in op.bodyOutputs {
        switch d.kind {
        case .last:
            if let last {
                out[d.output] = last[d.result]
            } else if let edge = edges.first(where: { $0.result == d.result }) {
                out[d.output] = initial[edge.parameter]
            } else {
                throw KernelError("the body ran 0 times, so output \(d.output) (Result #\(d.result), no back edge) has no value")
            }
        case .concatenated(let c):
            out[d.output] = try slices[d.output].isEmpty
                ? emptyConcatenation(body.results[d.result].inputs[0].type, axis: c.axis, output: d.output)
                : concatenate(slices[d.output], axis: c.axis)
        }
    }
    return out.map { $0! }
}

/// Runs `body` on `arguments` (every Parameter must have one); errors name the body.
private func run(_ body: Graph, _ name: String, _ arguments: [Tensor?]) throws -> [Tensor] {
    var given: [Tensor] = []
    for (k, argument) in arguments.enumerated() {
        guard let argument else { throw KernelError("\(name) Parameter #\(k) '\(body.parameters[k].name)' is given no value") }
        given.append(argument)
    }
    do {
        return try Evaluator().runBody(body, arguments: given)
    } catch let e as EvaluatorError {
        throw KernelError("\(name): \(e)")
    }
}

/// The current-iteration Parameter's value: `n` in its element type (i64 when dynamic) and shape (`[1]` when
/// not static).
private func iterationNumber(_ n: Int, for parameter: Node) throws -> Tensor {
    let type = parameter.outputTypes[0]
    let dims = type.shape.staticDims ?? [1]
    guard dims.reduce(1, *) == 1 else { throw KernelError("the current iteration Parameter has shape \(dims), not one element") }
    switch type.elementType {
    case .i64, .dynamic: return .i64([n], dims: dims)
    case .i32: return .i32([n], dims: dims)
    case let t: throw KernelError("the current iteration Parameter is \(t), not i32 or i64")
    }
}

/// The slices of every iteration joined along `axis` (scalars as one-element vectors).
private func concatenate(_ slices: [Tensor], axis: Int) throws -> Tensor {
    let first = slices[0]
    let size = try first.elementSize("a concatenated value")
    let rank = max(first.dims.count, 1)
    let a = try ShapeInference.axis(axis, rank: rank)
    let shapes = slices.map { $0.dims.isEmpty ? [1] : $0.dims }
    for (k, (t, dims)) in zip(slices, shapes).enumerated() {
        guard t.elementType == first.elementType, dims.count == rank,
              dims.indices.allSatisfy({ $0 == a || dims[$0] == shapes[0][$0] }) else {
            throw KernelError("iteration \(k)'s value \(t.elementType) \(t.dims) does not concatenate with iteration 0's \(first.elementType) \(first.dims) along axis \(a)")
        }
    }
    var dims = shapes[0]
    dims[a] = shapes.reduce(0) { $0 + $1[a] }
    let outer = dims[..<a].reduce(1, *), inner = dims[(a + 1)...].reduce(1, *) * size
    let rowBytes = dims[a] * inner
    var out = [UInt8](repeating: 0, count: dims.reduce(1, *) * size)
    var start = 0
    for (t, shape) in zip(slices, shapes) {
        let chunk = shape[a] * inner
        t.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for o in 0..<outer where chunk > 0 {
                    memcpy(dst.baseAddress! + o * rowBytes + start, src.baseAddress! + o * chunk, chunk)
                }
            }
        }
        start += chunk
    }
    return Tensor(first.elementType, dims: dims, bytes: out)
}

/// A concatenation of no iterations: the Result's static shape with 0 along the axis.
private func emptyConcatenation(_ type: TensorType, axis: Int, output: Int) throws -> Tensor {
    guard var dims = type.shape.staticDims else {
        throw KernelError("the body ran 0 times and output \(output)'s Result has no static shape (\(type.shape)) to give it")
    }
    if dims.isEmpty { dims = [1] }
    dims[try ShapeInference.axis(axis, rank: dims.count)] = 0
    return Tensor(type.elementType, dims: dims, bytes: [])
}

extension Tensor {
    /// A one-element tensor's truth value (a condition input or output).
    func flag(_ what: String) throws -> Bool {
        guard elementCount == 1, let v = intValues()?.first else {
            throw KernelError("\(what) must be one boolean value, got \(elementType) \(dims)")
        }
        return v != 0
    }
}
