import XCTest
@testable import OVIR

final class GraphTests: XCTestCase {
    /// x[2,3] -> Add(x, c) -> Result
    private func small() throws -> (Graph, x: Node, add: Node, result: Node) {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2, 3])))
        let c = try g.constant(.f32([1, 2, 3]), name: "c")
        let add = try g.add(Add(), [x.output(), c], name: "add")
        let r = try g.addResult(add.output(), name: "y")
        return (g, x, add, r)
    }

    func testInsertingAfterAValueDoesNotCreateASelfCycle() throws {
        let (g, x, add, _) = try small()
        // Insert Convert(f16) after x and make its readers read it: the Convert itself must keep reading x.
        let convert = try g.add(Convert(.f16), [x.output()], name: "to_f16")
        let back = try g.add(Convert(.f32), [convert.output()], name: "to_f32")
        try g.replaceAllUses(of: x.output(), with: back.output())
        XCTAssertEqual(convert.inputs[0], x.output())
        XCTAssertEqual(add.inputs[0], back.output())
        try g.verify()
    }

    func testRewiringReinfersTypesDownstream() throws {
        let (g, _, add, result) = try small()
        let wider = try g.addParameter("z", TensorType(.f32, .fixed([4, 3])))
        try g.setInput(add, 0, to: wider.output())
        XCTAssertEqual(add.outputTypes, [TensorType(.f32, .fixed([4, 3]))])
        XCTAssertEqual(result.inputs[0].type, TensorType(.f32, .fixed([4, 3])))
        try g.verify()
    }

    /// x -> Sigmoid -> Multiply(x, sigmoid): when x changes, Multiply must see both new input types,
    /// whichever path reaches it first.
    func testReplacingAParameterReinfersNodesReadingTwoChangedPaths() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .dynamic(rank: 2)))
        let sig = try g.add(Sigmoid(), [x.output()], name: "sig")
        let mul = try g.add(Multiply(), [x.output(), sig.output()], name: "mul")
        let r = try g.addResult(mul.output(), name: "y")
        try g.replaceOp(of: x, with: Parameter(elementType: .f32, shape: .fixed([1, 8])))
        XCTAssertEqual(mul.outputTypes, [TensorType(.f32, .fixed([1, 8]))])
        XCTAssertEqual(r.inputs[0].type, TensorType(.f32, .fixed([1, 8])))
        try g.verify()
    }

    /// Reshape(x, Concat(Gather(ShapeOf(x), [0]), [144], [-1])) with x [?, 12, 12, 3]: the target is known in part.
    /// Making x static changes no type between x and the Reshape (ShapeOf stays i64[4]), only values; the
    /// Reshape must still re-infer.
    func testShapeSubgraphValuesReachTheReshapeAndFollowRewrites() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(12), .fixed(12), .fixed(3)])))
        let shape = try g.add(ShapeOf(), [x.output()], name: "shape")
        let batch = try g.add(Gather(), [shape.output(), g.constant(.i64([0]), name: "i"), g.constant(.scalar(i64: 0), name: "axis")], name: "batch")
        let target = try g.add(Concat(axis: 0), [batch.output(), g.constant(.i64([144]), name: "c"), g.constant(.i64([-1]), name: "m")], name: "target")
        let reshape = try g.add(Reshape(), [x.output(), target.output()], name: "reshape")
        try g.addResult(reshape.output(), name: "y")
        XCTAssertEqual(target.value, [.dynamic, .fixed(144), .fixed(-1)])
        XCTAssertEqual(reshape.outputTypes[0].shape, .ranked([.dynamic, .fixed(144), .dynamic]))
        try g.replaceOp(of: x, with: Parameter(elementType: .f32, shape: .fixed([2, 12, 12, 3])))
        // 2*12*12*3 = 864 elements = 2 * 144 * 3
        XCTAssertEqual(reshape.outputTypes[0].shape, .fixed([2, 144, 3]))
        try g.verify()
    }

    func testACopyIsEqualAndIndependent() throws {
        let (g, _, add, _) = try small()
        g.addTensorNames(["sum"], to: add.output())
        add.rtInfo = [RTAttribute(name: "fused_names", values: [("value", "add")])]
        let copy = try g.copy()
        XCTAssertNil(copy.firstDifference(from: g))
        let copiedAdd = copy.nodes.first { $0.name == "add" }!
        XCTAssertFalse(copiedAdd === add)
        try copy.setInput(copiedAdd, 1, to: copy.constant(.f32([0, 0, 0]), name: "zeros"))
        XCTAssertEqual(add.inputs[1].constant, .f32([1, 2, 3]), "the original keeps its input")
        try copy.verify()
        try g.verify()
    }

    func testBadRewiringIsAnErrorNamingTheNode() throws {
        let (g, x, add, _) = try small()
        XCTAssertThrowsError(try g.setInput(add, 5, to: x.output())) { XCTAssertTrue("\($0)".contains("'add'"), "\($0)") }
        XCTAssertThrowsError(try g.setInput(add, 0, to: Output(x, 3))) { XCTAssertTrue("\($0)".contains("output 3"), "\($0)") }
        let other = Graph()
        let stranger = try other.addParameter("s", TensorType(.f32, .fixed([2, 3])))
        XCTAssertThrowsError(try g.setInput(add, 0, to: stranger.output())) { XCTAssertTrue("\($0)".contains("not in this graph"), "\($0)") }
        XCTAssertThrowsError(try g.add(Add(), [x.output(), Output(x, 1)], name: "bad")) { XCTAssertTrue("\($0)".contains("'bad'"), "\($0)") }
        XCTAssertThrowsError(try g.replaceOp(of: x, with: Add())) { XCTAssertTrue("\($0)".contains("same kind"), "\($0)") }
        try g.verify()
    }

    func testDeadNodesAreRemovedWhateverTheirCreationOrder() throws {
        let (g, x, add, _) = try small()
        // A dead chain whose reader was created before what it reads (as after rewiring).
        let reader = try g.add(Negative(), [x.output()], name: "reader")
        let source = try g.add(Exp(), [x.output()], name: "source")
        try g.setInput(reader, 0, to: source.output())
        XCTAssertEqual(try g.removeDeadNodes(), 2)
        XCTAssertEqual(g.nodes.map(\.name), ["x", "c", "add", "y"])
        XCTAssertTrue(g.contains(add))
        try g.verify()
    }

    func testEraseRefusesANodeWithUsers() throws {
        let (g, _, add, _) = try small()
        XCTAssertThrowsError(try g.erase(add))
    }

    func testVerifyNamesAStaleType() throws {
        let (g, _, add, _) = try small()
        add.outputTypes = [TensorType(.f16, .fixed([2, 3]))]
        XCTAssertThrowsError(try g.verify()) { XCTAssertTrue("\($0)".contains("'add'"), "\($0)") }
    }
}
