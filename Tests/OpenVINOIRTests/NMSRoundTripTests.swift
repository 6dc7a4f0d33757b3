import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

/// MulticlassNms-9 and NonMaxSuppression-9 through the IR writer and reader: `<data>` spelled and ordered as
/// OpenVINO 2026.4.1 serializes them, and every attribute read back.
final class NMSRoundTripTests: XCTestCase {
    private func boxesAndScores(_ g: Graph) throws -> (Output, Output) {
        let boxes = try g.addParameter("boxes", TensorType(.f32, .ranked([.dynamic, .fixed(50), .fixed(4)])))
        let scores = try g.addParameter("scores", TensorType(.f32, .ranked([.dynamic, .fixed(3), .fixed(50)])))
        return (boxes.output(), scores.output())
    }

    /// Writes `graph`, checks that the XML holds `data`, reads it back with the built-in ops and returns the node
    /// named `name`.
    private func roundTrip(_ graph: Graph, data: String, node name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Node {
        let folder = try makeTemporaryFolder()
        let out = try writeIR(graph, to: folder)
        let xml = try text(of: out.xml)
        XCTAssertTrue(xml.contains(data), "the XML lacks \(data):\n\(xml)", file: file, line: line)
        let read = try IRReader(registry: .builtin).read(xmlURL: out.xml)
        XCTAssertNil(read.firstDifference(from: graph), file: file, line: line)
        try read.verify()
        return try XCTUnwrap(read.nodes.first { $0.name == name }, file: file, line: line)
    }

    func testMulticlassNmsAttributes() throws {
        let g = Graph(name: "mcn")
        let (boxes, scores) = try boxesAndScores(g)
        var op = MulticlassNms()
        op.sortResultType = .classID
        op.outputType = .i32
        op.nmsTopK = 15
        op.keepTopK = 20
        op.sortResultAcrossBatch = true
        op.iouThreshold = 0.45
        op.scoreThreshold = 0.25
        op.backgroundClass = 1
        op.nmsEta = 0.9
        op.normalized = false
        let nms = try g.add(op, [boxes, scores], name: "nms")
        for i in 0..<3 { try g.addResult(nms.output(i), name: "out\(i)") }
        let read = try roundTrip(g, data: """
            <data sort_result_type="classid" output_type="i32" nms_top_k="15" keep_top_k="20" sort_result_across_batch="true" \
            iou_threshold="0.45" score_threshold="0.25" background_class="1" nms_eta="0.9" normalized="false"
            """, node: "nms")
        XCTAssertEqual(read.op as? MulticlassNms, op)
        XCTAssertEqual(read.outputTypes.map(\.elementType), [.f32, .i32, .i32])
        // defaults, in serializer order
        let d = Graph(name: "defaults")
        let (b2, s2) = try boxesAndScores(d)
        let plain = try d.add(MulticlassNms(), [b2, s2], name: "nms")
        for i in 0..<3 { try d.addResult(plain.output(i), name: "out\(i)") }
        let readDefault = try roundTrip(d, data: """
            <data sort_result_type="none" output_type="i64" nms_top_k="-1" keep_top_k="-1" sort_result_across_batch="false" \
            iou_threshold="0" score_threshold="0" background_class="-1" nms_eta="1" normalized="true"
            """, node: "nms")
        XCTAssertEqual(readDefault.op as? MulticlassNms, MulticlassNms())
    }

    func testNonMaxSuppressionAttributesAndScalarInputs() throws {
        let g = Graph(name: "nms9")
        let (boxes, scores) = try boxesAndScores(g)
        let op = NonMaxSuppression(boxEncoding: .center, sortResultDescending: false, outputType: .i32)
        let inputs = [boxes, scores, try g.constant(.scalar(i64: 100), name: "max"), try g.constant(.scalar(f32: 0.5), name: "iou"),
                      try g.constant(.scalar(f32: 0.25), name: "score"), try g.constant(.scalar(f32: 0), name: "sigma")]
        let nms = try g.add(op, inputs, name: "nms")
        for i in 0..<3 { try g.addResult(nms.output(i), name: "out\(i)") }
        let read = try roundTrip(g, data: #"<data box_encoding="center" sort_result_descending="false" output_type="i32""#, node: "nms")
        XCTAssertEqual(read.op as? NonMaxSuppression, op)
        XCTAssertEqual(read.inputs.map(\.node.name), ["boxes", "scores", "max", "iou", "score", "sigma"])
        XCTAssertEqual(read.outputTypes.map(\.elementType), [.i32, .f32, .i32])
    }

    func testReadsOpenVINOsOwnSpelling() throws {
        // as openvino 2026.4.1's serializer wrote it (floats widened from f32 to 17 digits)
        let folder = try makeTemporaryFolder()
        let url = folder.appendingPathComponent("ov.xml")
        try Data("""
        <?xml version="1.0"?>
        <net name="Model0" version="11"><layers>
        <layer id="0" name="boxes" type="Parameter" version="opset1"><data shape="2,50,4" element_type="f32" /><output><port id="0" precision="FP32" names="boxes"><dim>2</dim><dim>50</dim><dim>4</dim></port></output></layer>
        <layer id="1" name="scores" type="Parameter" version="opset1"><data shape="2,3,50" element_type="f32" /><output><port id="0" precision="FP32" names="scores"><dim>2</dim><dim>3</dim><dim>50</dim></port></output></layer>
        <layer id="2" name="MulticlassNms_3" type="MulticlassNms" version="opset9">
        <data sort_result_type="classid" output_type="i32" nms_top_k="-1" keep_top_k="7" sort_result_across_batch="false" iou_threshold="0.44999998807907104" score_threshold="0.25" background_class="1" nms_eta="0.89999997615814209" normalized="true" />
        <input><port id="0" precision="FP32"/><port id="1" precision="FP32"/></input>
        <output><port id="2" precision="FP32" names="Result_4"><dim>-1</dim><dim>6</dim></port><port id="3" precision="I32" names="Result_5"><dim>-1</dim><dim>1</dim></port><port id="4" precision="I32" names="Result_6"><dim>2</dim></port></output></layer>
        <layer id="3" name="Result_4" type="Result" version="opset1"><input><port id="0" precision="FP32"/></input></layer>
        <layer id="4" name="Result_5" type="Result" version="opset1"><input><port id="0" precision="I32"/></input></layer>
        <layer id="5" name="Result_6" type="Result" version="opset1"><input><port id="0" precision="I32"/></input></layer>
        </layers><edges>
        <edge from-layer="0" from-port="0" to-layer="2" to-port="0" /><edge from-layer="1" from-port="0" to-layer="2" to-port="1" />
        <edge from-layer="2" from-port="2" to-layer="3" to-port="0" /><edge from-layer="2" from-port="3" to-layer="4" to-port="0" />
        <edge from-layer="2" from-port="4" to-layer="5" to-port="0" />
        </edges></net>
        """.utf8).write(to: url)
        let graph = try IRReader(registry: .builtin).read(xmlURL: url)
        let op = try XCTUnwrap(graph.nodes.first { $0.name == "MulticlassNms_3" }?.op as? MulticlassNms)
        XCTAssertEqual(op.sortResultType, .classID)
        XCTAssertEqual(op.outputType, .i32)
        XCTAssertEqual(op.keepTopK, 7)
        XCTAssertEqual(op.backgroundClass, 1)
        // the kernels read thresholds as f32, where these are exactly 0.45 and 0.9
        XCTAssertEqual(Float(op.iouThreshold), 0.45)
        XCTAssertEqual(Float(op.nmsEta), 0.9)
        // rows: 2 images · min(7, 3 · 50)
        XCTAssertEqual(graph.results[0].inputs[0].type.shape, .ranked([Dim(lower: 0, upper: 14), .fixed(6)]))
    }
}
