import XCTest
import OVIR
@testable import Passes

final class ConstantChainMergingTests: XCTestCase {
    /// Runs ConstantChainMerging on `before` (outputs checked through the evaluator), checks which rules fired,
    /// and compares with `expected`.
    private func assertMerges(_ before: Graph, into expected: Graph, rules: [String: Int],
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(ConstantChainMerging(), on: before, inputs: modelInputs, tolerance: 1e-6, file: file, line: line)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: result.rewrites.map { ($0.rule, $0.count) }), rules, file: file, line: line)
        assertSameGraph(before, expected, file: file, line: line)
    }

    /// x `op` Const(value) named "y" standing for `fused`, its Const named "y/Const".
    private func expected(_ op: any Op, _ value: Float, fused: String) throws -> Graph {
        try model { g, x in
            let node = try g.add(op, [x, g.constant(.scalar(f32: value), name: "y/Const")], name: "y")
            node.rtInfo = [fusedNames(fused)]
            return node.output()
        }
    }

    /// (x * 2) * 3 -> x * 6
    func testMultiplyChainMerges() throws {
        let g = try model { g, x in try g.op(Multiply(), g.op(Multiply(), x, g.scalar(2, name: "two"), name: "m"), g.scalar(3, name: "three"), name: "y") }
        try assertMerges(g, into: expected(Multiply(), 6, fused: "m,y"), rules: ["MultiplyChain": 1])
    }

    /// 2 + (x + 1) -> x + 3
    func testAddChainMerges() throws {
        let g = try model { g, x in try g.op(Add(), g.scalar(2, name: "two"), g.op(Add(), x, g.scalar(1, name: "one"), name: "a"), name: "y") }
        try assertMerges(g, into: expected(Add(), 3, fused: "a,y"), rules: ["AddChain": 1])
    }

    /// x - 2 -> x + (-2)
    func testSubtractingAConstantBecomesAdd() throws {
        let g = try model { g, x in try g.op(Subtract(), x, g.scalar(2, name: "two"), name: "y") }
        try assertMerges(g, into: expected(Add(), -2, fused: "y"), rules: ["SubtractAsAdd": 1])
    }

    /// x / 4 -> x * 0.25
    func testDividingByAConstantBecomesMultiply() throws {
        let g = try model { g, x in try g.op(Divide(), x, g.scalar(4, name: "four"), name: "y") }
        try assertMerges(g, into: expected(Multiply(), 0.25, fused: "y"), rules: ["DivideAsMultiply": 1])
    }

    /// ((x - 1) / 2) * 3 -> (x + -1) * 1.5: Subtract and Divide become Add and Multiply, and the Multiplies merge.
    func testNormalizeThenScaleMerges() throws {
        let g = try model { g, x in
            let shifted = try g.op(Subtract(), x, g.scalar(1, name: "one"), name: "s")
            return try g.op(Multiply(), g.op(Divide(), shifted, g.scalar(2, name: "two"), name: "d"), g.scalar(3, name: "three"), name: "y")
        }
        let e = try model { g, x in
            let add = try g.add(Add(), [x, g.constant(.scalar(f32: -1), name: "s/Const")], name: "s")
            add.rtInfo = [fusedNames("s")]
            let multiply = try g.add(Multiply(), [add.output(), g.constant(.scalar(f32: 1.5), name: "y/Const")], name: "y")  // 0.5 * 3
            multiply.rtInfo = [fusedNames("d,y")]
            return multiply.output()
        }
        try assertMerges(g, into: e, rules: ["SubtractAsAdd": 1, "DivideAsMultiply": 1, "MultiplyChain": 1])
    }

    /// ((x * 2) + 1) * 3 -> x * 6 + 3
    func testScaleMovesThroughAShift() throws {
        let g = try model { g, x in
            let scaled = try g.op(Multiply(), x, g.scalar(2, name: "two"), name: "m")
            return try g.op(Multiply(), g.op(Add(), scaled, g.scalar(1, name: "one"), name: "a"), g.scalar(3, name: "three"), name: "y")
        }
        let e = try model { g, x in
            let multiply = try g.add(Multiply(), [x, g.constant(.scalar(f32: 6), name: "y/Const")], name: "y/Multiply_1")
            multiply.rtInfo = [fusedNames("a,m,y")]
            let add = try g.add(Add(), [multiply.output(), g.constant(.scalar(f32: 3), name: "y/Const_2")], name: "y")
            add.rtInfo = [fusedNames("a,m,y")]
            return add.output()
        }
        try assertMerges(g, into: e, rules: ["ScaleThroughShift": 1])
    }

    /// (x * 2) * x, x / relu(x) and (x + 1) + x stay: the second operand is no constant.
    func testOperationsWithNonConstantOperandsStay() throws {
        let graphs = try [
            model { g, x in try g.op(Multiply(), g.op(Multiply(), x, g.scalar(2, name: "two"), name: "m"), x, name: "y") },
            model { g, x in try g.op(Divide(), x, g.op(Relu(), x, name: "r"), name: "y") },
            model { g, x in try g.op(Add(), g.op(Add(), x, g.scalar(1, name: "one"), name: "a"), x, name: "y") },
        ]
        for graph in graphs {
            let before = try graph.copy()
            XCTAssertEqual(try runChecked(ConstantChainMerging(), on: graph, inputs: modelInputs), PassResult(changed: false))
            assertSameGraph(graph, before)
        }
    }

    /// (x * a) * b with a [n,1] and b [1,n] (1 MiB each) stays: merging them would compute a 1 TiB constant
    /// (were it computed, this test would die of memory); with a [2,1] and b [1,2] it merges.
    func testAChainWhoseMergedConstantWouldGrowStays() throws {
        func chain(_ n: Int) throws -> Graph {
            let g = Graph(name: "g")
            let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 1])))
            let a = try g.constant(.f32(Array(repeating: 2, count: n), dims: [n, 1]), name: "a")
            let b = try g.constant(.f32(Array(repeating: 3, count: n), dims: [1, n]), name: "b")
            try g.addResult(g.op(Multiply(), g.op(Multiply(), x.output(), a, name: "m"), b, name: "y"), name: "out")
            return g
        }
        let big = try chain(1 << 18), before = try big.copy()
        XCTAssertEqual(try ConstantChainMerging().run(on: big), PassResult(changed: false))
        try big.verify()
        assertSameGraph(big, before)
        let small = try chain(2)
        XCTAssertEqual(try runChecked(ConstantChainMerging(), on: small, inputs: ["x": .f32([1], dims: [1, 1])]).rewrites,
                       [RuleFiring(rule: "MultiplyChain", count: 1)])
    }

    /// Integer x - 2 stays: only floating-point chains are rewritten.
    func testIntegerSubtractStays() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.i32, .fixed([3])))
        try g.addResult(g.op(Subtract(), x.output(), g.constant(.i32([2], dims: []), name: "two"), name: "y"), name: "out")
        let before = try g.copy()
        XCTAssertEqual(try runChecked(ConstantChainMerging(), on: g, inputs: ["x": .i32([1, 5, -3])]), PassResult(changed: false))
        assertSameGraph(g, before)
    }
}
