import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

/// Test-only ops, so these tests do not depend on the real op set being written in parallel.
enum TestBroadcast: String, IREnum {
    case none, numpy, pdpd
}

/// A binary elementwise op spelled like OpenVINO's Add-1.
struct TestAdd: Op {
    static let type = "Add"
    static let version = "opset1"
    var autoBroadcast: TestBroadcast = .numpy
    static var fields: [AttributeField<Self>] { [.init("auto_broadcast", \.autoBroadcast)] }

    init() {}
    init(_ autoBroadcast: TestBroadcast) { self.autoBroadcast = autoBroadcast }

    func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        return [TensorType(inputs[0].elementType, try ShapeInference.broadcast(inputs[0].shape, inputs[1].shape))]
    }
}

/// An op with several outputs (each the input's type), to exercise output port numbering.
struct TestSplit: Op {
    static let type = "Split"
    static let version = "opset1"
    var numSplits = 2
    static var fields: [AttributeField<Self>] { [.init("num_splits", \.numSplits)] }

    init() {}

    func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        return Array(repeating: inputs[0].type, count: numSplits)
    }
}

let testRegistry = OpRegistry([Parameter.self, Constant.self, ResultOp.self, TestAdd.self, TestSplit.self])

/// A graph touching every feature the writer serializes.
func makeSampleGraph() throws -> Graph {
    let g = Graph(name: "sample")
    let x = try g.addParameter("images", TensorType(.f32, .ranked([.dynamic, .fixed(3), Dim(lower: 2, upper: 8), .fixed(4)])))
    let flag = try g.addParameter("flag", TensorType(.boolean, .dynamicRank))
    let w1 = try g.constant(.f32([1, 2, 3], dims: [1, 3, 1, 1]), name: "w1")
    let w2 = try g.constant(.f32([1, 2, 3], dims: [1, 3, 1, 1]), name: "w2")  // same bytes as w1
    let a = try g.add(TestAdd(), [x.output(), w1], name: "add, first")
    g.addTensorNames(["a,1", "a2"], to: a.output())
    a.rtInfo = [RTAttribute(name: "fused_names", version: "0", values: [("value", "conv,bias")])]
    let b = try g.add(TestAdd(.none), [a.output(), w2], name: "add2")
    let split = try g.add(TestSplit(), [b.output()], name: "split")
    g.addTensorNames(["out0"], to: split.output(0))
    g.addTensorNames(["out1"], to: split.output(1))
    let text = try g.constant(Tensor(strings: ["ab", "cde", "", "f"], dims: [4]), name: "labels")
    let nibbles = try g.constant(Tensor(.u4, dims: [3], bytes: [0x21, 0x03]), name: "nibbles")
    let signed = try g.constant(Tensor(.i4, dims: [2], bytes: [0x2F]), name: "signed_nibbles")
    let scalar = try g.constant(.scalar(i64: 7), name: "seven")
    try g.addResult(split.output(0), name: "out0/sink_port_0")
    try g.addResult(split.output(1), name: "out1/sink_port_0")
    try g.addResult(flag.output(), name: "flag/sink_port_0")
    try g.addResult(text, name: "labels/sink_port_0")
    try g.addResult(nibbles, name: "nibbles/sink_port_0")
    try g.addResult(signed, name: "signed/sink_port_0")
    let decompression = try g.addResult(scalar, name: "seven/sink_port_0")
    decompression.rtInfo = [RTAttribute(name: "decompression", version: "0")]
    g.rtInfo.set(["OpenVINO Runtime"], .value("2026.4.1"))
    g.rtInfo.set(["framework", "name"], .value("ovconvert"))
    g.rtInfo.set(["conversion_parameters", "input model"], .value("m.onnx"))
    g.rtInfo.set(["info"], .value("a key named info"))
    return g
}

extension XCTestCase {
    /// A fresh empty folder removed after the test.
    func makeTemporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("OpenVINOIRTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Writes `graph` as `folder/name.xml` + `.bin` and returns the two URLs and the summary.
    func writeIR(_ graph: Graph, to folder: URL, name: String = "model") throws -> (xml: URL, bin: URL, summary: IRWriteSummary) {
        let xml = folder.appendingPathComponent("\(name).xml"), bin = folder.appendingPathComponent("\(name).bin")
        let summary = try IRWriter().write(graph, xmlURL: xml, binURL: bin)
        return (xml, bin, summary)
    }
}

func text(of url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }
func bytes(of url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
