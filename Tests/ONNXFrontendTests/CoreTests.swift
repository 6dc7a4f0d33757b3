import XCTest
import OVIR
@testable import ONNXFrontend

final class CoreTests: XCTestCase {
    private func dropoutModel(training: Int64?, asInput: Bool = false) -> ModelBuilder {
        var b = ModelBuilder()
        b.input("x", [2, 3])
        var inputs = ["x"]
        if let training {
            b.initializer("ratio", [0.5], dims: [])
            if asInput { b.input("training", [], elemType: 9) } else { b.initializer("training", int64: [training], dims: [], dataType: 9) }
            inputs += ["ratio", "training"]
        }
        b.node("Dropout", inputs, ["y"], name: "drop")
        b.output("y", [2, 3])
        return b
    }

    func testDropoutInInferenceModeIsTheIdentity() throws {
        for model in [dropoutModel(training: nil), dropoutModel(training: 0)] {
            let g = try ONNXImporter().load(path: model.write()).graph
            XCTAssertTrue(g.results[0].inputs[0].node.op is Parameter)
        }
    }

    func testDropoutInTrainingModeIsAnErrorNamingTheNode() throws {
        for model in [dropoutModel(training: 1), dropoutModel(training: 0, asInput: true)] {
            XCTAssertThrowsError(try ONNXImporter().load(path: model.write())) { error in
                XCTAssertTrue("\(error)".contains("node 'drop'") && "\(error)".contains("training"), "\(error)")
            }
        }
    }

    private func dropoutWithMask(opset: Int) -> ModelBuilder {
        var b = ModelBuilder()
        b.opset = opset
        b.input("x", [2, 3])
        b.node("Dropout", ["x"], ["y", "mask"], name: "drop")
        b.output("y", [2, 3])
        b.output("mask", [2, 3], elemType: opset < 10 ? 1 : 9)
        return b
    }

    func testDropoutMaskHasTheInputTypeBeforeOpset10() throws {
        for (opset, type) in [(7, ElementType.f32), (10, .boolean), (13, .boolean)] {
            let mask = try dropoutWithMask(opset: opset).importGraph().results[1].inputs[0]
            XCTAssertEqual(mask.elementType, type, "opset \(opset)")
        }
    }
}
