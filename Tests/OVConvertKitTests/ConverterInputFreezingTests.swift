import Evaluator
import Foundation
import OVIR
import OpenVINOIR
import XCTest
@testable import OVConvertKit
@testable import ONNXFrontend

/// `--input 'name->value'`: an input frozen to a constant, as Silero VAD needs its sample rate frozen: the If on it
/// folds to one branch, so the other need not fit the shapes the user gives.
final class ConverterInputFreezingTests: XCTestCase {
    /// y = If(sr == 16000) { Reshape(x, [2]) * 10 } else { Reshape(x, [3]) }: each branch fits one length of x only.
    private func model() throws -> String {
        func value(_ name: String, _ type: Int32, _ dims: [Int64?]) -> Onnx_ValueInfoProto {
            var v = Onnx_ValueInfoProto()
            v.name = name
            v.type.tensorType.elemType = type
            v.type.tensorType.shape.dim = dims.map { d in
                var x = Onnx_TensorShapeProto.Dimension()
                if let d { x.dimValue = d } else { x.dimParam = "n" }
                return x
            }
            return v
        }
        func node(_ op: String, _ inputs: [String], _ outputs: [String], _ attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
            var n = Onnx_NodeProto()
            (n.opType, n.input, n.output, n.attribute) = (op, inputs, outputs, attributes)
            return n
        }
        func ints(_ name: String, _ values: [Int64]) -> Onnx_TensorProto {
            var t = Onnx_TensorProto()
            (t.name, t.dataType, t.dims, t.int64Data) = (name, 7, values.count == 1 && name == "rate" ? [] : [Int64(values.count)], values)
            return t
        }
        func branch(_ name: String, length: Int64, scale: Bool) -> Onnx_AttributeProto {
            var g = Onnx_GraphProto()
            g.name = name
            g.initializer = [ints("\(name)_shape", [length])]
            g.node = [node("Reshape", ["x", "\(name)_shape"], scale ? ["\(name)_r"] : ["\(name)_y"])]
            if scale {
                var ten = Onnx_TensorProto()
                (ten.name, ten.dataType, ten.floatData) = ("\(name)_ten", 1, [10])
                g.initializer.append(ten)
                g.node.append(node("Mul", ["\(name)_r", "\(name)_ten"], ["\(name)_y"]))
            }
            g.output = [value("\(name)_y", 1, [length])]
            var a = Onnx_AttributeProto()
            (a.name, a.type, a.g) = (name, .graph, g)
            return a
        }
        var g = Onnx_GraphProto()
        g.name = "freeze"
        g.input = [value("x", 1, [nil]), value("sr", 7, [])]
        g.initializer = [ints("rate", [16000])]
        g.node = [node("Equal", ["sr", "rate"], ["is16k"]),
                  node("If", ["is16k"], ["y"], [branch("then_branch", length: 2, scale: true), branch("else_branch", length: 3, scale: false)])]
        g.output = [value("y", 1, [nil])]
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        m.opsetImport = [opset]
        m.graph = g
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("freeze-\(UUID().uuidString).onnx").path
        try Data(try m.serializedBytes() as [UInt8]).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-freeze-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testAFrozenInputFoldsTheIfAndTheOtherBranchNeedNotFit() throws {
        let path = try model(), out = folder()
        _ = try Converter(ConversionOptions(modelPath: path, outputFolder: out, input: ["x[2],sr->16000"])).run()
        let xml = URL(fileURLWithPath: out).appendingPathComponent(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".xml")
        let graph = try IRReader().read(xmlURL: xml)
        XCTAssertEqual(graph.parameters.map(\.name), ["x"], "sr is a constant now")
        XCTAssertFalse(graph.nodes.contains { $0.op is If }, "the If folded to its then branch")
        XCTAssertEqual(try Evaluator().run(graph, inputs: ["x": .f32([1, 2])])[0].doubleValues(), [10, 20])
    }

    func testWithoutFreezingTheShapeBreaksTheOtherBranch() throws {
        let path = try model(), out = folder()
        XCTAssertThrowsError(try Converter(ConversionOptions(modelPath: path, outputFolder: out, input: ["x[2]"])).run()) { error in
            XCTAssertEqual((error as? ConversionFailure)?.reason, .inputShape, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testAFrozenValueMustFitTheInput() throws {
        let path = try model()
        for (input, phrase) in [("sr->16000.5", "not a whole number"), ("sr[2]->[1,2]", "cannot be [2]"), ("nope->1", "has no input 'nope'")] {
            XCTAssertThrowsError(try Converter(ConversionOptions(modelPath: path, outputFolder: folder(), input: [input])).run(), input) { error in
                XCTAssertTrue("\(error)".contains(phrase), "\(input): \(error)")
            }
        }
    }
}
