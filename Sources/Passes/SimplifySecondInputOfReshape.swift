import OVIR

/// OpenVINO's `SimplifySecondInputOfReshape`: where a Reshape's target shape is a Concat of 1-D pieces and
/// a piece is `Gather(ShapeOf(x), i)` with `x` the Reshape's own data and `i` the piece's own positions in
/// the target, that piece becomes 0 and `special_zero` is set ("copy that dim"). A dynamic batch then no
/// longer needs ShapeOf, and the target often folds to a Const. Pieces may reach the Gather through
/// Unsqueeze, Squeeze and Convert, as exported `x.view(x.shape[0], ...)` does.
public struct SimplifySecondInputOfReshape: Pass {
    public let name = "SimplifySecondInputOfReshape"
    public let summary = "Reshape targets that copy the data's own dims from ShapeOf use 0 (special_zero) instead"

    public init() {}

    public func run(on graph: Graph) throws -> PassResult {
        var changed = false
        for node in graph.topologicalOrder() where node.op is Reshape {
            changed = try simplify(node, in: graph) || changed
        }
        if changed { try graph.removeDeadNodes() }
        return PassResult(changed: changed)
    }

    // Reshape(x, Concat(..., Gather(ShapeOf(x), [k..k+n)), ...)) with the piece at positions k..k+n
    //   -> Reshape(x, Concat(..., [0] * n, ...), special_zero=true)
    func simplify(_ reshape: Node, in graph: Graph) throws -> Bool {
        guard let op = reshape.op as? Reshape, let concat = reshape.inputs[1].node.op as? Concat,
              reshape.inputs[1].shape.rank == 1, concat.axis == 0 || concat.axis == -1 else { return false }
        let data = reshape.inputs[0], target = reshape.inputs[1].node
        var pieces = target.inputs
        var position = 0
        var replaced = false
        for (k, piece) in pieces.enumerated() {
            guard let length = piece.shape.staticDims.flatMap({ $0.count == 1 ? $0[0] : nil }) else { return false }
            if let indices = Self.shapeIndices(piece, of: data), indices == Array(position..<position + length) {
                pieces[k] = try graph.constant(Self.zeros(length, piece.elementType), name: "\(target.name)/zeros\(k)")
                replaced = true
            } else if !op.specialZero {
                // Without special_zero a 0 elsewhere is a real 0; turning it on would make it "copy".
                guard let values = piece.constant?.intValues(), !values.contains(0) else { return false }
            }
            position += length
        }
        guard replaced else { return false }
        let newTarget: Output
        if target.uses(of: 0).count == 1 {
            // Only this Reshape reads the target: edit it in place, so it keeps its names.
            for (k, piece) in pieces.enumerated() where piece != target.inputs[k] { try graph.setInput(target, k, to: piece) }
            newTarget = target.output()
        } else {
            newTarget = try graph.add(concat, pieces, name: "\(reshape.name)/target").output()
        }
        try graph.setInput(reshape, 1, to: newTarget)
        if !op.specialZero { try graph.replaceOp(of: reshape, with: Reshape(specialZero: true)) }
        return true
    }

    /// The dims of `data` that `piece` reads: `Gather(ShapeOf(data), Const indices, axis 0)`, possibly
    /// through Unsqueeze, Squeeze or Convert (negative indices counted from the end).
    static func shapeIndices(_ piece: Output, of data: Output) -> [Int]? {
        var value = piece
        while value.node.op is Unsqueeze || value.node.op is Squeeze || value.node.op is Convert {
            value = value.node.inputs[0]
        }
        let gather = value.node
        guard let op = gather.op as? Gather, op.batchDims == 0, gather.inputs[0].node.op is ShapeOf,
              gather.inputs[0].node.inputs[0] == data, gather.inputs[2].constant?.intValues() == [0],
              let indices = gather.inputs[1].constant?.intValues(), let rank = data.shape.rank else { return nil }
        return indices.map { $0 < 0 ? $0 + rank : $0 }
    }

    private static func zeros(_ count: Int, _ type: ElementType) -> Tensor {
        Tensor(type, dims: [count], bytes: Array(repeating: 0, count: type.byteCount(elements: count)))
    }
}
