import XCTest
import OVIR
@testable import Passes

final class RewriteDriverTests: XCTestCase {
    private let x = Pattern.any("x")

    /// A pass made of the given rules, for running them through `runChecked`.
    private struct Rules: RewritePass {
        let name = "Rules"
        let summary = "test rules"
        let rules: [Rule]
    }

    /// y = x + x; rule x + x -> x * 2 builds a Const and a Multiply: the Multiply takes the root's name "y"
    /// and tensor name, both new nodes' fused_names list the Add, the Const is named "y/Const".
    func testTheReplacementTakesTheRootsNamesAndListsTheFusedNodes() throws {
        let g = try model { g, x in try g.op(Add(), x, x, name: "y") }
        // x + x -> x * 2
        let rule = Rule("Double", x + x) { m in try m.add(Multiply(), m["x"], m.constant(.scalar(f32: 2))) }
        let result = try runChecked(Rules(rules: [rule]), on: g, inputs: modelInputs)
        XCTAssertEqual(result, PassResult(changed: true, rewrites: [RuleFiring(rule: "Double", count: 1)]))

        let e = try model { g, x in
            let product = try g.add(Multiply(), [x, g.constant(.scalar(f32: 2), name: "y/Const")], name: "y")
            product.rtInfo = [fusedNames("y")]
            return product.output()
        }
        assertSameGraph(g, e)
    }

    /// A callback that adds a node and then declines leaves the graph as it was, without that node.
    func testADecliningCallbackLeavesNothingBehind() throws {
        let g = try model { g, x in try g.op(Relu(), x, name: "y") }
        let before = try g.copy()
        let rule = Rule("Decline", .op(Relu.self, x)) { m in
            _ = try m.add(Sigmoid(), m["x"])
            return nil
        }
        XCTAssertEqual(try runChecked(Rules(rules: [rule]), on: g, inputs: modelInputs), PassResult(changed: false))
        assertSameGraph(g, before)
        XCTAssertEqual(g.nodeCount, 3)
    }

    /// A replacement of another type (here another shape) is declined.
    func testAReplacementOfAnotherTypeIsDeclined() throws {
        let g = try model { g, x in try g.op(Relu(), x, name: "y") }
        let before = try g.copy()
        let rule = Rule("WrongShape", .op(Relu.self, x)) { m in try m.constant(.f32([1, 2])) }
        XCTAssertEqual(try runChecked(Rules(rules: [rule]), on: g, inputs: modelInputs), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// x * sigmoid(x) where the Sigmoid also feeds a second output: fusing would keep the Sigmoid and save
    /// nothing, so the match is declined.
    func testAMatchWhoseInnerNodesAreReadElsewhereIsDeclined() throws {
        let g = Graph(name: "g")
        let input = try g.addParameter("x", TensorType(.f32, .fixed([9])))
        let s = try g.op(Sigmoid(), input.output(), name: "s")
        try g.addResult(g.op(Multiply(), input.output(), s, name: "y"), name: "out")
        try g.addResult(s, name: "gate")
        let before = try g.copy()
        let result = try runChecked(ActivationFusion(), on: g, inputs: modelInputs)
        XCTAssertEqual(result, PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// relu(relu(relu(relu(x)))) with relu(relu(x)) -> relu(x): each firing exposes the next, all in one sweep
    /// (the sweep sees the new node as the next one's input); one Relu is left, named after the outermost
    /// and standing for all four.
    func testRulesRunToAFixpointAndCountTheirFirings() throws {
        let g = try model { g, x in
            var v = x
            for k in 1...4 { v = try g.op(Relu(), v, name: "r\(k)") }
            return v
        }
        // relu(relu(x)) -> relu(x)
        let rule = Rule("ReluTwice", .op(Relu.self, .op(Relu.self, x))) { m in try m.add(Relu(), m["x"]) }
        let result = try runChecked(Rules(rules: [rule]), on: g, inputs: modelInputs)
        XCTAssertEqual(result.rewrites, [RuleFiring(rule: "ReluTwice", count: 3)])

        let e = try model { g, x in
            let r = try g.add(Relu(), [x], name: "r4")
            r.rtInfo = [fusedNames("r1,r2,r3,r4")]
            return r.output()
        }
        assertSameGraph(g, e)
    }

    /// A rule that always fires stops at the sweep cap, and the run says so.
    func testTheDriverStopsAtTheSweepCap() throws {
        let g = try model { g, x in try g.op(Relu(), x, name: "y") }
        // relu(x) -> relu(x), forever
        let rule = Rule("Again", .op(Relu.self, x)) { m in try m.add(Relu(), m["x"]) }
        let outcome = try RewriteDriver([rule], maxSweeps: 3).run(on: g)
        try g.verify()
        XCTAssertEqual(outcome, RewriteDriver.Outcome(fired: [RuleFiring(rule: "Again", count: 3)], hitCap: true))
        XCTAssertEqual(g.nodeCount, 3, "each replaced Relu is removed")
    }

    /// A replacement with more dims known ([2, 3] for [?, 3]) is declined unless the driver accepts refined
    /// types; then it fires and the readers are re-inferred. A less known shape is declined either way.
    func testARefinedTypeIsAcceptedOnlyWhenAsked() throws {
        func graph() throws -> Graph {
            try oneInputGraph(.ranked([.dynamic, .fixed(3)])) { g, x in try g.op(Relu(), g.op(Relu(), x, name: "inner"), name: "y") }
        }
        // relu(x) -> a [2, 3] Const
        let refine = Rule("Refine", .op(Relu.self, .op(Relu.self, x))) { m in try m.constant(.f32([0, 0, 0, 0, 0, 0], dims: [2, 3])) }
        let declined = try graph()
        XCTAssertEqual(try RewriteDriver([refine]).run(on: declined).fired, [])
        let accepted = try graph()
        XCTAssertEqual(try RewriteDriver([refine], acceptsRefinedTypes: true).run(on: accepted).fired, [RuleFiring(rule: "Refine", count: 1)])
        XCTAssertEqual(accepted.results[0].inputs[0].shape, .fixed([2, 3]))

        XCTAssertTrue(RewriteDriver.refines(TensorType(.f32, .fixed([2, 3])), TensorType(.f32, .ranked([.dynamic, .fixed(3)]))))
        XCTAssertTrue(RewriteDriver.refines(TensorType(.f32, .fixed([2])), TensorType(.f32, .dynamicRank)))
        XCTAssertFalse(RewriteDriver.refines(TensorType(.f32, .ranked([.dynamic, .fixed(3)])), TensorType(.f32, .fixed([2, 3]))))
        XCTAssertFalse(RewriteDriver.refines(TensorType(.f32, .fixed([9])), TensorType(.f32, .ranked([Dim(lower: 1, upper: 8)]))))
        XCTAssertFalse(RewriteDriver.refines(TensorType(.f16, .fixed([2, 3])), TensorType(.f32, .ranked([.dynamic, .fixed(3)]))))
    }
}
