import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

final class IRReaderTests: XCTestCase {
    let reader = IRReader(registry: testRegistry)

    func testRoundTripIsStructurallyEqual() throws {
        let folder = try makeTemporaryFolder()
        let original = try makeSampleGraph()
        let out = try writeIR(original, to: folder)
        let read = try reader.read(xmlURL: out.xml)
        XCTAssertNil(read.firstDifference(from: original))
        try read.verify()
        XCTAssertEqual(read.parameters.map(\.name), ["images", "flag"])
        XCTAssertEqual(read.results.map(\.name), ["out0/sink_port_0", "out1/sink_port_0", "flag/sink_port_0", "labels/sink_port_0",
                                                  "nibbles/sink_port_0", "signed/sink_port_0", "seven/sink_port_0"])
        XCTAssertEqual(read.rtInfo["conversion_parameters", "input model"], .value("m.onnx"))
        XCTAssertEqual(read.rtInfo["info"], .value("a key named info"))
    }

    func testRewritingAReadGraphGivesIdenticalBytes() throws {
        let folder = try makeTemporaryFolder()
        let first = try writeIR(try makeSampleGraph(), to: folder, name: "first")
        let second = try writeIR(try reader.read(xmlURL: first.xml), to: folder, name: "second")
        XCTAssertEqual(try bytes(of: first.xml), try bytes(of: second.xml))
        XCTAssertEqual(try bytes(of: first.bin), try bytes(of: second.bin))
    }

    func testConstantsAreSlicesOfTheMappedBin() throws {
        let folder = try makeTemporaryFolder()
        let graph = try reader.read(xmlURL: try writeIR(try makeSampleGraph(), to: folder).xml)
        let constants = Dictionary(uniqueKeysWithValues: graph.nodes.compactMap { n in (n.op as? Constant).map { (n.name, $0.tensor) } })
        guard case .mapped(let file, let range) = try XCTUnwrap(constants["w2"]).storage else { return XCTFail("w2 is not mapped") }
        XCTAssertEqual(range, 0..<12)
        XCTAssertTrue(file.path.hasSuffix("model.bin"))
        XCTAssertEqual(constants["w2"]?.doubleValues(), [1, 2, 3])
        XCTAssertEqual(constants["labels"]?.strings, ["ab", "cde", "", "f"])
        XCTAssertEqual(constants["nibbles"]?.elementType, .u4)
        XCTAssertEqual(constants["nibbles"]?.bytes, [0x21, 0x03])
        XCTAssertEqual(constants["signed_nibbles"]?.bytes, [0x2F])
        XCTAssertEqual(constants["seven"]?.dims, [])
        XCTAssertEqual(constants["seven"]?.intValues(), [7])
    }

    func testTensorNamesWithCommasAndRTInfo() throws {
        let folder = try makeTemporaryFolder()
        let graph = try reader.read(xmlURL: try writeIR(try makeSampleGraph(), to: folder).xml)
        let add = try XCTUnwrap(graph.nodes.first { $0.name == "add, first" })
        XCTAssertEqual(add.tensorNames[0], ["a,1", "a2"])
        XCTAssertEqual(add.rtInfo, [RTAttribute(name: "fused_names", version: "0", values: [("value", "conv,bias")])])
        XCTAssertEqual((add.op as? TestAdd)?.autoBroadcast, .numpy)
        XCTAssertEqual((graph.nodes.first { $0.name == "add2" }?.op as? TestAdd)?.autoBroadcast, TestBroadcast.none)
    }

    func testTensorNameListEscaping() {
        XCTAssertEqual(TensorNameList.encode(["b", "a,1"]), "a\\,1,b")
        XCTAssertEqual(TensorNameList.decode("a\\,1,b"), ["a,1", "b"])
        XCTAssertEqual(TensorNameList.decode("x\\y,,z,"), ["x\\y", "z"])
        XCTAssertEqual(TensorNameList.decode(""), [])
    }

    func testDifferenceIsReported() throws {
        let a = try makeSampleGraph(), b = try makeSampleGraph()
        XCTAssertNil(a.firstDifference(from: b))
        let add = try XCTUnwrap(b.nodes.first { $0.name == "add2" })
        try b.replaceOp(of: add, with: TestAdd(.numpy))
        XCTAssertEqual(a.firstDifference(from: b)?.contains("node #5 'add2' (Add): attributes"), true)
        let c = try makeSampleGraph()
        c.addTensorNames(["extra"], to: c.parameters[1].output())
        XCTAssertNotNil(a.firstDifference(from: c))
        let d = try makeSampleGraph()
        let w2 = try XCTUnwrap(d.nodes.first { $0.name == "w2" })
        try d.replaceOp(of: w2, with: Constant(.f32([1, 2, 4], dims: [1, 3, 1, 1])))
        XCTAssertEqual(a.firstDifference(from: d)?.contains("'w2' (Const): constant"), true)
    }

    // MARK: Hand-written XML

    /// Writes `xml` (and `bin`) into a fresh folder and reads it with the test registry.
    private func read(_ xml: String, bin: [UInt8]? = [], registry: OpRegistry = testRegistry) throws -> Graph {
        let folder = try makeTemporaryFolder()
        let url = folder.appendingPathComponent("hand.xml")
        try Data(xml.utf8).write(to: url)
        if let bin { try Data(bin).write(to: folder.appendingPathComponent("hand.bin")) }
        return try IRReader(registry: registry).read(xmlURL: url)
    }

    private func assertReadError(_ xml: String, bin: [UInt8]? = [], registry: OpRegistry = testRegistry, contains parts: [String],
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try read(xml, bin: bin, registry: registry), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("hand.xml"), text, file: file, line: line)
            for p in parts { XCTAssertTrue(text.contains(p), "\(text) lacks \(p)", file: file, line: line) }
        }
    }

    private let twoInputs = """
    <layer id="7" name="y" type="Parameter" version="opset1"><data shape="2" element_type="f32"/><output><port id="0" precision="FP32" names="y"/></output></layer>
    <layer id="9" name="x" type="Parameter" version="opset1"><data shape="2" element_type="f32"/><output><port id="0" precision="FP32" names="x"/></output></layer>
    """

    func testDocumentOrderDecidesParametersAndResults() throws {
        // Layers out of topological order, ids not sorted, odd port ids: only positions matter.
        let graph = try read("""
        <net name="hand" version="11"><layers>
        <layer id="3" name="second" type="Result" version="opset1"><input><port id="4"/></input></layer>
        <layer id="1" name="sum" type="add" version="opset1"><input><port id="5"/><port id="7"/></input><output><port id="9" precision="fp32" names="s"/></output></layer>
        \(twoInputs)
        <layer id="2" name="first" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges>
        <edge from-layer="1" from-port="9" to-layer="3" to-port="4"/>
        <edge from-layer="9" from-port="0" to-layer="1" to-port="5"/>
        <edge from-layer="7" from-port="0" to-layer="1" to-port="7"/>
        <edge from-layer="9" from-port="0" to-layer="2" to-port="0"/>
        </edges></net>
        """)
        XCTAssertEqual(graph.name, "hand")
        XCTAssertEqual(graph.parameters.map(\.name), ["y", "x"])
        XCTAssertEqual(graph.results.map(\.name), ["second", "first"])
        let sum = try XCTUnwrap(graph.nodes.first { $0.name == "sum" })
        XCTAssertEqual(sum.inputs.map(\.node.name), ["x", "y"])
        XCTAssertEqual(graph.results[0].inputs[0].node.name, "sum")
        XCTAssertEqual(sum.tensorNames, [["s"]])
        XCTAssertEqual(graph.rtInfo, .empty)
        try graph.verify()
    }

    func testConstOutsideTheBinNamesTheLayer() throws {
        assertReadError("""
        <net version="11"><layers>
        <layer id="4" name="bias" type="Const" version="opset1"><data element_type="f32" shape="2" offset="4" size="8"/><output><port id="0" precision="FP32"/></output></layer>
        <layer id="5" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges><edge from-layer="4" from-port="0" to-layer="5" to-port="0"/></edges></net>
        """, bin: [UInt8](repeating: 0, count: 10), contains: ["layer 4 'bias'", "4..<12", "10 bytes"])
    }

    func testConstSizeTooSmallAndMissingBin() throws {
        let xml = """
        <net version="11"><layers>
        <layer id="4" name="w" type="Const" version="opset1"><data element_type="i64" shape="2" offset="0" size="8"/><output><port id="0" precision="I64"/></output></layer>
        <layer id="5" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges><edge from-layer="4" from-port="0" to-layer="5" to-port="0"/></edges></net>
        """
        assertReadError(xml, bin: [UInt8](repeating: 0, count: 16), contains: ["layer 4 'w'", "smaller than the 16 bytes"])
        assertReadError(xml, bin: nil, contains: ["layer 4 'w'", "hand.bin"])
    }

    func testUnknownOpAndBadAttribute() throws {
        let body = """
        <net version="11"><layers>\(twoInputs)
        <layer id="1" name="sum" type="Add" version="opset1"><data auto_broadcast="sideways"/><input><port id="0"/><port id="1"/></input><output><port id="2" precision="FP32"/></output></layer>
        <layer id="2" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges>
        <edge from-layer="9" from-port="0" to-layer="1" to-port="0"/><edge from-layer="7" from-port="0" to-layer="1" to-port="1"/>
        <edge from-layer="1" from-port="2" to-layer="2" to-port="0"/>
        </edges></net>
        """
        assertReadError(body, registry: OpRegistry([Parameter.self, ResultOp.self]), contains: ["layer 1 'sum'", "unknown op type 'Add' version 'opset1'"])
        assertReadError(body, contains: ["layer 1 'sum'", "auto_broadcast", "sideways"])
    }

    func testMissingMandatoryAttributes() throws {
        assertReadError("""
        <net version="11"><layers><layer id="3" name="p" type="Parameter"><data shape="1" element_type="f32"/></layer></layers></net>
        """, contains: ["layer 3 'p'", "'version'"])
        assertReadError("""
        <net version="11"><layers><layer id="3" name="p" type="Parameter" version="opset1"><output><port id="0" precision="FP32"/></output></layer></layers></net>
        """, contains: ["layer 3 'p'", "<data>"])
        assertReadError("""
        <net version="11"><layers><layer id="3" name="p" type="Parameter" version="opset1"><data shape="1" element_type="f32"/><output><port id="0"/></output></layer></layers></net>
        """, contains: ["layer 3 'p'", "precision"])
    }

    func testBadEdges() throws {
        let layers = """
        \(twoInputs)
        <layer id="1" name="sum" type="Add" version="opset1"><input><port id="0"/><port id="1"/></input><output><port id="2" precision="FP32"/></output></layer>
        <layer id="2" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
        """
        let good = """
        <edge from-layer="9" from-port="0" to-layer="1" to-port="0"/><edge from-layer="1" from-port="2" to-layer="2" to-port="0"/>
        """
        XCTAssertNoThrow(try read("<net version=\"11\"><layers>\(layers)</layers><edges>\(good)<edge from-layer=\"7\" from-port=\"0\" to-layer=\"1\" to-port=\"1\"/></edges></net>"))
        assertReadError("<net version=\"11\"><layers>\(layers)</layers><edges>\(good)</edges></net>",
                        contains: ["layer 1 'sum'", "input port 1 has no edge"])
        assertReadError("<net version=\"11\"><layers>\(layers)</layers><edges>\(good)<edge from-layer=\"7\" from-port=\"0\" to-layer=\"1\" to-port=\"5\"/></edges></net>",
                        contains: ["layer 1 'sum'", "no input port 5"])
        assertReadError("<net version=\"11\"><layers>\(layers)</layers><edges>\(good)<edge from-layer=\"7\" from-port=\"3\" to-layer=\"1\" to-port=\"1\"/></edges></net>",
                        contains: ["layer 7 'y'", "no output port 3"])
        assertReadError("<net version=\"11\"><layers>\(layers)</layers><edges>\(good)<edge from-layer=\"8\" from-port=\"0\" to-layer=\"1\" to-port=\"1\"/></edges></net>",
                        contains: ["no layer with id 8"])
        assertReadError("<net version=\"11\"><layers>\(layers)</layers><edges>\(good)<edge from-layer=\"9\" from-port=\"0\" to-layer=\"1\" to-port=\"0\"/></edges></net>",
                        contains: ["layer 1 'sum'", "more than one edge"])
    }

    func testResultFeedingALayerAndEdgesIntoAParameterAreErrorsNotCrashes() throws {
        // The Result comes first in the document, so it is visited as a root before its reader.
        assertReadError("""
        <net version="11"><layers>
        <layer id="2" name="r" type="Result" version="opset1"><input><port id="0"/></input><output><port id="1" precision="FP32"/></output></layer>
        \(twoInputs)
        <layer id="1" name="sum" type="Add" version="opset1"><input><port id="0"/><port id="1"/></input><output><port id="2" precision="FP32"/></output></layer>
        <layer id="3" name="r2" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges>
        <edge from-layer="9" from-port="0" to-layer="2" to-port="0"/><edge from-layer="2" from-port="1" to-layer="1" to-port="0"/>
        <edge from-layer="7" from-port="0" to-layer="1" to-port="1"/><edge from-layer="1" from-port="2" to-layer="3" to-port="0"/>
        </edges></net>
        """, contains: ["layer 2 'r'", "Result layer cannot feed"])
        assertReadError("""
        <net version="11"><layers>
        <layer id="9" name="x" type="Parameter" version="opset1"><data shape="2" element_type="f32"/><input><port id="0"/></input><output><port id="1" precision="FP32"/></output></layer>
        <layer id="7" name="y" type="Parameter" version="opset1"><data shape="2" element_type="f32"/><output><port id="0" precision="FP32"/></output></layer>
        <layer id="3" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges>
        <edge from-layer="7" from-port="0" to-layer="9" to-port="0"/><edge from-layer="9" from-port="1" to-layer="3" to-port="0"/>
        </edges></net>
        """, contains: ["layer 9 'x'", "take no inputs"])
    }

    func testCycleIsReported() throws {
        assertReadError("""
        <net version="11"><layers>
        <layer id="7" name="y" type="Parameter" version="opset1"><data shape="2" element_type="f32"/><output><port id="0" precision="FP32"/></output></layer>
        <layer id="1" name="a" type="Add" version="opset1"><input><port id="0"/><port id="1"/></input><output><port id="2" precision="FP32"/></output></layer>
        <layer id="2" name="b" type="Add" version="opset1"><input><port id="0"/><port id="1"/></input><output><port id="2" precision="FP32"/></output></layer>
        <layer id="3" name="r" type="Result" version="opset1"><input><port id="0"/></input></layer>
        </layers><edges>
        <edge from-layer="7" from-port="0" to-layer="1" to-port="0"/><edge from-layer="2" from-port="2" to-layer="1" to-port="1"/>
        <edge from-layer="7" from-port="0" to-layer="2" to-port="0"/><edge from-layer="1" from-port="2" to-layer="2" to-port="1"/>
        <edge from-layer="2" from-port="2" to-layer="3" to-port="0"/>
        </edges></net>
        """, contains: ["cycle", "'a'", "'b'"])
    }

    func testMalformedXMLAndWrongRoot() throws {
        assertReadError("<net version=\"11\"><layers></net>", contains: ["line 1"])
        assertReadError("<model version=\"11\"/>", contains: ["<net>"])
        assertReadError("<net version=\"12\"/>", contains: ["unsupported IR version '12'"])
    }

    func testModelRTInfoTree() throws {
        let graph = try read("""
        <net version="11"><layers/><edges/><rt_info>
        <info name="OpenVINO Runtime" value="2026"/><model_info><labels value="a b"/><info name="x y"><z value="1"/></info></model_info>
        </rt_info></net>
        """)
        XCTAssertEqual(graph.rtInfo, .map([
            RTInfoEntry(key: "OpenVINO Runtime", value: .value("2026")),
            RTInfoEntry(key: "model_info", value: .map([
                RTInfoEntry(key: "labels", value: .value("a b")),
                RTInfoEntry(key: "x y", value: .map([RTInfoEntry(key: "z", value: .value("1"))])),
            ])),
        ]))
    }
}

final class IRReaderOutputNamesTests: XCTestCase {
    func testResultOutputNamesNameTheValueItReads() throws {
        let folder = try makeTemporaryFolder()
        let url = folder.appendingPathComponent("ovc.xml")
        try Data("""
        <net version="11"><layers>
        <layer id="0" name="x" type="Parameter" version="opset1"><data shape="2" element_type="f32"/><output><port id="0" precision="FP32" names="x"/></output></layer>
        <layer id="1" name="y/sink_port_0" type="Result" version="opset1" output_names="out0,out\\,1"><input><port id="0"/></input></layer>
        </layers><edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/></edges></net>
        """.utf8).write(to: url)
        let g = try IRReader(registry: testRegistry).read(xmlURL: url)
        XCTAssertEqual(g.results[0].inputs[0].names, ["out,1", "out0", "x"])
    }
}
