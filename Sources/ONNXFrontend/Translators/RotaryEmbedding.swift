import OVIR

// RotaryEmbedding (opset 23) decomposed as ONNX's reference computes it (onnx/reference/ops/op_rotary_embedding.py):
// the first rotary_embedding_dim entries of each head (all of them when 0) are split into halves x1, x2 (or into
// even and odd entries when interleaved) and rotated by the caches,
//     real = cos·x1 - sin·x2,  imag = sin·x1 + cos·x2,
// then put back in the same places; the other entries pass through. The caches are [max_position, dim/2] indexed
// by position_ids [batch, sequence], or [batch, sequence, dim/2] without position_ids. A 4-D input is
// [batch, heads, sequence, head_size] and is rotated in that layout (the caches broadcast over axis 1); a 3-D
// input [batch, sequence, hidden] is split into num_heads heads ([batch, sequence, heads, head_size], the caches
// broadcast over axis 2) and joined again.
extension TranslatorTable {
    static let rotaryEmbedding: [TranslatorEntry] = [
        TranslatorEntry("RotaryEmbedding", since: 23, translateRotaryEmbedding),
    ]
}

private func translateRotaryEmbedding(_ ctx: NodeContext) throws -> [Output] {
    let input = try ctx.input(0)
    var cos = try ctx.input(1), sin = try ctx.input(2)
    let positionIds = try ctx.optionalInput(3)
    guard let rank = input.shape.rank, rank == 3 || rank == 4 else {
        throw ctx.error("input must be 3-D [batch, sequence, hidden] or 4-D [batch, heads, sequence, head_size], got \(input.shape)")
    }
    let interleaved = ctx.int("interleaved", 0) != 0
    var x = input, headAxis = 1
    if rank == 3 {
        let heads = ctx.int("num_heads", 0)
        guard heads > 0 else { throw ctx.error("a 3-D input needs the num_heads attribute") }
        if let hidden = input.shape.dims?[2].value, hidden % heads != 0 {
            throw ctx.error("hidden size \(hidden) is not a multiple of num_heads \(heads)")
        }
        x = try ctx.add(Reshape(specialZero: true), [input, ctx.i64([0, 0, heads, -1], "heads/shape")], "heads")
        headAxis = 2
    }
    let headSize = x.shape.dims?[3].value
    let dimAttribute = ctx.int("rotary_embedding_dim", 0)
    guard dimAttribute >= 0, dimAttribute % 2 == 0 else { throw ctx.error("rotary_embedding_dim \(dimAttribute) is not an even number") }
    if let d = headSize, dimAttribute > d { throw ctx.error("rotary_embedding_dim \(dimAttribute) exceeds the head size \(d)") }
    // nil: the whole head rotates.
    let rotaryDim: Int? = dimAttribute == 0 || dimAttribute == headSize ? nil : dimAttribute

    if let positionIds {
        guard positionIds.shape.rank == nil || positionIds.shape.rank == 2 else {
            throw ctx.error("position_ids must be 2-D [batch, sequence], got \(positionIds.shape)")
        }
        cos = try ctx.add(Gather(), [cos, positionIds, ctx.scalarI64(0, "cos/axis")], "cos/gathered")
        sin = try ctx.add(Gather(), [sin, positionIds, ctx.scalarI64(0, "sin/axis")], "sin/gathered")
    }
    for (what, cache) in [("cos_cache", cos), ("sin_cache", sin)] {
        guard cache.shape.rank == nil || cache.shape.rank == 3 else {
            throw ctx.error("\(what) gives \(cache.shape) per position; [batch, sequence, rotary_embedding_dim / 2] is expected")
        }
        if let half = cache.shape.dims?[2].value, let dim = rotaryDim ?? headSize, half * 2 != dim {
            throw ctx.error("the last dim of \(what) (\(half)) is not half the rotated size \(dim)")
        }
    }
    // [batch, sequence, half] → broadcastable over the heads (and the pair axis when interleaved).
    let cacheAxes = interleaved ? [headAxis, 4] : [headAxis]
    cos = try ctx.add(Unsqueeze(), [cos, ctx.i64(cacheAxes, "cos/axes")], "cos/unsqueezed")
    sin = try ctx.add(Unsqueeze(), [sin, ctx.i64(cacheAxes, "sin/axes")], "sin/unsqueezed")

    var rotated = x, passed: Output?
    if let rotaryDim {
        func slice(_ start: Int, _ stop: Int, _ suffix: String) throws -> Output {
            try ctx.add(Slice(), [x, ctx.i64([start], "\(suffix)/start"), ctx.i64([stop], "\(suffix)/stop"), ctx.i64([1], "\(suffix)/step"),
                                  ctx.i64([3], "\(suffix)/axes")], suffix)
        }
        rotated = try slice(0, rotaryDim, "rotated")
        passed = try slice(rotaryDim, Int(Int64.max), "passed")
    }
    // Interleaved: entries 2i and 2i+1 as pairs on a new last axis, split there.
    let splitAxis = interleaved ? 4 : 3
    if interleaved {
        rotated = try ctx.add(Reshape(specialZero: true), [rotated, ctx.i64([0, 0, 0, -1, 2], "pairs/shape")], "pairs")
    }
    let halves = try ctx.addNode(Split(numSplits: 2), [rotated, ctx.scalarI64(splitAxis, "split/axis")], "split")
    let x1 = halves.output(0), x2 = halves.output(1)
    let real = try ctx.add(Subtract(), [ctx.add(Multiply(), [cos, x1], "cosX1"), ctx.add(Multiply(), [sin, x2], "sinX2")], "real")
    let imag = try ctx.add(Add(), [ctx.add(Multiply(), [sin, x1], "sinX1"), ctx.add(Multiply(), [cos, x2], "cosX2")], "imag")
    let lastStep = passed == nil && rank == 4
    var y = try ctx.add(Concat(axis: splitAxis), [real, imag], lastStep && !interleaved ? nil : "joined")
    if interleaved {
        y = try ctx.add(Reshape(specialZero: true), [y, ctx.i64([0, 0, 0, -1], "unpaired/shape")], lastStep ? nil : "unpaired")
    }
    if let passed { y = try ctx.add(Concat(axis: 3), [y, passed], rank == 4 ? nil : "withPassed") }
    if rank == 3 { y = try ctx.add(Reshape(specialZero: true), [y, ctx.i64([0, 0, -1], "merged/shape")]) }
    return [y]
}
