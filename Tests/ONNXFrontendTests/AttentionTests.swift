import Evaluator
import Foundation
import XCTest
import OVIR
@testable import ONNXFrontend

/// ONNX Attention decomposed and run by the evaluator on cases small enough to work out by hand: one query row
/// [1] against keys [0, ln 3] gives logits [0, ln 3] (scale 1 for head size 1), softmax [1/4, 3/4], and with values
/// [4, 8] the output 1 + 6 = 7; a query that may see only the first key gets 4.
final class AttentionTests: XCTestCase {
    private static let ln3 = Float(log(3.0))

    private func model(_ shapes: [String: [Int]], inputs: [String], outputs: [String], attributes: [Onnx_AttributeProto] = [],
                       mask: (name: String, dims: [Int], elemType: Int32)? = nil) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 23
        for name in inputs where !name.isEmpty {
            if let mask, name == mask.name { m.input(name, mask.dims, elemType: mask.elemType) } else { m.input(name, shapes[name]!) }
        }
        m.node("Attention", inputs, outputs, name: "attention", attributes: attributes)
        for o in outputs where !o.isEmpty { m.output(o) }
        return m
    }

    private func run(_ m: ModelBuilder, _ feeds: [String: Tensor]) throws -> [Tensor] {
        try Evaluator().run(try m.importGraph(), inputs: feeds)
    }

    private func close(_ t: Tensor, _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        let got = t.doubleValues() ?? []
        XCTAssertEqual(got.count, expected.count, file: file, line: line)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, Double(e), accuracy: 1e-5, "\(got)", file: file, line: line) }
    }

    func testPlainAndCausalAttention() throws {
        let shapes = ["Q": [1, 1, 2, 1], "K": [1, 1, 2, 1], "V": [1, 1, 2, 1]]
        let feeds: [String: Tensor] = ["Q": .f32([1, 1], dims: [1, 1, 2, 1]), "K": .f32([0, Self.ln3], dims: [1, 1, 2, 1]),
                                       "V": .f32([4, 8], dims: [1, 1, 2, 1])]
        close(try run(model(shapes, inputs: ["Q", "K", "V"], outputs: ["Y"]), feeds)[0], [7, 7])
        let causal = model(shapes, inputs: ["Q", "K", "V"], outputs: ["Y"], attributes: [ModelBuilder.attribute("is_causal", int: 1)])
        close(try run(causal, feeds)[0], [4, 7])
    }

    func testThreeDimensionalInputsWithGroupedQueryHeads() throws {
        // Two query heads share one KV head; head 1's query is 0, so it averages the values: (4 + 8) / 2 = 6.
        let shapes = ["Q": [1, 2, 2], "K": [1, 2, 1], "V": [1, 2, 1]]
        let m = model(shapes, inputs: ["Q", "K", "V"], outputs: ["Y"], attributes: [
            ModelBuilder.attribute("q_num_heads", int: 2), ModelBuilder.attribute("kv_num_heads", int: 1)])
        let y = try run(m, ["Q": .f32([1, 0, 1, 0], dims: [1, 2, 2]), "K": .f32([0, Self.ln3], dims: [1, 2, 1]),
                            "V": .f32([4, 8], dims: [1, 2, 1])])[0]
        XCTAssertEqual(y.dims, [1, 2, 2])
        close(y, [7, 6, 7, 6])
    }

    func testGroupedQueryHeadsCountedOnlyAtRunTime() throws {
        // As above in 4-D (head size 2, scale 1), with the head dims symbolic: the group size (2 / 1) is computed from
        // the shapes at run time.
        let shapes = ["Q": [1, -1, 1, 2], "K": [1, -2, 2, 2], "V": [1, -2, 2, 1]]
        let y = try run(model(shapes, inputs: ["Q", "K", "V"], outputs: ["Y"], attributes: [ModelBuilder.attribute("scale", float: 1)]),
                        ["Q": .f32([1, 0, 0, 0], dims: [1, 2, 1, 2]), "K": .f32([0, 0, Self.ln3, 0], dims: [1, 1, 2, 2]),
                         "V": .f32([4, 8], dims: [1, 1, 2, 1])])[0]
        XCTAssertEqual(y.dims, [1, 2, 1, 1])
        close(y, [7, 6])
    }

    /// Found in review: K with 0 heads divided the query heads by zero (a trap).
    func testKeysWithoutHeadsAreRefused() {
        let shapes = ["Q": [1, 2, 1, 2], "K": [1, 0, 2, 2], "V": [1, 0, 2, 1]]
        let error = model(shapes, inputs: ["Q", "K", "V"], outputs: ["Y"]).importError() ?? "imported"
        XCTAssertTrue(error.contains("'attention'") && error.contains("Q has 2 heads and K 0"), error)
    }

    func testACausalQueryAfterACacheSeesTheCache() throws {
        // One new query at position 1 (after one cached key): causal lets it see both keys.
        let shapes = ["Q": [1, 1, 1, 1], "K": [1, 1, 1, 1], "V": [1, 1, 1, 1], "past_key": [1, 1, 1, 1], "past_value": [1, 1, 1, 1]]
        let m = model(shapes, inputs: ["Q", "K", "V", "", "past_key", "past_value"], outputs: ["Y", "present_key", "present_value"],
                      attributes: [ModelBuilder.attribute("is_causal", int: 1)])
        let out = try run(m, ["Q": .f32([1], dims: [1, 1, 1, 1]), "K": .f32([Self.ln3], dims: [1, 1, 1, 1]), "V": .f32([8], dims: [1, 1, 1, 1]),
                              "past_key": .f32([0], dims: [1, 1, 1, 1]), "past_value": .f32([4], dims: [1, 1, 1, 1])])
        close(out[0], [7])
        XCTAssertEqual(out[1].dims, [1, 1, 2, 1])
        close(out[1], [0, Self.ln3])
        close(out[2], [4, 8])
    }

    func testAFullyMaskedRowGivesZerosAndTheProbabilitiesAreExposed() throws {
        // Boolean mask: row 0 sees both keys, row 1 none. qk_matmul_output_mode 3 returns the probabilities.
        let shapes = ["Q": [1, 1, 2, 1], "K": [1, 1, 2, 1], "V": [1, 1, 2, 1]]
        let m = model(shapes, inputs: ["Q", "K", "V", "mask"], outputs: ["Y", "", "", "P"],
                      attributes: [ModelBuilder.attribute("qk_matmul_output_mode", int: 3)], mask: ("mask", [2, 2], 9))
        let out = try run(m, ["Q": .f32([1, 1], dims: [1, 1, 2, 1]), "K": .f32([0, Self.ln3], dims: [1, 1, 2, 1]),
                              "V": .f32([4, 8], dims: [1, 1, 2, 1]), "mask": .boolean([true, true, false, false], dims: [2, 2])])
        close(out[0], [7, 0])
        close(out[1], [0.25, 0.75, 0, 0])
    }

    func testAShortMaskIsPaddedWithMinusInfinity() throws {
        // An additive mask of one column for two keys: the missing column is -inf, so each row sees key 0 only.
        let shapes = ["Q": [1, 1, 2, 1], "K": [1, 1, 2, 1], "V": [1, 1, 2, 1]]
        let m = model(shapes, inputs: ["Q", "K", "V", "mask"], outputs: ["Y"], mask: ("mask", [2, 1], 1))
        let out = try run(m, ["Q": .f32([1, 1], dims: [1, 1, 2, 1]), "K": .f32([0, Self.ln3], dims: [1, 1, 2, 1]),
                              "V": .f32([4, 8], dims: [1, 1, 2, 1]), "mask": .f32([0, 0], dims: [2, 1])])
        close(out[0], [4, 4])
    }
}
