import XCTest
import OVIR
@testable import ONNXFrontend

final class TopKTests: XCTestCase {
    private func topK1(_ attributes: [Onnx_AttributeProto]) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 1
        m.input("x", [3, 4])
        m.node("TopK", ["x"], ["v", "i"], name: "t", attributes: attributes)
        m.output("v")
        m.output("i", elemType: 7)
        return m
    }

    func testTopK1NeedsK() throws {
        let error = topK1([]).importError()
        XCTAssertTrue(error?.contains("attribute 'k' is required") == true, error ?? "imported")
        XCTAssertEqual(try topK1([ModelBuilder.attribute("k", int: 2)]).importGraph().results[0].inputs[0].shape, .fixed([3, 2]))
    }
}
