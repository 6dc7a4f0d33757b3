import Foundation
import OVIR
import OpenVINOIR
import XCTest

final class MappingFileTests: XCTestCase {
    private let framework: [String: MappingFile.FrameworkTensor] = [
        "images": .init(name: "images", port: 0),
        "a,1": .init(name: "conv", port: 0),
        "a2": .init(name: "Add_3", port: 0),
        "out1": .init(name: "split", port: 1),
        "out0": .init(name: "split", port: 0),
        "gone": .init(name: "folded_away", port: 0),
    ]

    func testEntriesFollowTheWrittenLayerAndPortIDs() throws {
        let folder = try makeTemporaryFolder()
        let graph = try makeSampleGraph()
        let out = try writeIR(graph, to: folder)
        let mapping = MappingFile(numbering: out.summary.numbering, framework: framework)
        XCTAssertEqual(mapping.entries, [
            .init(frameworkName: "Add_3", frameworkPort: 0, irName: "add, first", irPort: 2, irLayerID: 3),
            .init(frameworkName: "conv", frameworkPort: 0, irName: "add, first", irPort: 2, irLayerID: 3),
            .init(frameworkName: "images", frameworkPort: 0, irName: "images", irPort: 0, irLayerID: 0),
            .init(frameworkName: "split", frameworkPort: 0, irName: "split", irPort: 1, irLayerID: 6),
            .init(frameworkName: "split", frameworkPort: 1, irName: "split", irPort: 2, irLayerID: 6),
        ])
        // The ids agree with the XML the writer produced.
        let xml = try text(of: out.xml)
        XCTAssertTrue(xml.contains("<layer id=\"6\" name=\"split\""), xml)
        XCTAssertTrue(xml.contains("<port id=\"2\" precision=\"FP32\" names=\"out1\">"), xml)
    }

    func testWriteAndReadBack() throws {
        let folder = try makeTemporaryFolder()
        let graph = try makeSampleGraph()
        let mapping = MappingFile(numbering: LayerNumbering(graph), framework: framework)
        let url = folder.appendingPathComponent("model.mapping")
        try mapping.write(to: url)
        let written = try text(of: url)
        XCTAssertTrue(written.hasPrefix("<?xml version=\"1.0\"?>\n<mapping>\n\t<map>\n\t\t<framework name=\"Add_3\" out_port_id=\"0\"/>\n\t\t<IR name=\"add, first\" out_port_id=\"2\" id=\"3\"/>\n\t</map>"), written)
        XCTAssertEqual(try MappingFile.read(from: url), mapping)
        XCTAssertEqual(try mapping.xmlBytes(), try MappingFile(numbering: LayerNumbering(try makeSampleGraph()), framework: framework).xmlBytes())
    }

    func testEmptyMappingAndBadFile() throws {
        let folder = try makeTemporaryFolder()
        let url = folder.appendingPathComponent("empty.mapping")
        try MappingFile(entries: []).write(to: url)
        XCTAssertEqual(try MappingFile.read(from: url).entries, [])
        try Data("<mapping><map><framework name=\"x\"/></map></mapping>".utf8).write(to: url)
        XCTAssertThrowsError(try MappingFile.read(from: url)) { XCTAssertTrue("\($0)".contains("out_port_id"), "\($0)") }
    }
}
