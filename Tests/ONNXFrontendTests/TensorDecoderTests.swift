import Foundation
import XCTest
import OVIR
@testable import ONNXFrontend

final class TensorDecoderTests: XCTestCase {
    private func importError(_ b: ModelBuilder) -> ONNXFrontendError? {
        do {
            _ = try ONNXImporter().load(path: b.write())
            return nil
        } catch {
            return error as? ONNXFrontendError
        }
    }

    func testRawAndTypedInitializersDecodeToTheSameValues() throws {
        var b = ModelBuilder()
        b.initializer("raw", [1.5, -2, 3], dims: [3])
        b.initializer("typed", [1.5, -2, 3], dims: [3], raw: false)
        b.output("raw", [3])
        b.output("typed", [3])
        let g = try ONNXImporter().load(path: b.write()).graph
        let values = g.results.map { $0.inputs[0].constant?.doubleValues() }
        XCTAssertEqual(values, [[1.5, -2, 3], [1.5, -2, 3]])
        guard case .mapped = try XCTUnwrap(g.results[0].inputs[0].constant).storage else {
            return XCTFail("raw_data should stay a slice of the mapped model file")
        }
    }

    func testImpossibleTensorSize() {
        var b = ModelBuilder()
        var t = Onnx_TensorProto()
        t.name = "huge"
        t.dataType = 1
        t.dims = [1 << 40, 1 << 40]
        b.graph.initializer.append(t)
        b.output("huge", [1])
        let e = importError(b)
        XCTAssertEqual(e?.kind, .badFile)
        XCTAssertTrue(e?.message.contains("initializer 'huge'") == true, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("impossible size") == true, e?.message ?? "")
    }

    func testRawDataOfTheWrongLength() {
        var b = ModelBuilder()
        b.graph.initializer.append(ModelBuilder.tensor("w", [1, 2, 3], dims: [4], raw: true))
        b.output("w", [4])
        let e = importError(b)
        XCTAssertTrue(e?.message.contains("raw_data holds 12 bytes") == true, e?.message ?? "")
    }

    func testNegativeDimension() {
        var b = ModelBuilder()
        b.graph.initializer.append(ModelBuilder.tensor("w", [], dims: [-1], raw: false))
        b.output("w", [1])
        XCTAssertTrue(importError(b)?.message.contains("negative dimension") == true)
    }
}
