import XCTest
import OVIR
@testable import ONNXFrontend

final class ReductionTests: XCTestCase {
    private func logSumExp(keepdims: Int) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 13
        m.input("x", [2, 3, 4])
        m.node("ReduceLogSumExp", ["x"], ["y"], name: "r",
               attributes: [ModelBuilder.attribute("axes", ints: [1]), ModelBuilder.attribute("keepdims", int: keepdims)])
        m.output("y")
        return m
    }

    /// log(sum(exp(x - m))) + m with m the (finite) maximum, so large inputs do not overflow.
    func testReduceLogSumExpSubtractsTheMaximum() throws {
        for (keep, shape) in [(1, [2, 1, 4]), (0, [2, 4])] {
            let g = try logSumExp(keepdims: keep).importGraph()
            let y = g.results[0].inputs[0]
            XCTAssertEqual(y.shape, .fixed(shape))
            XCTAssertTrue(y.node.op is Add, "\(y.node)")
            XCTAssertTrue(g.nodes.contains { $0.op is ReduceMax })
            let exp = try XCTUnwrap(g.nodes.first { $0.op is Exp })
            XCTAssertTrue(exp.inputs[0].node.op is Subtract, "\(exp.inputs[0].node)")
        }
    }
}
