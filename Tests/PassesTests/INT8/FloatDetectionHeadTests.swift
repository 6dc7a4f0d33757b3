import XCTest
import OVIR
@testable import Passes

final class FloatDetectionHeadTests: XCTestCase {
    let unitConvolution = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])

    /// A YOLOv8-style head on a 4×4 grid with 2 DFL bins and 2 classes: x [1,3,4,4] -> conv "c0" -> ReLU "act" ->
    /// conv "box" [1,8,4,4] -> Reshape [1,4,2,16] -> Transpose -> SoftMax -> conv "dfl/conv" (bins [0, 1]) ->
    /// Reshape [1,4,16]; conv "cls" [1,2,4,4] -> Reshape [1,2,16] -> Sigmoid; Concat -> pred [1,6,16].
    func yoloHead() throws -> Graph {
        try oneInputGraph(.fixed([1, 3, 4, 4])) { g, x in
            func weights(_ oc: Int, _ ic: Int, _ name: String) throws -> Output {
                try g.constant(.f32((0..<(oc * ic)).map { Float($0 % 5) - 2 }, dims: [oc, ic, 1, 1]), name: name)
            }
            let act = try g.op(Relu(), g.op(unitConvolution, x, weights(8, 3, "w0"), name: "c0"), name: "act")
            let box = try g.op(unitConvolution, act, weights(8, 8, "wb"), name: "box")
            let bins = try g.op(Reshape(), box, g.constant(.i64([1, 4, 2, 16]), name: "s1"), name: "box/reshape")
            let t = try g.op(Transpose(), bins, g.constant(.i64([0, 2, 1, 3]), name: "perm"), name: "dfl/transpose")
            let soft = try g.op(Softmax(axis: 1), t, name: "dfl/softmax")
            let dfl = try g.op(unitConvolution, soft, g.constant(.f32([0, 1], dims: [1, 2, 1, 1]), name: "bins"), name: "dfl/conv")
            let dist = try g.op(Reshape(), dfl, g.constant(.i64([1, 4, 16]), name: "s2"), name: "dfl/reshape")
            let cls = try g.op(unitConvolution, act, weights(2, 8, "wc"), name: "cls")
            let scores = try g.op(Sigmoid(), g.op(Reshape(), cls, g.constant(.i64([1, 2, 16]), name: "s3"), name: "cls/reshape"),
                                  name: "scores")
            return try g.op(Concat(axis: 1), dist, scores, name: "pred")
        }
    }

    func testTheWalkStopsAtTheLastConvolutionsAndKeepsDFLInside() throws {
        let g = try yoloHead()
        let head = try XCTUnwrap(FloatDetectionHead.find(in: g))
        XCTAssertEqual(head.lastConvolutions.map(\.name), ["box", "cls"])
        let inside = g.nodes.filter(head.contains).map(\.name).sorted()
        XCTAssertEqual(inside, ["box/reshape", "cls/reshape", "dfl/conv", "dfl/reshape", "dfl/softmax", "dfl/transpose", "pred", "scores"])
    }

    func testThePlanQuantizesTheLastConvolutionsButNotDFL() throws {
        let g = try yoloHead()
        let plan = QuantizeINT8.plan(g, options: QuantizationOptions())
        XCTAssertEqual(plan.sites.map { "\($0.consumer.name):\($0.input)" }, ["c0:0", "box:0", "cls:0"])
        XCTAssertEqual(plan.kept, ["Convolution 'dfl/conv': detection post-processing"])
        let all = QuantizeINT8.plan(g, options: QuantizationOptions(keepDetectionHeadFloat: false))
        XCTAssertEqual(all.sites.map { "\($0.consumer.name):\($0.input)" }.sorted(), ["box:0", "c0:0", "cls:0", "dfl/conv:0"])
    }

    /// A classifier ([1, 10]) has no detection head: nothing is kept for it.
    func testNoHeadInAClassifier() throws {
        let g = try oneInputGraph(.fixed([1, 3, 1, 1])) { g, x in
            let c = try g.op(unitConvolution, x, g.constant(.f32(Array(repeating: 1, count: 30), dims: [10, 3, 1, 1]), name: "w"), name: "c")
            return try g.op(Reshape(), c, g.constant(.i64([1, 10]), name: "s"), name: "flat")
        }
        XCTAssertNil(FloatDetectionHead.find(in: g))
    }
}
