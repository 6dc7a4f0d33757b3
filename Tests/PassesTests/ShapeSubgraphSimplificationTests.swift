import XCTest
import OVIR
@testable import Passes

final class ShapeSubgraphSimplificationTests: XCTestCase {
    private let pass = ShapeSubgraphSimplification()

    private func i64(_ g: Graph, _ values: [Int], _ name: String) throws -> Output {
        try g.constant(.i64(values), name: name)
    }

    /// `x.view(x.size(0), -1, 6, 64)` as torch.onnx exports it for x [b, 400, 384] after a bias add:
    /// Reshape(x + bias, Concat(Slice(ShapeOf(x), 0, 1), [-1, 6, 64])).
    private func headsView(data: (Graph, Output) throws -> Output = { g, x in
        try g.op(Add(), x, g.constant(.f32(Array(repeating: 0.25, count: 384)), name: "bias"), name: "biased")
    }) throws -> Graph {
        try oneInputGraph(.ranked([.dynamic, .fixed(400), .fixed(384)])) { g, x in
            let shape = try g.op(ShapeOf(), x, name: "shape")
            let batch = try g.op(Slice(), shape, i64(g, [0], "start"), i64(g, [1], "stop"), i64(g, [1], "step"), name: "batch")
            let target = try g.op(Concat(axis: 0), batch, i64(g, [-1, 6, 64], "rest"), name: "target")
            return try g.op(Reshape(), data(g, x), target, name: "view")
        }
    }

    private let batchOf2: [String: Tensor] = ["x": .f32((0..<2 * 400 * 384).map { Float($0 % 97) }, dims: [2, 400, 384])]

    /// The batch piece is the data's own dim 0: the target becomes the Const [0, -1, 6, 64] with special_zero,
    /// and the view's type becomes [?, 400, 6, 64].
    func testATargetCopyingTheDataBatchBecomesAConst() throws {
        let g = try headsView()
        let result = try runChecked(pass, on: g, inputs: batchOf2)
        XCTAssertEqual(result, PassResult(changed: true, rewrites: [RuleFiring(rule: "ReshapeTargetToConst", count: 1)]))

        let e = try oneInputGraph(.ranked([.dynamic, .fixed(400), .fixed(384)])) { g, x in
            let biased = try g.op(Add(), x, g.constant(.f32(Array(repeating: 0.25, count: 384)), name: "bias"), name: "biased")
            let view = try g.add(Reshape(specialZero: true), [biased, i64(g, [0, -1, 6, 64], "view/Const")], name: "view")
            view.rtInfo = [fusedNames("view")]
            return view.output()
        }
        assertSameGraph(g, e)
        XCTAssertEqual(g.results[0].inputs[0].shape, .ranked([.dynamic, .fixed(400), .fixed(6), .fixed(64)]))
    }

    /// Reshape(q * 0.125, ShapeOf(q)): the product has q's dims, so the Reshape goes (and its ShapeOf with it).
    func testAReshapeToTheDimsItHasGoes() throws {
        let g = try oneInputGraph(.ranked([.dynamic, .fixed(8), .dynamic, .fixed(15)])) { g, q in
            let scaled = try g.op(Multiply(), q, g.scalar(0.125, name: "scale"), name: "scaled")
            return try g.op(Reshape(specialZero: true), scaled, g.op(ShapeOf(), q, name: "shape"), name: "back")
        }
        let feed: [String: Tensor] = ["x": .f32((0..<2 * 8 * 3 * 15).map { Float($0) }, dims: [2, 8, 3, 15])]
        XCTAssertEqual(try runChecked(pass, on: g, inputs: feed),
                       PassResult(changed: true, rewrites: [RuleFiring(rule: "ReshapeKeepingDims", count: 1)]))
        let e = try oneInputGraph(.ranked([.dynamic, .fixed(8), .dynamic, .fixed(15)])) { g, q in
            try g.op(Multiply(), q, g.scalar(0.125, name: "scale"), name: "scaled")
        }
        assertSameGraph(g, e)
    }

    /// Broadcast(x, ShapeOf(x)) changes nothing and goes.
    func testABroadcastToTheDimsItHasGoes() throws {
        let g = try oneInputGraph(.ranked([.dynamic, .fixed(3)])) { g, x in
            let relu = try g.op(Relu(), x, name: "relu")
            return try g.op(Broadcast(mode: .bidirectional), relu, g.op(ShapeOf(), x, name: "shape"), name: "expand")
        }
        let feed: [String: Tensor] = ["x": .f32([-1, 2, -3, 4, 5, -6], dims: [2, 3])]
        XCTAssertEqual(try runChecked(pass, on: g, inputs: feed),
                       PassResult(changed: true, rewrites: [RuleFiring(rule: "BroadcastKeepingDims", count: 1)]))
        assertSameGraph(g, try oneInputGraph(.ranked([.dynamic, .fixed(3)])) { g, x in try g.op(Relu(), x, name: "relu") })
    }

    /// After Reshape(x, Concat(Slice(ShapeOf(x), 0, 1), [-1, 6, 64])) the second dim is 400 for any batch:
    /// Gather(ShapeOf(view), 1) is the Const 400 (named after the Gather), though type inference leaves that dim
    /// dynamic (its partial value for the target is [?, -1, 6, 64]). The Convert of it is left to ConstantFolding.
    func testAShapeValueWhoseSymbolsCancelBecomesAConst() throws {
        let g = try oneInputGraph(.ranked([.dynamic, .fixed(400), .fixed(384)])) { g, x in
            let batch = try g.op(Slice(), g.op(ShapeOf(), x, name: "xShape"), i64(g, [0], "start"), i64(g, [1], "stop"),
                                 i64(g, [1], "step"), name: "batch")
            let target = try g.op(Concat(axis: 0), batch, i64(g, [-1, 6, 64], "rest"), name: "target")
            let view = try g.op(Reshape(), x, target, name: "view")
            let tokens = try g.op(Gather(), g.op(ShapeOf(), view, name: "shape"), g.constant(.scalar(i64: 1), name: "one"),
                                  g.constant(.scalar(i64: 0), name: "axis"), name: "tokens")
            return try g.op(Convert(.f32), tokens, name: "asFloat")
        }
        let view = try XCTUnwrap(g.nodes.first { (n: Node) in n.name == "view" })
        XCTAssertEqual(view.output().shape.dims?[1], Dim.dynamic, "type inference's view")
        let result = try runChecked(pass, on: g, inputs: batchOf2)
        XCTAssertEqual(result.rewrites.map { $0.rule }, ["StaticShapeValue", "ReshapeTargetToConst"])
        let tokens = g.results[0].inputs[0].node.inputs[0]
        XCTAssertEqual(tokens.constant, .scalar(i64: 400))
        XCTAssertEqual(tokens.node.name, "tokens")
        XCTAssertFalse(g.nodes.contains { $0.op is ShapeOf })
    }

    /// A target element that is another value's size (y's batch, which must be x's for the Reshape to work)
    /// is the one size left: -1. Reshape(x [b, 4, 6], Concat(Gather(ShapeOf(y), 0), [24])) -> Reshape(x, [-1, 24]).
    func testTheOneSizeLeftBecomesMinusOne() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(4), .fixed(6)])))
        let y = try g.addParameter("y", TensorType(.f32, .ranked([.dynamic, .fixed(5)])))
        let batch = try g.op(Gather(), g.op(ShapeOf(), y.output(), name: "shape"), i64(g, [0], "first"),
                             g.constant(.scalar(i64: 0), name: "axis"), name: "batch")
        let target = try g.op(Concat(axis: 0), batch, i64(g, [24], "rest"), name: "target")
        try g.addResult(g.op(Reshape(), x.output(), target, name: "r"), name: "out")
        let feed: [String: Tensor] = ["x": .f32((0..<48).map(Float.init), dims: [2, 4, 6]), "y": .f32(Array(repeating: 0, count: 10), dims: [2, 5])]
        XCTAssertEqual(try runChecked(pass, on: g, inputs: feed).rewrites, [RuleFiring(rule: "ReshapeTargetToConst", count: 1)])
        let r = try XCTUnwrap(g.results[0].inputs[0].node)
        XCTAssertEqual(r.inputs[1].constant, .i64([-1, 24]))
        XCTAssertEqual((r.op as? Reshape)?.specialZero, false, "no dim is copied")
    }

    /// Two target elements that are not the data's own dims: -1 can stand for one only, so the target stays.
    func testTwoSizesLeftKeepTheTarget() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .dynamic, .fixed(4)])))
        let y = try g.addParameter("y", TensorType(.f32, .ranked([.dynamic, .dynamic, .fixed(4)])))
        let shape = try g.op(ShapeOf(), y.output(), name: "shape")
        let swapped = try g.op(Gather(), shape, i64(g, [1, 0, 2], "order"), g.constant(.scalar(i64: 0), name: "axis"), name: "swapped")
        try g.addResult(g.op(Reshape(), x.output(), swapped, name: "r"), name: "out")
        let before = try g.copy()
        XCTAssertEqual(try pass.run(on: g), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// Without special_zero a static 0 in the target is an empty dim; copying x's batch would need special_zero,
    /// which would turn that 0 into "copy", so the target stays.
    func testAnEmptyDimWithoutSpecialZeroKeepsTheTarget() throws {
        let g = try oneInputGraph(.ranked([.dynamic, .fixed(0)])) { g, x in
            let batch = try g.op(Slice(), g.op(ShapeOf(), x, name: "shape"), i64(g, [0], "start"), i64(g, [1], "stop"),
                                 i64(g, [1], "step"), name: "batch")
            return try g.op(Reshape(), x, g.op(Concat(axis: 0), batch, i64(g, [0], "empty"), name: "target"), name: "r")
        }
        // The Reshape keeps x's dims, so the whole Reshape may go; only the target rule is declined.
        let result = try runChecked(pass, on: g, inputs: ["x": .f32([], dims: [3, 0])])
        XCTAssertFalse(result.rewrites.contains { $0.rule == "ReshapeTargetToConst" })
    }

    /// A target also read by another node stays for that reader; the Reshape reads its own Const.
    func testASharedTargetStaysForItsOtherReader() throws {
        let g = try headsView()
        let target = try XCTUnwrap(g.nodes.first { (n: Node) in n.name == "target" })
        try g.addResult(target.output(), name: "targetOut")
        try runChecked(pass, on: g, inputs: batchOf2)
        XCTAssertTrue(g.contains(target))
        XCTAssertEqual(g.results[0].inputs[0].node.inputs[1].constant, .i64([0, -1, 6, 64]))
    }
}
