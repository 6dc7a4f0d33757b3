import XCTest
import OVIR
@testable import Passes

final class DeadCodeEliminationTests: XCTestCase {
    /// relu(x) feeds nothing but exp(relu(x)), which nothing reads: both go; the unused input z stays.
    func testNodesNoResultReadsAreRemovedButParametersStay() throws {
        let g = try model { g, x in
            try g.addParameter("z", TensorType(.f32, .fixed([1])))
            _ = try g.op(Exp(), g.op(Relu(), x, name: "r"), name: "e")
            return try g.op(Sigmoid(), x, name: "y")
        }
        XCTAssertEqual(try runChecked(DeadCodeElimination(), on: g, inputs: modelInputs.merging(["z": .f32([0])]) { a, _ in a }),
                       PassResult(changed: true))
        XCTAssertEqual(g.nodes.map(\.name), ["x", "z", "y", "out"])
    }

    /// A graph where every node is read stays as it is.
    func testALiveGraphStays() throws {
        let g = try model { g, x in try g.op(Sigmoid(), x, name: "y") }
        let before = try g.copy()
        XCTAssertEqual(try runChecked(DeadCodeElimination(), on: g, inputs: modelInputs), PassResult(changed: false))
        assertSameGraph(g, before)
    }
}
