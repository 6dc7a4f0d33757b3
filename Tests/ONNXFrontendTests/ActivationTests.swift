import XCTest
import OVIR
@testable import ONNXFrontend

final class ActivationTests: XCTestCase {
    func testHardmaxOverADynamicAxisBuildsItsRampFromTheShape() throws {
        var m = ModelBuilder()
        m.input("x", [2, -1, 3])
        m.node("Hardmax", ["x"], ["y"], name: "h", attributes: [ModelBuilder.attribute("axis", int: 1)])
        m.output("y")
        let g = try m.importGraph()
        XCTAssertEqual(g.results[0].inputs[0].shape, .ranked([.fixed(2), .dynamic, .fixed(3)]))
        // ramp = Reshape(Range(0, shape[1], 1), [-1, 1]): one index per position along axis 1, broadcast over axis 2
        let ramp = try XCTUnwrap(g.nodes.first { $0.op is Reshape })
        XCTAssertTrue(ramp.inputs[0].node.op is RangeOp)
        XCTAssertEqual(ramp.inputs[1].constant, .i64([-1, 1]))
        XCTAssertEqual(ramp.outputTypes[0].shape, .ranked([.dynamic, .fixed(1)]))
    }
}
