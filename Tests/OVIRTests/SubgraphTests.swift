import XCTest
@testable import OVIR

/// The graph-wide operations that see body graphs: walk, verify, copy, equality, dead-node removal, inlining.
final class SubgraphTests: XCTestCase {
    /// m: If(c, x) with then = x + 1 (plus a dead Negative), else = x; result y.
    private func model() throws -> (Graph, If, Node) {
        let thenBody = Graph()
        let p = try thenBody.addParameter("tp", TensorType(.f32, .fixed([2])))
        let add = try thenBody.add(Add(), [p.output(), thenBody.constant(.f32([1, 1]), name: "one")], name: "add")
        try thenBody.add(Negative(), [p.output()], name: "dead")
        try thenBody.addResult(add.output(), name: "tr")
        let elseBody = Graph()
        let q = try elseBody.addParameter("ep", TensorType(.f32, .fixed([2])))
        try elseBody.addResult(q.output(), name: "er")
        let op = If(then: thenBody, else: elseBody, thenInputs: [.invariant(input: 1, parameter: 0)], elseInputs: [.invariant(input: 1, parameter: 0)])
        let g = Graph(name: "m")
        let c = try g.addParameter("c", TensorType(.boolean, .scalar))
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let node = try g.add(op, [c.output(), x.output()], name: "if")
        try g.addResult(node.output(), name: "y")
        return (g, op, node)
    }

    func testWalkVisitsBodiesWithTheirPaths() throws {
        let (g, op, _) = try model()
        var seen: [String] = []
        g.walk { graph, path in seen.append("\(path) \(graph.nodeCount)") }
        XCTAssertEqual(seen, ["model 4", "If 'if' then_body 5", "If 'if' else_body 2"])
        XCTAssertTrue(g.allGraphs[1] === op.thenBody)
    }

    func testVerifyNamesTheOwningNodeAndTheBody() throws {
        let (g, op, _) = try model()
        try g.verify()
        // A body Parameter typed unlike the outer input it takes.
        try op.elseBody.setParameterTypes([0: TensorType(.f32, .fixed([3]))])
        XCTAssertThrowsError(try g.verify()) { error in
            XCTAssertEqual("\(error)", "node 'if': else_body Parameter #0 'ep' is typed f32[3] but its input gives f32[2]")
        }
    }

    func testCopyIsDeepAndStructurallyEqual() throws {
        let (g, op, _) = try model()
        let copy = try g.copy()
        XCTAssertNil(g.firstDifference(from: copy))
        let copied = try XCTUnwrap(copy.nodes.first { $0.op is If }?.op as? If)
        XCTAssertFalse(copied.thenBody === op.thenBody)
        XCTAssertEqual(copied.thenBody.nodeCount, 4, "the dead Negative is not copied")
        let add = try XCTUnwrap(copied.thenBody.nodes.first { $0.name == "add" })
        add.name = "renamed"
        XCTAssertEqual(g.firstDifference(from: copy), "node #2 'if' (If): then_body: node #2 'add' (Add): name vs 'renamed'")
        XCTAssertNotNil(op.thenBody.nodes.first { $0.name == "add" }, "the original body is untouched")
    }

    func testDeadNodesGoInsideBodiesToo() throws {
        let (g, op, _) = try model()
        XCTAssertEqual(try g.removeDeadNodes(), 1)
        XCTAssertNil(op.thenBody.nodes.first { $0.name == "dead" })
        try g.verify()
    }

    func testInlineBindsParametersAndReturnsTheResultsValues() throws {
        let (g, op, node) = try model()
        let values = try g.inline(op.thenBody, arguments: [node.inputs[1]])
        XCTAssertEqual(values.count, 1)
        XCTAssertEqual(values[0].node.name, "add")
        XCTAssertEqual(values[0].node.inputs[0], node.inputs[1])
        XCTAssertEqual(values[0].type, TensorType(.f32, .fixed([2])))
        XCTAssertTrue(values[0].node.tensorNames[0].isEmpty)
        XCTAssertEqual(try g.inline(op.elseBody, arguments: [node.inputs[1]]), [node.inputs[1]], "a Result reading a Parameter gives the argument")
    }
}
