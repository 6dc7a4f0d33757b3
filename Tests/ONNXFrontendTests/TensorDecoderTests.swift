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

    /// A tensor claiming 2^40 f32 elements (4 TiB) backed by 4 bytes, in each place a tensor's bytes can live
    /// (raw_data, typed float_data, a Constant node's value, an external data file), is refused naming it before
    /// anything of that size is allocated.
    func testAClaimLargerThanTheBytesInTheFileIsRefused() throws {
        let n = 1 << 40, needs = "f32 [\(n)] needs \(4 * n)"
        var raw = ModelBuilder()
        raw.graph.initializer.append(ModelBuilder.tensor("raw", [1], dims: [n], raw: true))
        raw.output("raw", [n])
        XCTAssertEqual(importError(raw)?.message.contains("initializer 'raw': raw_data holds 4 bytes but \(needs)"), true,
                       importError(raw)?.message ?? "imported")

        var typed = ModelBuilder()
        typed.graph.initializer.append(ModelBuilder.tensor("typed", [1], dims: [n], raw: false))
        typed.output("typed", [n])
        XCTAssertEqual(importError(typed)?.message.contains("initializer 'typed': holds 4 bytes of data but \(needs)"), true,
                       importError(typed)?.message ?? "imported")

        var constant = ModelBuilder()
        var value = Onnx_AttributeProto()
        value.name = "value"
        value.type = .tensor
        value.t = ModelBuilder.tensor("", [1], dims: [n], raw: true)
        constant.node("Constant", [], ["c"], name: "big", attributes: [value])
        constant.output("c", [n])
        let e = importError(constant)
        XCTAssertEqual(e?.kind, .badFile, e?.message ?? "imported")
        XCTAssertTrue(e?.message.contains("raw_data holds 4 bytes but \(needs)") == true, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("big") == true, e?.message ?? "")

        let folder = TempFolder.make()
        try Data([0, 0, 0x80, 0x3F]).write(to: folder.appendingPathComponent("w.bin"))
        var external = ModelBuilder()
        var t = Onnx_TensorProto()
        t.name = "external"
        t.dataType = 1
        t.dims = [Int64(n)]
        t.dataLocation = .external
        var location = Onnx_StringStringEntryProto()
        location.key = "location"
        location.value = "w.bin"
        t.externalData = [location]
        external.graph.initializer.append(t)
        external.output("external", [n])
        do {
            _ = try ONNXImporter().load(path: external.write(in: folder))
            XCTFail("a 4 TiB external tensor in a 4-byte file imported")
        } catch let e as ONNXFrontendError {
            XCTAssertEqual(e.kind, .badExternalData, e.message)
            XCTAssertTrue(e.message.contains("initializer 'external'") && e.message.contains("runs past the end of 'w.bin' (4 bytes)"), e.message)
        }
    }

    func testNegativeDimension() {
        var b = ModelBuilder()
        b.graph.initializer.append(ModelBuilder.tensor("w", [], dims: [-1], raw: false))
        b.output("w", [1])
        XCTAssertTrue(importError(b)?.message.contains("negative dimension") == true)
    }
}
