import XCTest
import OVIR
@testable import Passes

final class ScaledDotProductAttentionFusionTests: XCTestCase {
    /// q, k, v f32 [1, 2, 3, 4] (k `keyShape`), one Result "out" reading what `body` builds (tensor name "y").
    private func graph(keyShape: [Int] = [1, 2, 3, 4], _ body: (Graph, Output, Output, Output) throws -> Output) throws -> Graph {
        let g = Graph(name: "g")
        let q = try g.addParameter("q", TensorType(.f32, .fixed([1, 2, 3, 4])))
        let k = try g.addParameter("k", TensorType(.f32, .fixed(keyShape)))
        let v = try g.addParameter("v", TensorType(.f32, .fixed([1, 2, 3, 4])))
        let y = try body(g, q.output(), k.output(), v.output())
        g.addTensorNames(["y"], to: y)
        try g.addResult(y, name: "out")
        return g
    }

    /// Hand-picked values (no generator shared with the code under test): q, k and v of [1, 2, 3, 4] whose
    /// scores spread over a few units, so the softmax weights are neither uniform nor one-hot.
    private func inputs(keyShape: [Int] = [1, 2, 3, 4]) -> [String: Tensor] {
        let q: [Float] = [0.5, -1, 2, 0.25, 1, 0, -0.5, 1.5, -2, 0.75, 1, -1,
                          0.3, 0.6, -0.9, 1.2, -1.5, 1.8, 0.1, -0.4, 2.2, -0.7, 0.9, 0]
        let k: [Float] = [1, 0.5, -0.5, 2, -1, 1, 0.25, 0, 0.5, -1.5, 1, 1,
                          0.2, -0.3, 0.8, -1.1, 1.4, 0.6, -0.2, 0.9, -0.6, 1.3, 0.7, -1.8]
        let v: [Float] = [1, 2, 3, 4, -1, -2, -3, -4, 0.5, 0, -0.5, 1,
                          10, 0, -10, 5, 2, 4, 6, 8, -3, 1, -1, 3]
        return ["q": .f32(q, dims: [1, 2, 3, 4]), "k": .f32(k, dims: keyShape), "v": .f32(v, dims: [1, 2, 3, 4])]
    }

    private let mask = Tensor.f32([0, -1, -2, 0, 0, -1e9, 1, 0.5, 0], dims: [1, 1, 3, 3])

    /// The fused graph: SDPA(q, k, v, mask, scale) named "y", its scale (and mask) Consts named as the driver names them.
    private func expected(fused: String, mask maskTensor: Tensor? = nil, scale: Float, key: ((Graph, Output) throws -> Output)? = nil,
                          keyShape: [Int] = [1, 2, 3, 4]) throws -> Graph {
        try graph(keyShape: keyShape) { g, q, k, v in
            var made = 0
            func name() -> String { defer { made += 1 }; return made == 0 ? "y/Const" : "y/Const_\(made)" }
            var kk = k
            if let key { kk = try key(g, k); made = 2 }
            let m = try g.constant(maskTensor ?? .scalar(f32: 0), name: name())
            let s = try g.constant(.scalar(f32: scale), name: name())
            let node = try g.add(ScaledDotProductAttention(), [q, kk, v, m, s], name: "y")
            node.rtInfo = [fusedNames(fused)]
            return node.output()
        }
    }

    private func assertFuses(_ g: Graph, into e: Graph, keyShape: [Int] = [1, 2, 3, 4], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(ScaledDotProductAttentionFusion(), on: g, inputs: inputs(keyShape: keyShape), tolerance: 1e-5, file: file, line: line)
        XCTAssertEqual(result.rewrites, [RuleFiring(rule: "ScaledDotProductAttention", count: 1)], file: file, line: line)
        assertSameGraph(g, e, file: file, line: line)
    }

    /// softmax(MatMul(q, k, transpose_b) * 0.5) · v -> SDPA(q, k, v, 0, 0.5)
    func testTransposeBTimesScale() throws {
        let g = try graph { g, q, k, v in
            let scores = try g.op(MatMul(transposeB: true), q, k, name: "scores")
            let w = try g.op(Softmax(axis: -1), g.op(Multiply(), scores, g.scalar(0.5, name: "scale"), name: "scaled"), name: "weights")
            return try g.op(MatMul(), w, v, name: "y")
        }
        try assertFuses(g, into: expected(fused: "scaled,scores,weights,y", scale: 0.5))
    }

    /// softmax(MatMul(q, Transpose(k, [0, 1, 3, 2])) / 2) · v -> SDPA(q, k, v, 0, 0.5); softmax axis 3 is the last one too.
    func testExplicitTransposeDividedByScale() throws {
        let g = try graph { g, q, k, v in
            let kt = try g.op(Transpose(), k, g.constant(.i64([0, 1, 3, 2]), name: "perm"), name: "kt")
            let scores = try g.op(MatMul(), q, kt, name: "scores")
            let w = try g.op(Softmax(axis: 3), g.op(Divide(), scores, g.scalar(2, name: "divisor"), name: "scaled"), name: "weights")
            return try g.op(MatMul(), w, v, name: "y")
        }
        try assertFuses(g, into: expected(fused: "kt,scaled,scores,weights,y", scale: 0.5))
    }

    /// softmax(MatMul(q * 0.25, k, transpose_b)) · v -> SDPA(q, k, v, 0, 0.25)
    func testScaleOnQuery() throws {
        let g = try graph { g, q, k, v in
            let qs = try g.op(Multiply(), g.scalar(0.25, name: "scale"), q, name: "qs")
            let w = try g.op(Softmax(axis: -1), g.op(MatMul(transposeB: true), qs, k, name: "scores"), name: "weights")
            return try g.op(MatMul(), w, v, name: "y")
        }
        try assertFuses(g, into: expected(fused: "qs,scores,weights,y", scale: 0.25))
    }

    /// softmax(MatMul(q * 0.25, k, transpose_b) / 0.5) · v -> SDPA(q, k, v, 0, 0.25 / 0.5 = 0.5): both scales fold.
    func testQueryScaleAndDivisorFoldTogether() throws {
        let g = try graph { g, q, k, v in
            let qs = try g.op(Multiply(), q, g.scalar(0.25, name: "qscale"), name: "qs")
            let scores = try g.op(MatMul(transposeB: true), qs, k, name: "scores")
            let w = try g.op(Softmax(axis: -1), g.op(Divide(), scores, g.scalar(0.5, name: "divisor"), name: "scaled"), name: "weights")
            return try g.op(MatMul(), w, v, name: "y")
        }
        try assertFuses(g, into: expected(fused: "qs,scaled,scores,weights,y", scale: 0.5))
    }

    /// softmax(MatMul(q, k, transpose_b) * 0.5 + mask) · v -> SDPA(q, k, v, mask, 0.5), for both Add orders
    func testAdditiveMask() throws {
        for maskFirst in [false, true] {
            let g = try graph { g, q, k, v in
                let scaled = try g.op(Multiply(), g.op(MatMul(transposeB: true), q, k, name: "scores"), g.scalar(0.5, name: "scale"), name: "scaled")
                let m = try g.constant(mask, name: "mask")
                let masked = try maskFirst ? g.op(Add(), m, scaled, name: "masked") : g.op(Add(), scaled, m, name: "masked")
                return try g.op(MatMul(), g.op(Softmax(axis: -1), masked, name: "weights"), v, name: "y")
            }
            // The mask Const stays the graph's own node (it is an input of the match, not part of it).
            let e = try graph { g, q, k, v in
                let s = try g.constant(.scalar(f32: 0.5), name: "y/Const")
                let node = try g.add(ScaledDotProductAttention(), [q, k, v, g.constant(mask, name: "mask"), s], name: "y")
                node.rtInfo = [fusedNames("masked,scaled,scores,weights,y")]
                return node.output()
            }
            try assertFuses(g, into: e)
        }
    }

    /// A rank-2 mask Const [3, 3] is given to SDPA as [1, 3, 3] (the spec asks for rank 3 or more).
    func testRankTwoMaskGetsALeadingOne() throws {
        let mask2 = Tensor.f32([0, -1, -2, 0, 0, -1e9, 1, 0.5, 0], dims: [3, 3])
        let g = try graph { g, q, k, v in
            let masked = try g.op(Add(), g.op(MatMul(transposeB: true), q, k, name: "scores"), g.constant(mask2, name: "mask"), name: "masked")
            return try g.op(MatMul(), g.op(Softmax(axis: -1), masked, name: "weights"), v, name: "y")
        }
        try assertFuses(g, into: expected(fused: "masked,scores,weights,y", mask: .f32([0, -1, -2, 0, 0, -1e9, 1, 0.5, 0], dims: [1, 3, 3]), scale: 1))
    }

    /// A key transposed by a Transpose of more than the last two axes ([1, 3, 2, 4] -> [0, 2, 3, 1]) is given to
    /// SDPA through one Transpose [0, 2, 1, 3] that yields [1, 2, 3, 4], and no scale means 1.
    func testKeyThroughAWiderTranspose() throws {
        let keyShape = [1, 3, 2, 4]
        let g = try graph(keyShape: keyShape) { g, q, k, v in
            let kt = try g.op(Transpose(), k, g.constant(.i64([0, 2, 3, 1]), name: "perm"), name: "kt")
            let w = try g.op(Softmax(axis: -1), g.op(MatMul(), q, kt, name: "scores"), name: "weights")
            return try g.op(MatMul(), w, v, name: "y")
        }
        let e = try expected(fused: "kt,scores,weights,y", scale: 1, key: { g, k in
            let t = try g.add(Transpose(), [k, g.constant(.i64([0, 2, 1, 3]), name: "y/Const")], name: "y/Transpose_1")
            t.rtInfo = [fusedNames("kt,scores,weights,y")]
            return t.output()
        }, keyShape: keyShape)
        try assertFuses(g, into: e, keyShape: keyShape)
    }

    /// Softmax over a non-last axis, rank-2 operands and a per-head (not one-element) scale are not attention as
    /// SDPA computes it, and a mask added before the scale is not among the matched forms: nothing changes.
    func testOtherFormsStay() throws {
        let graphs = try [
            graph { g, q, k, v in
                let w = try g.op(Softmax(axis: 2), g.op(MatMul(transposeB: true), q, k, name: "scores"), name: "weights")
                return try g.op(MatMul(), w, v, name: "y")
            },
            graph { g, q, k, v in
                let scale = try g.constant(.f32([0.5, 0.25], dims: [1, 2, 1, 1]), name: "scale")
                let scaled = try g.op(Multiply(), g.op(MatMul(transposeB: true), q, k, name: "scores"), scale, name: "scaled")
                return try g.op(MatMul(), g.op(Softmax(axis: -1), scaled, name: "weights"), v, name: "y")
            },
            graph { g, q, k, v in
                let masked = try g.op(Add(), g.op(MatMul(transposeB: true), q, k, name: "scores"), g.constant(mask, name: "mask"), name: "masked")
                let scaled = try g.op(Multiply(), masked, g.scalar(0.5, name: "scale"), name: "scaled")
                return try g.op(MatMul(), g.op(Softmax(axis: -1), scaled, name: "weights"), v, name: "y")
            },
        ]
        // One query row ([1, 2, 1, 4]) against a [1, 1, 3, 3] mask: the Add broadcasts the scores up to 3 rows, which
        // SDPA (output [.., 1, 4]) would not.
        let oneRow = Graph(name: "g")
        let (q1, k1, v1) = try (oneRow.addParameter("q", TensorType(.f32, .fixed([1, 2, 1, 4]))), oneRow.addParameter("k", TensorType(.f32, .fixed([1, 2, 3, 4]))),
                                oneRow.addParameter("v", TensorType(.f32, .fixed([1, 2, 3, 4]))))
        let grown = try oneRow.op(Add(), oneRow.op(MatMul(transposeB: true), q1.output(), k1.output(), name: "scores"), oneRow.constant(mask, name: "mask"), name: "masked")
        try oneRow.addResult(oneRow.op(MatMul(), oneRow.op(Softmax(axis: -1), grown, name: "weights"), v1.output(), name: "y"), name: "out")
        let oneRowBefore = try oneRow.copy()
        XCTAssertEqual(try ScaledDotProductAttentionFusion().run(on: oneRow), PassResult(changed: false))
        assertSameGraph(oneRow, oneRowBefore)

        for g in graphs {
            let before = try g.copy()
            XCTAssertEqual(try runChecked(ScaledDotProductAttentionFusion(), on: g, inputs: inputs()), PassResult(changed: false))
            assertSameGraph(g, before)
        }
        // Rank 2: [3, 4] operands.
        let g = Graph(name: "g")
        let (q, k, v) = try (g.addParameter("q", TensorType(.f32, .fixed([3, 4]))), g.addParameter("k", TensorType(.f32, .fixed([3, 4]))),
                             g.addParameter("v", TensorType(.f32, .fixed([3, 4]))))
        let w = try g.op(Softmax(axis: -1), g.op(MatMul(transposeB: true), q.output(), k.output(), name: "scores"), name: "weights")
        try g.addResult(g.op(MatMul(), w, v.output(), name: "y"), name: "out")
        let before = try g.copy()
        XCTAssertEqual(try ScaledDotProductAttentionFusion().run(on: g), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// The scores read elsewhere too (returned as a second output) keep the block unfused: fusing would save nothing.
    func testScoresReadOutsideStay() throws {
        let g = try graph { g, q, k, v in
            let scores = try g.op(MatMul(transposeB: true), q, k, name: "scores")
            try g.addResult(scores, name: "scores_out")
            return try g.op(MatMul(), g.op(Softmax(axis: -1), scores, name: "weights"), v, name: "y")
        }
        XCTAssertEqual(try runChecked(ScaledDotProductAttentionFusion(), on: g, inputs: inputs()), PassResult(changed: false))
    }
}
