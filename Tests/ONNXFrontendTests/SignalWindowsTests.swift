import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// HannWindow, HammingWindow and BlackmanWindow run by the evaluator on windows short enough to work out by hand:
/// the angles are multiples of π/2, so the cosines are 1, 0, -1 and 0.
final class SignalWindowsTests: XCTestCase {
    /// A window whose size is the graph input "size" (int32, so computed at run time) or, with `constantSize`, an
    /// int64 initializer.
    private func model(_ op: String, constantSize: Int? = nil, attributes: [Onnx_AttributeProto] = [], outputType: Int32 = 1) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 17
        if let n = constantSize {
            m.initializer("size", int64: [Int64(n)], dims: [])
        } else {
            m.input("size", [], elemType: 6)
        }
        m.node(op, ["size"], ["y"], name: "window", attributes: attributes)
        m.output("y", [], elemType: outputType)
        return m
    }

    private func run(_ m: ModelBuilder, size: Int) throws -> Tensor {
        try Evaluator().run(try m.importGraph(), inputs: ["size": .i32([size], dims: [])])[0]
    }

    private func close(_ t: Tensor, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        let got = t.doubleValues() ?? []
        XCTAssertEqual(got.count, expected.count, "\(got)", file: file, line: line)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-6, "\(got)", file: file, line: line) }
    }

    private let symmetric = ModelBuilder.attribute("periodic", int: 0)

    func testHannIsPeriodicByDefault() throws {
        // sin²(πn/4) for n = 0...3.
        let y = try run(model("HannWindow"), size: 4)
        XCTAssertEqual(y.elementType, .f32)
        XCTAssertEqual(y.dims, [4])
        close(y, [0, 0.5, 1, 0.5])
    }

    func testASymmetricWindowDividesBySizeMinusOne() throws {
        // sin²(πn/4) for n = 0...4: both ends are 0.
        close(try run(model("HannWindow", attributes: [symmetric]), size: 5), [0, 0.5, 1, 0.5, 0])
        // 0.42 - 0.5·cos(πn) + 0.08·cos(2πn) for n = 0, 1, 2.
        close(try run(model("BlackmanWindow", attributes: [symmetric]), size: 3), [0, 1, 0])
    }

    func testHammingUsesTwentyFiveFortySixths() throws {
        // 25/46 - 21/46·cos(πn/2): 4/46 at the ends, 25/46 at the quarter points, 1 in the middle.
        close(try run(model("HammingWindow"), size: 4), [4.0 / 46, 25.0 / 46, 1, 25.0 / 46])
    }

    func testBlackmanAddsTheSecondHarmonic() throws {
        // n = 1: 0.42 - 0.5·cos(π/2) + 0.08·cos(π) = 0.34.
        close(try run(model("BlackmanWindow"), size: 4), [0, 0.34, 1, 0.34])
    }

    func testOutputDatatypeConvertsTheResult() throws {
        let y = try run(model("HannWindow", attributes: [ModelBuilder.attribute("output_datatype", int: 11)], outputType: 11), size: 4)
        XCTAssertEqual(y.elementType, .f64)
        close(y, [0, 0.5, 1, 0.5])
    }

    func testAConstantSizeGivesAStaticLength() throws {
        let g = try model("HammingWindow", constantSize: 6).importGraph()
        XCTAssertEqual(g.results[0].inputs[0].shape, .fixed([6]))
        let y = try Evaluator().run(g, inputs: [:])[0]
        // cos(πn/3) = 1, 1/2, -1/2, -1, -1/2, 1/2.
        let a0 = 25.0 / 46, a1 = 21.0 / 46
        close(y, [a0 - a1, a0 - a1 / 2, a0 + a1 / 2, a0 + a1, a0 + a1 / 2, a0 - a1 / 2])
    }

    func testAFloatSizeIsRefusedNamingTheNode() throws {
        var m = ModelBuilder()
        m.opset = 17
        m.input("size", [])
        m.node("HannWindow", ["size"], ["y"], name: "window")
        m.output("y")
        let error = m.importError() ?? ""
        XCTAssertTrue(error.contains("'window'") && error.contains("size must be an integer"), error)
    }
}
