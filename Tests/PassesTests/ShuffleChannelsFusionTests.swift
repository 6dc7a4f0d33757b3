import XCTest
import OVIR
@testable import Passes

final class ShuffleChannelsFusionTests: XCTestCase {
    /// A graph with the input x f32 `shape` and one Result "out" reading what `body` builds (tensor name "y").
    private func graph(_ shape: Shape = .fixed([1, 6, 2, 2]), _ body: (Graph, Output) throws -> Output) throws -> Graph {
        try oneInputGraph(shape, body)
    }

    private let inputs: [String: Tensor] = ["x": .f32((0..<24).map(Float.init), dims: [1, 6, 2, 2])]

    /// Reshape(x, split) -> Transpose(order) -> Reshape(x's shape), as ShuffleNet exports its channel shuffle.
    private func shuffle(_ g: Graph, _ x: Output, split: [Int], order: [Int] = [0, 2, 1, 3, 4], merge: [Int] = [1, 6, 2, 2]) throws -> Output {
        let r = try g.op(Reshape(specialZero: false), x, g.constant(.i64(split), name: "split"), name: "r")
        let t = try g.op(Transpose(), r, g.constant(.i64(order), name: "order"), name: "t")
        return try g.op(Reshape(specialZero: false), t, g.constant(.i64(merge), name: "merge"), name: "y")
    }

    private func run(_ g: Graph, fired: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(ShuffleChannelsFusion(), on: g, inputs: inputs, file: file, line: line)
        XCTAssertEqual(result.rewrites.map(\.count).reduce(0, +), fired, file: file, line: line)
    }

    /// Channels split into [2, 3], swapped, merged -> ShuffleChannels(axis 1, group 2); [3, 2] -> group 3.
    func testChannelShuffleBecomesShuffleChannels() throws {
        for (split, group) in [([1, 2, 3, 2, 2], 2), ([1, 3, 2, 2, 2], 3)] {
            let g = try graph { g, x in try shuffle(g, x, split: split) }
            try run(g, fired: 1)
            let e = try graph { g, x in
                let s = try g.add(ShuffleChannels(axis: 1, group: group), [x], name: "y")
                s.rtInfo = [fusedNames("r,t,y")]
                return s.output()
            }
            assertSameGraph(g, e)
        }
    }

    /// A dynamic batch (the split reads it as -1) is still one dim: it fuses. With two dynamic dims the shapes
    /// alone cannot tell [N, 2, 3, H, W] from [N, 2, 3, W, H] (a split with special zeros can swap them).
    func testAtMostOneDynamicDim() {
        let d = Dim.dynamic, f = Dim.fixed
        XCTAssertEqual(ShuffleChannelsFusion.shuffle(input: [d, f(6), f(2), f(2)], grouped: [d, f(2), f(3), f(2), f(2)], order: [0, 2, 1, 3, 4])?.group, 2)
        XCTAssertNil(ShuffleChannelsFusion.shuffle(input: [d, f(6), d, d], grouped: [d, f(2), f(3), d, d], order: [0, 2, 1, 3, 4]))
        XCTAssertEqual(ShuffleChannelsFusion.shuffle(input: [f(6), f(4)], grouped: [f(6), f(2), f(2)], order: [0, 2, 1])?.axis, 1)
    }

    /// A dynamic batch (the split reads it as -1) is still one dim: it fuses.
    func testDynamicBatchFuses() throws {
        let g = try graph(.ranked([.dynamic, .fixed(6), .fixed(2), .fixed(2)])) { g, x in
            try shuffle(g, x, split: [-1, 2, 3, 2, 2], merge: [-1, 6, 2, 2])
        }
        try run(g, fired: 1)
        XCTAssertEqual(g.nodes.compactMap { $0.op as? ShuffleChannels }.map(\.group), [2])
    }

    /// Another order, a merge to another shape, a split that is no split of one axis, a Transpose read
    /// elsewhere stay.
    func testOtherReshapeTransposeChainsStay() throws {
        let graphs = try [
            graph { g, x in try shuffle(g, x, split: [1, 2, 3, 2, 2], order: [0, 2, 1, 4, 3]) },
            graph { g, x in try shuffle(g, x, split: [1, 2, 3, 2, 2], merge: [1, 3, 8]) },
            graph { g, x in try shuffle(g, x, split: [1, 2, 3, 4, 1], merge: [1, 6, 2, 2]) },
            graph { g, x in
                let r = try g.op(Reshape(specialZero: false), x, g.constant(.i64([1, 2, 3, 2, 2]), name: "split"), name: "r")
                let t = try g.op(Transpose(), r, g.constant(.i64([0, 2, 1, 3, 4]), name: "order"), name: "t")
                let y = try g.op(Reshape(specialZero: false), t, g.constant(.i64([1, 6, 2, 2]), name: "merge"), name: "m")
                let flat = try g.op(Reshape(specialZero: false), t, g.constant(.i64([1, 6, 2, 2]), name: "flat"), name: "flat")
                return try g.op(Add(), y, flat, name: "y")
            },
        ]
        for g in graphs {
            let before = try g.copy()
            XCTAssertEqual(try runChecked(ShuffleChannelsFusion(), on: g, inputs: inputs), PassResult(changed: false))
            assertSameGraph(g, before)
        }
    }
}
