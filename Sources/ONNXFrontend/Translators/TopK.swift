import OVIR

// TopK: k as attribute (opset 1) or input (10+); largest/sorted from 11.
extension TranslatorTable {
    static let topk: [TranslatorEntry] = [
        TranslatorEntry("TopK") { ctx in
            guard let k = ctx.int("k") else { throw ctx.error("attribute 'k' is required") }
            return try translateTopK(ctx, k: ctx.scalarI64(k, "k"))
        },
        TranslatorEntry("TopK", since: 10) { ctx in
            let k = try ctx.input(1)
            if let v = k.constant?.intValues(), v.count == 1 { return try translateTopK(ctx, k: ctx.scalarI64(v[0], "k")) }
            return try translateTopK(ctx, k: k.shape.rank == 0 ? k : ctx.add(Squeeze(), [k], "k"))
        },
    ]
}

/// ONNX TopK returns i64 indices, ties in index order; an unsorted result may come in any order, so it is sorted too.
private func translateTopK(_ ctx: NodeContext, k: Output) throws -> [Output] {
    let mode: TopK.Mode = ctx.int("largest", 1) != 0 ? .max : .min
    let op = TopK(axis: ctx.int("axis", -1), mode: mode, sort: .value, indexElementType: .i64, stable: true)
    let node = try ctx.addNode(op, [ctx.input(0), k])
    return [node.output(0), node.output(1)]
}
