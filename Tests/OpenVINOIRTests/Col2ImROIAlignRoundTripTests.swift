import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

/// Col2Im-15 and ROIAlign-9 through the IR writer and reader: `<data>` spelled and ordered as OpenVINO 2026.4.1
/// serializes them (`ov.save_model` of opset15.col2im and opset9.roi_align with the same attributes), read back whole.
final class Col2ImROIAlignRoundTripTests: XCTestCase {
    private func roundTrip(_ graph: Graph, data: String, file: StaticString = #filePath, line: UInt = #line) throws -> Graph {
        let out = try writeIR(graph, to: try makeTemporaryFolder())
        let xml = try text(of: out.xml)
        XCTAssertTrue(xml.contains(data), "the XML lacks \(data):\n\(xml)", file: file, line: line)
        let read = try IRReader(registry: .builtin).read(xmlURL: out.xml)
        XCTAssertNil(read.firstDifference(from: graph), file: file, line: line)
        try read.verify()
        return read
    }

    func testCol2Im() throws {
        let g = Graph(name: "col2im")
        let data = try g.addParameter("data", TensorType(.f32, .fixed([2, 12, 24])))
        let op = Col2Im(strides: [1, 2], dilations: [2, 1], padsBegin: [1, 0], padsEnd: [0, 1])
        let node = try g.add(op, [data.output(), try g.constant(.i64([7, 8]), name: "size"), try g.constant(.i64([2, 2]), name: "kernel")],
                             name: "fold")
        try g.addResult(node.output(0), name: "image")
        XCTAssertEqual(node.outputTypes, [TensorType(.f32, .fixed([2, 3, 7, 8]))])
        let read = try roundTrip(g, data: #"<data strides="1, 2" dilations="2, 1" pads_begin="1, 0" pads_end="0, 1""#)
        XCTAssertEqual(read.nodes.first { $0.name == "fold" }?.op as? Col2Im, op)
    }

    func testROIAlign() throws {
        let g = Graph(name: "roialign")
        let data = try g.addParameter("data", TensorType(.f32, .fixed([1, 3, 8, 8])))
        let rois = try g.addParameter("rois", TensorType(.f32, .ranked([.dynamic, .fixed(4)])))
        let indices = try g.addParameter("indices", TensorType(.i32, .ranked([.dynamic])))
        let op = ROIAlign(pooledH: 2, pooledW: 3, samplingRatio: 0, spatialScale: 0.0625, mode: .max, alignedMode: .halfPixelForNN)
        let node = try g.add(op, [data.output(), rois.output(), indices.output()], name: "align")
        try g.addResult(node.output(0), name: "pooled")
        let read = try roundTrip(g, data: """
            <data pooled_h="2" pooled_w="3" sampling_ratio="0" spatial_scale="0.0625" mode="max" aligned_mode="half_pixel_for_nn"
            """)
        XCTAssertEqual(read.nodes.first { $0.name == "align" }?.op as? ROIAlign, op)
    }
}
