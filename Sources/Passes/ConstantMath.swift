import Evaluator
import OVIR

/// Constants the rewrite passes compute from other constants (merged scales, folded weights), with the
/// Evaluator's kernels, so broadcasting and element types follow the ops' own rules.
enum ConstantMath {
    /// `op` applied to `inputs`, its output 0. Throws `Rule.Declined` (the rewrite then does not happen) when the
    /// value would be larger than max(16 KiB, 2 × the inputs' bytes), ConstantFolding's rule: merging a [N,1] and a
    /// [1,M] constant must not make the conversion allocate N·M values.
    static func compute(_ op: any Op, _ inputs: Tensor...) throws -> Tensor {
        let scratch = Graph(name: "constant-math")
        let arguments = try inputs.enumerated().map { k, tensor in try scratch.constant(tensor, name: "c\(k)") }
        let node = try scratch.add(op, arguments, name: op.typeName)
        let inputBytes = inputs.reduce(0) { $0 + $1.byteCount }, limit = max(16 * 1024, 2 * inputBytes)
        guard let bytes = ConstantFolding.bytes(of: node.outputTypes), bytes <= limit else {
            throw Rule.Declined("\(op.typeName) of constants would hold more than max(16 KiB, 2 × \(inputBytes) input bytes)")
        }
        return try Evaluator().evaluate(node, inputs: inputs)[0]
    }

    /// `tensor` with new dims of the same element count.
    static func reshaped(_ tensor: Tensor, _ dims: [Int]) -> Tensor {
        precondition(dims.reduce(1, *) == tensor.elementCount, "reshape keeps the element count")
        return Tensor(tensor.elementType, dims: dims, storage: tensor.storage)
    }

    /// Whether `tensor` is a floating-point constant (the only kind whose arithmetic the passes reassociate).
    static func isFloat(_ tensor: Tensor) -> Bool { tensor.elementType.isFloatingPoint }
}
