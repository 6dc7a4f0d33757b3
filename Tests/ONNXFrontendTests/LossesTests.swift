import Evaluator
import Foundation
import XCTest
import OVIR
@testable import ONNXFrontend

/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss run by the evaluator on inputs small enough to work out by
/// hand. The log-probabilities [[-1, -2, -3], [-4, -5, -6]] with targets [2, 0] give per-sample losses [3, 4].
final class LossesTests: XCTestCase {
    private static let logProbabilities = Tensor.f32([-1, -2, -3, -4, -5, -6], dims: [2, 3])

    private func model(_ op: String = "NegativeLogLikelihoodLoss", x: [Int] = [2, 3], target: [Int] = [2], weight: Bool = false,
                       outputs: [String] = ["loss"], attributes: [Onnx_AttributeProto] = []) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = 13
        m.input("x", x)
        m.input("target", target, elemType: 7)
        if weight { m.input("weight", [x[1]]) }
        m.node(op, weight ? ["x", "target", "weight"] : ["x", "target"], outputs, name: "loss", attributes: attributes)
        for o in outputs { m.output(o) }
        return m
    }

    private func run(_ m: ModelBuilder, _ feeds: [String: Tensor]) throws -> [Tensor] {
        try Evaluator().run(try m.importGraph(), inputs: feeds)
    }

    private func close(_ t: Tensor, _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        let got = t.doubleValues() ?? []
        XCTAssertEqual(got.count, expected.count, "\(got)", file: file, line: line)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-5, "\(got)", file: file, line: line) }
    }

    private func reduction(_ r: String) -> Onnx_AttributeProto { ModelBuilder.attribute("reduction", string: r) }

    func testTheThreeReductions() throws {
        let feeds = ["x": Self.logProbabilities, "target": .i64([2, 0], dims: [2])]
        let none = try run(model(attributes: [reduction("none")]), feeds)[0]
        XCTAssertEqual(none.dims, [2])
        close(none, [3, 4])
        let sum = try run(model(attributes: [reduction("sum")]), feeds)[0]
        XCTAssertEqual(sum.dims, [])
        close(sum, [7])
        close(try run(model(), feeds)[0], [3.5])  // mean is the default
    }

    func testWeightsScaleEachTargetAndTheMeanDividesByTheirSum() throws {
        // weight[2] = 3, weight[0] = 1: losses [9, 4], mean (9 + 4) / (3 + 1).
        let feeds = ["x": Self.logProbabilities, "target": .i64([2, 0], dims: [2]), "weight": .f32([1, 2, 3], dims: [3])]
        close(try run(model(weight: true, attributes: [reduction("none")]), feeds)[0], [9, 4])
        close(try run(model(weight: true), feeds)[0], [13.0 / 4])
    }

    func testIgnoredTargetsOutOfRangeAreZeroAndLeaveTheMean() throws {
        // ignore_index -1 is not a class: sample 1 contributes nothing, the mean is 9 / weight[2] = 3.
        let feeds = ["x": Self.logProbabilities, "target": .i64([2, -1], dims: [2]), "weight": .f32([1, 2, 3], dims: [3])]
        let ignore = ModelBuilder.attribute("ignore_index", int: -1)
        close(try run(model(weight: true, attributes: [ignore, reduction("none")]), feeds)[0], [9, 0])
        close(try run(model(weight: true, attributes: [ignore]), feeds)[0], [3])
        // Without a weight the mean divides by the count of targets not ignored: 4 / 1.
        let unweighted = try run(model(attributes: [ModelBuilder.attribute("ignore_index", int: 2)]),
                                 ["x": Self.logProbabilities, "target": .i64([2, 0], dims: [2])])[0]
        close(unweighted, [4])
    }

    func testSpatialInputsGatherPerPosition() throws {
        // x [1, 2, 2]: position 0 has log-probabilities [-1, -2], position 1 [-3, -4]; targets [1, 0] → [2, 3].
        let m = model(x: [1, 2, 2], target: [1, 2], attributes: [reduction("none")])
        let loss = try run(m, ["x": .f32([-1, -3, -2, -4], dims: [1, 2, 2]), "target": .i64([1, 0], dims: [1, 2])])[0]
        XCTAssertEqual(loss.dims, [1, 2])
        close(loss, [2, 3])
    }

    func testSoftmaxCrossEntropyAlsoReturnsTheLogProbabilities() throws {
        // Scores [0, ln 3] have softmax [1/4, 3/4]; target 1 loses -ln(3/4).
        let m = model("SoftmaxCrossEntropyLoss", x: [1, 2], target: [1], outputs: ["loss", "log_prob"])
        let out = try run(m, ["x": .f32([0, Float(log(3.0))], dims: [1, 2]), "target": .i64([1], dims: [1])])
        close(out[0], [-log(0.75)])
        close(out[1], [log(0.25), log(0.75)])
    }

    func testAnUnknownReductionNamesTheNode() throws {
        let error = model(attributes: [reduction("max")]).importError() ?? ""
        XCTAssertTrue(error.contains("reduction 'max'"), error)
        XCTAssertTrue(error.contains("NegativeLogLikelihoodLoss"), error)
    }
}
