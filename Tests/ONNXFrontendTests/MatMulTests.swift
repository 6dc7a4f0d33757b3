import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

final class MatMulTests: XCTestCase {
    func testQLinearMatMulRequantizesAndRoundsHalvesToEven() throws {
        // a - 10 = [[1, 2], [4, -1]], b - 1 = [[1], [2]]: products [5, 2]; times 0.5 · 0.25 / 0.25 = 0.5 → [2.5, 1]
        // → rint [2, 1] → + 100.
        var m = ModelBuilder()
        m.opset = 10
        m.input("a", [2, 2], elemType: 2)
        m.initializer("a_scale", [0.5], dims: [])
        m.initializer("a_zp", int64: [10], dims: [], dataType: 2)
        m.initializer("b", int64: [2, 3], dims: [2, 1], dataType: 2)
        m.initializer("b_scale", [0.25], dims: [])
        m.initializer("b_zp", int64: [1], dims: [], dataType: 2)
        m.initializer("y_scale", [0.25], dims: [])
        m.initializer("y_zp", int64: [100], dims: [], dataType: 2)
        m.node("QLinearMatMul", ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp", "y_scale", "y_zp"], ["y"], name: "qmm")
        m.output("y", [2, 1], elemType: 2)
        let y = try Evaluator().run(try m.importGraph(), inputs: ["a": Tensor(.u8, dims: [2, 2], integers: [UInt8(11), 12, 14, 9])])[0]
        XCTAssertEqual(y.elementType, .u8)
        XCTAssertEqual(y.dims, [2, 1])
        XCTAssertEqual(y.doubleValues(), [102, 101])
    }
}
