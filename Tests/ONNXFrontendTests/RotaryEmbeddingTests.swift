import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// RotaryEmbedding run by the evaluator with rotations by 0°, 90° and 180° (cos and sin of 0, 1 and -1), so that
/// each rotated pair (a, b) becomes (a, b), (-b, a) or (-a, -b).
final class RotaryEmbeddingTests: XCTestCase {
    private func model(input: [Int], cache: [Int], positions: [Int]? = nil, attributes: [Onnx_AttributeProto] = []) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 23
        m.input("x", input)
        m.input("cos", cache)
        m.input("sin", cache)
        if let positions { m.input("positions", positions, elemType: 7) }
        m.node("RotaryEmbedding", positions == nil ? ["x", "cos", "sin"] : ["x", "cos", "sin", "positions"], ["y"], name: "rope",
               attributes: attributes)
        m.output("y")
        return m
    }

    private func run(_ m: ModelBuilder, _ feeds: [String: Tensor]) throws -> Tensor {
        try Evaluator().run(try m.importGraph(), inputs: feeds)[0]
    }

    private let interleaved = ModelBuilder.attribute("interleaved", int: 1)
    /// One position rotated by 90° in its first frequency and 0° in its second.
    private let quarterTurnThenNone: [String: Tensor] = ["x": .f32([1, 2, 3, 4], dims: [1, 1, 1, 4]),
                                                         "cos": .f32([0, 1], dims: [1, 1, 2]), "sin": .f32([1, 0], dims: [1, 1, 2])]

    func testHalvesRotateTogether() throws {
        // x1 = [1, 2], x2 = [3, 4]: real = [0·1 - 1·3, 1·2 - 0·4], imag = [1·1 + 0·3, 0·2 + 1·4].
        let y = try run(model(input: [1, 1, 1, 4], cache: [1, 1, 2]), quarterTurnThenNone)
        XCTAssertEqual(y.dims, [1, 1, 1, 4])
        XCTAssertEqual(y.doubleValues() ?? [], [-3, 2, 1, 4])
    }

    func testInterleavedPairsAreNeighbours() throws {
        // Pairs (1, 2) and (3, 4): the first turns to (-2, 1), the second stays.
        let y = try run(model(input: [1, 1, 1, 4], cache: [1, 1, 2], attributes: [interleaved]), quarterTurnThenNone)
        XCTAssertEqual(y.doubleValues() ?? [], [-2, 1, 3, 4])
    }

    func testOnlyTheFirstRotaryDimEntriesTurn() throws {
        let feeds: [String: Tensor] = ["x": .f32([1, 2, 3, 4], dims: [1, 1, 1, 4]), "cos": .f32([0], dims: [1, 1, 1]), "sin": .f32([1], dims: [1, 1, 1])]
        let dim = ModelBuilder.attribute("rotary_embedding_dim", int: 2)
        XCTAssertEqual(try run(model(input: [1, 1, 1, 4], cache: [1, 1, 1], attributes: [dim]), feeds).doubleValues() ?? [], [-2, 1, 3, 4])
        XCTAssertEqual(try run(model(input: [1, 1, 1, 4], cache: [1, 1, 1], attributes: [dim, interleaved]), feeds).doubleValues() ?? [],
                       [-2, 1, 3, 4])
    }

    /// Caches for positions 0, 1, 2 turning by 0°, 90° and 180°; positions [[2, 1]].
    private let cachesByPosition: [String: Tensor] = ["cos": .f32([1, 0, -1], dims: [3, 1]), "sin": .f32([0, 1, 0], dims: [3, 1]),
                                                      "positions": .i64([2, 1], dims: [1, 2])]

    func testPositionIdsPickCacheRowsSharedByAllHeads() throws {
        // [batch 1, heads 2, sequence 2, head 2]: the first position of each head is negated, the second turned by 90°.
        var feeds = cachesByPosition
        feeds["x"] = .f32([1, 2, 3, 4, 5, 6, 7, 8], dims: [1, 2, 2, 2])
        let y = try run(model(input: [1, 2, 2, 2], cache: [3, 1], positions: [1, 2]), feeds)
        XCTAssertEqual(y.dims, [1, 2, 2, 2])
        XCTAssertEqual(y.doubleValues() ?? [], [-1, -2, -4, 3, -5, -6, -8, 7])
    }

    func testAThreeDimensionalInputIsSplitIntoNumHeads() throws {
        // [batch 1, sequence 2, 2 heads · 2]: position 0 holds [1, 2 | 5, 6], position 1 [3, 4 | 7, 8].
        var feeds = cachesByPosition
        feeds["x"] = .f32([1, 2, 5, 6, 3, 4, 7, 8], dims: [1, 2, 4])
        let y = try run(model(input: [1, 2, 4], cache: [3, 1], positions: [1, 2], attributes: [ModelBuilder.attribute("num_heads", int: 2)]), feeds)
        XCTAssertEqual(y.dims, [1, 2, 4])
        XCTAssertEqual(y.doubleValues() ?? [], [-1, -2, -5, -6, -4, 3, -8, 7])
    }

    func testRefusalsNameTheNode() throws {
        let noHeads = model(input: [1, 2, 4], cache: [3, 1], positions: [1, 2]).importError() ?? ""
        XCTAssertTrue(noHeads.contains("'rope'") && noHeads.contains("num_heads"), noHeads)
        let wrongCache = model(input: [1, 1, 1, 4], cache: [1, 1, 1]).importError() ?? ""
        XCTAssertTrue(wrongCache.contains("'rope'") && wrongCache.contains("cos_cache (1) is not half the rotated size 4"), wrongCache)
    }
}
