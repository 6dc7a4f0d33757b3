import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

final class IRWriterTests: XCTestCase {
    func testWritingTwiceGivesIdenticalBytes() throws {
        let folder = try makeTemporaryFolder()
        let first = try writeIR(try makeSampleGraph(), to: folder, name: "a")
        let second = try writeIR(try makeSampleGraph(), to: folder, name: "b")
        XCTAssertEqual(try bytes(of: first.xml), try bytes(of: second.xml))
        XCTAssertEqual(try bytes(of: first.bin), try bytes(of: second.bin))
        XCTAssertEqual(first.summary.xmlBytes, try bytes(of: first.xml).count)
        XCTAssertEqual(first.summary.binBytes, try bytes(of: first.bin).count)
    }

    func testHeaderLayersAndPorts() throws {
        let folder = try makeTemporaryFolder()
        let xml = try text(of: try writeIR(try makeSampleGraph(), to: folder).xml)
        XCTAssertTrue(xml.hasPrefix("<?xml version=\"1.0\"?>\n<net name=\"sample\" version=\"11\">"), xml)
        XCTAssertTrue(xml.contains("""
        <layer id="0" name="images" type="Parameter" version="opset1">
        \t\t\t<data shape="?,3,2..8,4" element_type="f32"/>
        \t\t\t<output>
        \t\t\t\t<port id="0" precision="FP32" names="images">
        \t\t\t\t\t<dim>-1</dim>
        \t\t\t\t\t<dim>3</dim>
        \t\t\t\t\t<dim>-1</dim>
        \t\t\t\t\t<dim>4</dim>
        \t\t\t\t</port>
        """), xml)
        // Dynamic rank: no <dim> at all.
        XCTAssertTrue(xml.contains("<data shape=\"...\" element_type=\"boolean\"/>\n\t\t\t<output>\n\t\t\t\t<port id=\"0\" precision=\"BOOL\" names=\"flag\"/>"), xml)
        // Names sorted, commas escaped; friendly names keep their commas.
        XCTAssertTrue(xml.contains("<layer id=\"3\" name=\"add, first\" type=\"Add\" version=\"opset1\">"), xml)
        XCTAssertTrue(xml.contains("<port id=\"2\" precision=\"FP32\" names=\"a\\,1,a2\">"), xml)
        XCTAssertTrue(xml.contains("<data auto_broadcast=\"none\"/>"), xml)
        XCTAssertTrue(xml.contains("<rt_info>\n\t\t\t\t<attribute name=\"fused_names\" version=\"0\" value=\"conv,bias\"/>\n\t\t\t</rt_info>"), xml)
        // Multi-output op: one input port, outputs numbered after it.
        XCTAssertTrue(xml.contains("<port id=\"1\" precision=\"FP32\" names=\"out0\">"), xml)
        XCTAssertTrue(xml.contains("<port id=\"2\" precision=\"FP32\" names=\"out1\">"), xml)
        // Result layers have only <input>; their rt_info is written.
        let lastResult = try XCTUnwrap(xml.range(of: "name=\"seven/sink_port_0\""))
        let resultLayer = String(xml[lastResult.lowerBound...]).components(separatedBy: "</layer>")[0]
        XCTAssertFalse(resultLayer.contains("<output>"), resultLayer)
        XCTAssertFalse(resultLayer.contains("<data"), resultLayer)
        XCTAssertTrue(resultLayer.contains("<attribute name=\"decompression\" version=\"0\"/>"), resultLayer)
    }

    func testConstLayersAndSharedOffsets() throws {
        let folder = try makeTemporaryFolder()
        let out = try writeIR(try makeSampleGraph(), to: folder)
        let xml = try text(of: out.xml)
        // w1 and w2 have the same 12 bytes: one blob, one offset.
        XCTAssertTrue(xml.contains("name=\"w1\" type=\"Const\" version=\"opset1\">\n\t\t\t<data element_type=\"f32\" shape=\"1,3,1,1\" offset=\"0\" size=\"12\"/>"), xml)
        XCTAssertTrue(xml.contains("name=\"w2\" type=\"Const\" version=\"opset1\">\n\t\t\t<data element_type=\"f32\" shape=\"1,3,1,1\" offset=\"0\" size=\"12\"/>"), xml)
        XCTAssertTrue(xml.contains("<data element_type=\"string\" shape=\"4\" offset=\"12\" size=\"30\"/>"), xml)
        XCTAssertTrue(xml.contains("<port id=\"0\" precision=\"STRING\">\n\t\t\t\t\t<dim>4</dim>"), xml)
        XCTAssertTrue(xml.contains("offset=\"45\" size=\"8\"/>\n\t\t\t<output>\n\t\t\t\t<port id=\"0\" precision=\"I64\"/>"), xml)
        XCTAssertTrue(xml.contains("<data element_type=\"u4\" shape=\"3\" offset=\"42\" size=\"2\"/>"), xml)
        XCTAssertTrue(xml.contains("<data element_type=\"i4\" shape=\"2\" offset=\"44\" size=\"1\"/>"), xml)
        XCTAssertTrue(xml.contains("<data element_type=\"i64\" shape=\"\" offset=\"45\" size=\"8\"/>"), xml)
        XCTAssertEqual(out.summary.constants, 6)
        XCTAssertEqual(out.summary.deduplicatedConstants, 1)
        XCTAssertEqual(try bytes(of: out.bin).count, 12 + 30 + 2 + 1 + 8)
    }

    func testBinLayoutOfStringsAndNibbles() throws {
        let folder = try makeTemporaryFolder()
        let bin = try bytes(of: try writeIR(try makeSampleGraph(), to: folder).bin)
        XCTAssertEqual(Array(bin[0..<12]), Tensor.f32([1, 2, 3]).bytes)
        let strings: [UInt8] = [4, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0] + Array("abcdef".utf8)
        XCTAssertEqual(strings.count, 30)
        XCTAssertEqual(Array(bin[12..<42]), strings)
        XCTAssertEqual(Array(bin[42..<45]), [0x21, 0x03, 0x2F])
        XCTAssertEqual(Array(bin[45..<53]), [7, 0, 0, 0, 0, 0, 0, 0])
    }

    func testSameSizeDifferentBytesAreNotShared() throws {
        let g = Graph(name: "g")
        try g.addResult(try g.constant(.f32([1, 2]), name: "a"), name: "ra")
        try g.addResult(try g.constant(.f32([1, 3]), name: "b"), name: "rb")
        try g.addResult(try g.constant(.i32([1, 2, 3, 4, 5, 6, 7, 8], dims: [2, 4]), name: "c"), name: "rc")
        try g.addResult(try g.constant(.i64([0x0000_0002_0000_0001, 0x0000_0004_0000_0003, 0x0000_0006_0000_0005, 0x0000_0008_0000_0007], dims: [4]), name: "d"), name: "rd")
        let out = try writeIR(g, to: try makeTemporaryFolder())
        // c (i32) and d (i64) hold the same 32 bytes: shared even across element types.
        XCTAssertEqual(out.summary.deduplicatedConstants, 1)
        XCTAssertEqual(out.summary.binBytes, 8 + 8 + 32)
        let xml = try text(of: out.xml)
        XCTAssertTrue(xml.contains("<data element_type=\"f32\" shape=\"2\" offset=\"8\" size=\"8\"/>"), xml)
        XCTAssertTrue(xml.contains("<data element_type=\"i64\" shape=\"4\" offset=\"16\" size=\"32\"/>"), xml)
    }

    func testEdgesAreSortedByTargetAndUseOutputPortIDs() throws {
        let folder = try makeTemporaryFolder()
        let xml = try text(of: try writeIR(try makeSampleGraph(), to: folder).xml)
        let edges = try NSRegularExpression(pattern: "<edge from-layer=\"(\\d+)\" from-port=\"(\\d+)\" to-layer=\"(\\d+)\" to-port=\"(\\d+)\"/>")
            .matches(in: xml, range: NSRange(xml.startIndex..., in: xml))
            .map { m in (1...4).map { Int(xml[Range(m.range(at: $0), in: xml)!])! } }
        XCTAssertEqual(edges, [
            [0, 0, 3, 0], [2, 0, 3, 1],   // images, w1 -> add
            [3, 2, 5, 0], [4, 0, 5, 1],   // add, w2 -> add2
            [5, 2, 6, 0],                 // add2 -> split
            [6, 1, 7, 0], [6, 2, 8, 0],   // split outputs -> results
            [1, 0, 9, 0], [10, 0, 11, 0], [12, 0, 13, 0], [14, 0, 15, 0], [16, 0, 17, 0],
        ])
        XCTAssertEqual(edges.map { [$0[2], $0[3]] }, edges.map { [$0[2], $0[3]] }.sorted { $0.lexicographicallyPrecedes($1) })
    }

    func testModelRTInfo() throws {
        let folder = try makeTemporaryFolder()
        let xml = try text(of: try writeIR(try makeSampleGraph(), to: folder).xml)
        XCTAssertTrue(xml.contains("""
        \t<rt_info>
        \t\t<info name="OpenVINO Runtime" value="2026.4.1"/>
        \t\t<framework>
        \t\t\t<name value="ovconvert"/>
        \t\t</framework>
        \t\t<conversion_parameters>
        \t\t\t<info name="input model" value="m.onnx"/>
        \t\t</conversion_parameters>
        \t\t<info value="a key named info"/>
        \t</rt_info>
        </net>
        """), xml)
    }

    func testLayerNumberingMatchesTheXML() throws {
        let g = try makeSampleGraph()
        let numbering = LayerNumbering(g)
        let split = try XCTUnwrap(g.nodes.first { $0.name == "split" })
        XCTAssertEqual(numbering.layerID(of: split), 6)
        XCTAssertEqual(numbering.portID(of: split.output(1)), 2)
        XCTAssertEqual(numbering.layers.count, 18)
        let orphan = try g.add(TestAdd(), [g.parameters[0].output(), g.parameters[0].output()], name: "dead")
        XCTAssertNil(LayerNumbering(g).layerID(of: orphan))
    }

    func testRefusesToOverwriteTheBinItsWeightsAreMappedFrom() throws {
        let folder = try makeTemporaryFolder()
        let out = try writeIR(try makeSampleGraph(), to: folder)
        let before = try bytes(of: out.bin)
        let graph = try IRReader(registry: testRegistry).read(xmlURL: out.xml)
        XCTAssertThrowsError(try IRWriter().write(graph, xmlURL: out.xml, binURL: out.bin)) { error in
            XCTAssertTrue("\(error)".contains("mapped"), "\(error)")
        }
        XCTAssertEqual(try bytes(of: out.bin), before)
    }
}
