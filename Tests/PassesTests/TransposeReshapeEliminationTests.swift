import XCTest
import OVIR
@testable import Passes

final class TransposeReshapeEliminationTests: XCTestCase {
    /// A graph with the input x f32 [2, 3, 4] and one Result "out" reading what `body` builds (tensor name "y").
    private func graph(_ body: (Graph, Output) throws -> Output) throws -> Graph {
        try oneInputGraph(.fixed([2, 3, 4]), body)
    }

    private let inputs: [String: Tensor] = ["x": .f32((0..<24).map(Float.init), dims: [2, 3, 4])]

    private func run(_ g: Graph, rules: [String: Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(TransposeReshapeElimination(), on: g, inputs: inputs, file: file, line: line)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: result.rewrites.map { ($0.rule, $0.count) }), rules, file: file, line: line)
    }

    /// Transpose(Transpose(x, [0, 2, 1]), [0, 2, 1]) -> x
    func testInverseTransposesCancel() throws {
        let g = try graph { g, x in
            let t = try g.op(Transpose(), x, g.constant(.i64([0, 2, 1]), name: "p"), name: "t")
            return try g.op(Transpose(), t, g.constant(.i64([0, 2, 1]), name: "q"), name: "y")
        }
        try run(g, rules: ["TransposePair": 1])
        let e = try graph { _, x in x }
        assertSameGraph(g, e)
    }

    /// Transpose(Transpose(x, [1, 2, 0]), [1, 2, 0]) -> Transpose(x, [2, 0, 1]) (q picks from p: p[1], p[2], p[0])
    func testTwoTransposesBecomeOne() throws {
        let g = try graph { g, x in
            let t = try g.op(Transpose(), x, g.constant(.i64([1, 2, 0]), name: "p"), name: "t")
            return try g.op(Transpose(), t, g.constant(.i64([1, 2, 0]), name: "q"), name: "y")
        }
        try run(g, rules: ["TransposePair": 1])
        let e = try graph { g, x in
            let t = try g.add(Transpose(), [x, g.constant(.i64([2, 0, 1]), name: "y/Const")], name: "y")
            t.rtInfo = [fusedNames("t,y")]
            return t.output()
        }
        assertSameGraph(g, e)
    }

    /// Reshape(x, [2, 3, 4]) -> x; Reshape(Reshape(x, [6, 4]), [0, 2, 2] with special zero) -> Reshape(x, [6, 2, 2])
    func testIdentityReshapeGoesAndReshapeChainsCollapse() throws {
        let g = try graph { g, x in try g.op(Reshape(specialZero: false), x, g.constant(.i64([2, 3, 4]), name: "s"), name: "y") }
        try run(g, rules: ["IdentityReshape": 1])
        assertSameGraph(g, try graph { _, x in x })

        let chain = try graph { g, x in
            let flat = try g.op(Reshape(specialZero: false), x, g.constant(.i64([6, 4]), name: "s"), name: "r")
            return try g.op(Reshape(specialZero: true), flat, g.constant(.i64([0, 2, 2]), name: "t"), name: "y")
        }
        try run(chain, rules: ["ReshapeChain": 1])
        let e = try graph { g, x in
            let r = try g.add(Reshape(specialZero: false), [x, g.constant(.i64([6, 2, 2]), name: "y/Const")], name: "y")
            r.rtInfo = [fusedNames("r,y")]
            return r.output()
        }
        assertSameGraph(chain, e)
    }

    /// Transpose(Transpose(x, p), q) whose inner Transpose is read elsewhere too, and a Reshape that changes the
    /// shape, stay.
    func testSharedTransposesAndRealReshapesStay() throws {
        let graphs = try [
            graph { g, x in
                let t = try g.op(Transpose(), x, g.constant(.i64([0, 2, 1]), name: "p"), name: "t")
                let back = try g.op(Transpose(), t, g.constant(.i64([0, 2, 1]), name: "q"), name: "back")
                let flat = try g.op(Reshape(specialZero: false), t, g.constant(.i64([2, 3, 4]), name: "s"), name: "flat")
                return try g.op(Add(), back, flat, name: "y")
            },
            graph { g, x in try g.op(Reshape(specialZero: false), x, g.constant(.i64([4, 6]), name: "s"), name: "y") },
        ]
        for g in graphs {
            let before = try g.copy()
            XCTAssertEqual(try runChecked(TransposeReshapeElimination(), on: g, inputs: inputs), PassResult(changed: false))
            assertSameGraph(g, before)
        }
    }

    /// YOLO11's attention: (xᵀ·x)·(xᵀ·x)ᵀ with each ᵀ a Transpose of the last two dims becomes MatMul(x, x,
    /// transpose_a) and MatMul(s, s, transpose_b): the Transposes go, the values stay.
    func testLastTwoDimsTransposesBecomeMatMulFlags() throws {
        let g = try graph { g, x in
            let xt = try g.op(Transpose(), x, g.constant(.i64([0, 2, 1]), name: "p"), name: "xt")
            let scores = try g.op(MatMul(), xt, x, name: "scores")
            let st = try g.op(Transpose(), scores, g.constant(.i64([0, 2, 1]), name: "q"), name: "st")
            return try g.op(MatMul(), scores, st, name: "y")
        }
        try run(g, rules: ["TransposeIntoMatMulA": 1, "TransposeIntoMatMulB": 1])
        let e = try graph { g, x in
            let scores = try g.add(MatMul(transposeA: true), [x, x], name: "scores")
            scores.rtInfo = [fusedNames("scores,xt")]
            let y = try g.add(MatMul(transposeB: true), [scores.output(), scores.output()], name: "y")
            y.rtInfo = [fusedNames("st,y")]
            return y.output()
        }
        assertSameGraph(g, e)
    }

    /// A Transpose that moves another dim, or one read by a second node, stays.
    func testOtherTransposesIntoMatMulStay() throws {
        let g = try graph { g, x in
            let moved = try g.op(Transpose(), x, g.constant(.i64([1, 0, 2]), name: "p"), name: "moved")
            let product = try g.op(MatMul(transposeB: true), moved, moved, name: "product")
            let shared = try g.op(Transpose(), x, g.constant(.i64([0, 2, 1]), name: "q"), name: "shared")
            let twice = try g.op(MatMul(), x, shared, name: "twice")
            return try g.op(Add(), g.op(ReduceSum(keepDims: false), product, g.constant(.i64([0, 1, 2]), name: "axes"), name: "sum"),
                            g.op(ReduceSum(keepDims: false), g.op(Add(), twice, g.op(MatMul(), x, shared, name: "again"), name: "both"),
                                 g.constant(.i64([0, 1, 2]), name: "axes2"), name: "sum2"), name: "y")
        }
        let before = try g.copy()
        try run(g, rules: [:])
        assertSameGraph(g, before)
    }
}
