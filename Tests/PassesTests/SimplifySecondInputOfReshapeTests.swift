import XCTest
import OVIR
@testable import Passes

final class SimplifySecondInputOfReshapeTests: XCTestCase {
    /// x.view(x.shape[0], -1) as exported: Reshape(x, Concat(Unsqueeze(Gather(ShapeOf(x), 0)), [-1])).
    private func exportedView(specialZero: Bool = true, index: Int = 0, rest: [Int] = [-1]) throws -> (Graph, Node) {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        let shape = try g.add(ShapeOf(), [x.output()], name: "shape")
        let batch = try g.add(Gather(), [shape.output(), g.constant(.scalar(i64: index), name: "index"), g.constant(.scalar(i64: 0), name: "axis")], name: "batch")
        let piece = try g.add(Unsqueeze(), [batch.output(), g.constant(.i64([0]), name: "unsqueezeAxes")], name: "batchPiece")
        let target = try g.add(Concat(axis: 0), [piece.output(), g.constant(.i64(rest), name: "rest")], name: "target")
        g.addTensorNames(["target_tensor"], to: target.output())
        let r = try g.add(Reshape(specialZero: specialZero), [x.output(), target.output()], name: "r")
        try g.addResult(r.output(), name: "out")
        return (g, r)
    }

    private let feed: [String: Tensor] = ["x": iota([3, 4, 6])]

    /// The batch piece becomes [0] and special_zero turns on: Reshape(x, Concat([0], [-1]), special_zero).
    func testTheDataInputsOwnDimBecomesZero() throws {
        let (g, _) = try exportedView(specialZero: false)
        let result = try runChecked(SimplifySecondInputOfReshape(), on: g, inputs: feed)
        XCTAssertEqual(result, PassResult(changed: true))

        let e = Graph(name: "g")
        let x = try e.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        let zeros = try e.constant(.i64([0]), name: "target/zeros0")
        let target = try e.add(Concat(axis: 0), [zeros, e.constant(.i64([-1]), name: "rest")], name: "target")
        e.addTensorNames(["target_tensor"], to: target.output())
        try e.addResult(e.add(Reshape(specialZero: true), [x.output(), target.output()], name: "r").output(), name: "out")
        assertSameGraph(g, e)
        XCTAssertFalse(g.nodes.contains { $0.op is ShapeOf })
    }

    /// Gather(ShapeOf(x), 1) in position 0 copies dim 1 into dim 0: not a "copy the same dim", so no change.
    func testADimInAnotherPositionIsKept() throws {
        let (g, _) = try exportedView(index: 1)
        let before = try g.copy()
        XCTAssertEqual(try runChecked(SimplifySecondInputOfReshape(), on: g, inputs: feed), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// Without special_zero, a literal 0 elsewhere in the target means a 0-sized dim; turning special_zero on
    /// would change it into "copy", so no change.
    func testALiteralZeroWithoutSpecialZeroIsKept() throws {
        let (g, _) = try exportedView(specialZero: false, rest: [0, -1])
        let before = try g.copy()
        XCTAssertEqual(try SimplifySecondInputOfReshape().run(on: g), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// The shape of another tensor (y, whose batch may differ) is not the Reshape's own: no change.
    func testAnotherTensorsShapeIsKept() throws {
        let (g, r) = try exportedView()
        let y = try g.addParameter("y", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        try g.setInput(r, 0, to: y.output())
        let before = try g.copy()
        XCTAssertEqual(try SimplifySecondInputOfReshape().run(on: g), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// A target Concat read by another node too stays for that reader; this Reshape gets its own
    /// Concat, named after the Reshape.
    func testASharedTargetIsNotEditedInPlace() throws {
        let (g, r) = try exportedView()
        let target = r.inputs[1].node
        try g.addResult(target.output(), name: "targetOut")
        try runChecked(SimplifySecondInputOfReshape(), on: g, inputs: feed)
        XCTAssertEqual(r.inputs[1].node.name, "r/target")
        XCTAssertTrue(g.contains(target))
        XCTAssertTrue(target.inputs[0].node.op is Unsqueeze)
    }
}
