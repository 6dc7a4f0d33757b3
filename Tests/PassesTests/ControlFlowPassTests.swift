import XCTest
import Evaluator
import OVIR
@testable import Passes

final class ControlFlowPassTests: XCTestCase {
    /// If(condition, x) named "branch": then = p * 2 ("mul", Const "two"), else = Negative(p) ("neg").
    private func branch(_ g: Graph, _ condition: Output, _ x: Output) throws -> Output {
        let thenBody = Graph()
        let p = try thenBody.addParameter("p", x.type)
        try thenBody.addResult(try thenBody.op(Multiply(), p.output(), thenBody.scalar(2, name: "two"), name: "mul"), name: "then_r")
        let elseBody = Graph()
        let q = try elseBody.addParameter("q", x.type)
        try elseBody.addResult(try elseBody.op(Negative(), q.output(), name: "neg"), name: "else_r")
        return try g.op(If(then: thenBody, else: elseBody, thenInputs: [.invariant(input: 1, parameter: 0)],
                           elseInputs: [.invariant(input: 1, parameter: 0)]), condition, x, name: "branch")
    }

    // If(Const true, x) -> x * 2, the Multiply taking the If's name and tensor names
    func testAnIfWithAConstantConditionBecomesTheBranchItTakes() throws {
        let g = try model { g, x in try branch(g, g.constant(.boolean([true], dims: []), name: "yes"), x) }
        let result = try runChecked(ConstantFolding(), on: g, inputs: modelInputs)
        XCTAssertTrue(result.changed)
        let expected = try model { g, x in
            let mul = try g.op(Multiply(), x, g.scalar(2, name: "two"), name: "branch")
            mul.node.rtInfo = [fusedNames("branch,mul")]
            return mul
        }
        assertSameGraph(g, expected)
    }

    // If(Equal(Gather(ShapeOf(x), 0), 8), x) with x [9]: the condition folds to false in the same run -> Negative(x)
    func testAConditionThatFoldsInTheSameRunInlinesTheElseBranch() throws {
        let g = try model { g, x in
            let rows = try g.op(Gather(), g.op(ShapeOf(), x, name: "shape"), g.constant(.scalar(i64: 0), name: "i"),
                                g.constant(.scalar(i64: 0), name: "axis"), name: "rows")
            let isEight = try g.op(Equal(), rows, g.constant(.scalar(i64: 8), name: "eight"), name: "is_eight")
            return try branch(g, isEight, x)
        }
        try runChecked(ConstantFolding(), on: g, inputs: modelInputs)
        let expected = try model { g, x in
            let neg = try g.op(Negative(), x, name: "branch")
            neg.node.rtInfo = [fusedNames("branch,neg")]
            return neg
        }
        assertSameGraph(g, expected)
    }

    func testAnIfOnARuntimeConditionStaysAsItIs() throws {
        let g = try model { g, x in
            let sum = try g.op(ReduceSum(keepDims: false), x, g.constant(.i64([0]), name: "axes"), name: "sum")
            return try branch(g, g.op(Greater(), sum, g.scalar(0, name: "zero"), name: "positive"), x)
        }
        let before = try g.copy()
        let result = try runChecked(ConstantFolding(), on: g, inputs: modelInputs)
        XCTAssertFalse(result.changed)
        assertSameGraph(g, before)
    }

    func testCSEMergesIfsOnlyWithEqualBodies() throws {
        let g = Graph(name: "g")
        let c = try g.addParameter("c", TensorType(.boolean, .scalar))
        let x = try g.addParameter("x", TensorType(.f32, .fixed([9])))
        let a = try branch(g, c.output(), x.output()), b = try branch(g, c.output(), x.output())
        let other = try g.op(If(then: (b.node.op as! If).elseBody.copy(), else: (b.node.op as! If).thenBody.copy(),
                                thenInputs: [.invariant(input: 1, parameter: 0)], elseInputs: [.invariant(input: 1, parameter: 0)]),
                             c.output(), x.output(), name: "swapped")
        try g.addResult(try g.op(Add(), a, b, name: "sum"), name: "out")
        try g.addResult(other, name: "out2")
        let inputs: [String: Tensor] = ["c": .boolean([true], dims: []), "x": modelInputs["x"]!]
        XCTAssertTrue(try runChecked(CommonSubexpressionElimination(), on: g, inputs: inputs).changed)
        XCTAssertEqual(g.nodes.filter { $0.op is If }.map(\.name), ["branch", "swapped"])
    }

    /// x [9] -> Multiply(x, 1) -> Loop(3, true): acc -> acc * sigmoid(acc) (+ a dead Negative), back edge, last value
    /// -> Add(Const 0) -> out. The passes simplify around the Loop; its body stays as it is, less its dead node.
    func testTheStandardPipelineLeavesALoopWorking() throws {
        let body = Graph()
        let acc = try body.addParameter("acc", TensorType(.f32, .fixed([9])))
        let swish = try body.op(Multiply(), acc.output(), body.op(Sigmoid(), acc.output(), name: "sig"), name: "swish")
        _ = try body.op(Negative(), acc.output(), name: "dead")
        try body.addResult(swish, name: "acc_r")
        try body.addResult(try body.constant(.boolean([true], dims: []), name: "yes"), name: "cond")
        let loop = Loop(body: body, bodyInputs: [.merged(input: 2, parameter: 0, backEdgeFrom: 0)], bodyOutputs: [.last(result: 0, output: 0)],
                        bodyConditionOutputIndex: 1)
        let g = try model { g, x in
            let one = try g.op(Multiply(), x, g.scalar(1, name: "one"), name: "times_one")
            let looped = try g.op(loop, g.constant(.scalar(i64: 3), name: "trip"), g.constant(.boolean([true], dims: []), name: "run"), one, name: "loop")
            return try g.op(Add(), looped, g.scalar(0, name: "zero"), name: "plus_zero")
        }
        let before = try g.copy()
        for pass in Pipeline.standard.passes { try runChecked(pass, on: g, inputs: modelInputs, tolerance: 1e-6) }
        let node = try XCTUnwrap(g.nodes.first { $0.op is Loop })
        XCTAssertEqual(node.inputs[2].node.name, "x", "x * 1 went")
        XCTAssertEqual(node.tensorNames, [["y"]], "Add(loop, 0) went, its names moved to the Loop")
        XCTAssertNil(body.nodes.first { $0.name == "dead" })
        XCTAssertEqual(body.nodes.map(\.op.typeName).sorted(), ["Const", "Multiply", "Parameter", "Result", "Result", "Sigmoid"])
        let expected = try Evaluator().run(before, inputs: modelInputs), actual = try Evaluator().run(g, inputs: modelInputs)
        XCTAssertEqual(actual, expected)
    }
}
