import OVIR

// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss decomposed as ONNX's reference computes them
// (onnx/reference/ops/op_negative_log_likelihood_loss.py, op_softmax_cross_entropy_loss.py): for input
// [N, C, d1, ...] and target [N, d1, ...], loss = -input[n, target, d...] · weight[target], 0 where the
// target is ignore_index; "mean" with a weight or an ignore_index divides by the sum of the weights of the
// targets not ignored, otherwise by the element count.
extension TranslatorTable {
    static let losses: [TranslatorEntry] = [
        TranslatorEntry("NegativeLogLikelihoodLoss", since: 12) { ctx in
            [try negativeLogLikelihood(ctx, ctx.input(0))]
        },
        TranslatorEntry("SoftmaxCrossEntropyLoss", since: 12) { ctx in
            let scores = try ctx.input(0)
            _ = try ctx.rank(of: scores, atLeast: 2, "scores")
            let logProb = try ctx.add(LogSoftmax(axis: 1), [scores], "logProb")
            let loss = try negativeLogLikelihood(ctx, logProb)
            return ctx.hasOutput(1) ? [loss, logProb] : [loss]
        },
    ]
}

/// The NLL loss of log-probabilities `x` [N, C, d...] against input 1 (target) and optional input 2 (weight).
private func negativeLogLikelihood(_ ctx: NodeContext, _ x: Output) throws -> Output {
    _ = try ctx.rank(of: x, atLeast: 2, "input")
    var target = try ctx.input(1)
    let weight = try ctx.optionalInput(2)
    let reduction = ctx.string("reduction", "mean")
    guard ["none", "sum", "mean"].contains(reduction) else { throw ctx.error("reduction '\(reduction)' is not none, sum or mean") }
    guard target.elementType == .i64 || target.elementType == .i32 || target.elementType == .dynamic else {
        throw ctx.error("target must be int32 or int64, got \(target.elementType)")
    }
    if target.elementType != .i64 { target = try ctx.add(Convert(.i64), [target], "target/i64") }

    // Ignored targets may lie outside [0, C) (-1, C, ...): they gather class 0 and their loss is zeroed.
    var valid: Output?
    if let ignore = ctx.int("ignore_index") {
        valid = try ctx.add(NotEqual(), [target, ctx.scalarI64(ignore, "ignoreIndex")], "valid")
        target = try ctx.add(Select(), [valid!, target, ctx.scalarI64(0, "safeTarget/zero")], "safeTarget")
    }
    let index = try ctx.add(Unsqueeze(), [target, ctx.i64([1], "index/axis")], "index")
    let picked = try ctx.add(Squeeze(), [ctx.add(GatherElements(axis: 1), [x, index], "gather"), ctx.i64([1], "picked/axis")], "picked")
    // With reduction "none" the last node of the loss takes the node's name.
    let none = reduction == "none", ignoring = ctx.int("ignore_index") != nil
    var loss = try ctx.add(Negative(), [picked], none && weight == nil && !ignoring ? nil : "negated")
    // The weight of each element's target (0 where ignored): the "mean" divisor when there is one.
    var elementWeight: Output?
    if let weight {
        let w = try ctx.add(Gather(), [weight, target, ctx.scalarI64(0, "weight/axis")], "targetWeight")
        loss = try ctx.add(Multiply(), [loss, w], none && !ignoring ? nil : "weighted")
        elementWeight = w
    }
    if let valid {
        let zero = try ctx.scalar(0, like: x, "zero")
        loss = try ctx.add(Select(), [valid, loss, zero], none ? nil : "unignored")
        elementWeight = try ctx.add(Select(), [valid, elementWeight ?? ctx.scalar(1, like: x, "one"), zero], "validWeight")
    }

    func total(_ v: Output, _ suffix: String) throws -> Output {
        let flat = try ctx.add(Reshape(specialZero: false), [v, ctx.i64([-1], "\(suffix)/shape")], "\(suffix)/flat")
        return try ctx.add(ReduceSum(keepDims: false), [flat, ctx.i64([0], "\(suffix)/axis")], suffix)
    }
    switch reduction {
    case "none":
        return loss
    case "sum":
        return try ctx.add(ReduceSum(keepDims: false), [ctx.add(Reshape(specialZero: false), [loss, ctx.i64([-1], "flatShape")], "flat"),
                                                       ctx.i64([0], "axis")])
    default:
        if let elementWeight {
            return try ctx.add(Divide(), [total(loss, "lossSum"), total(elementWeight, "weightSum")])
        }
        return try ctx.add(ReduceMean(keepDims: false), [ctx.add(Reshape(specialZero: false), [loss, ctx.i64([-1], "flatShape")], "flat"),
                                                        ctx.i64([0], "axis")])
    }
}
