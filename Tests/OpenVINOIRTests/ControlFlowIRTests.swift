import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

/// If and Loop in IR XML: OpenVINO's own files (testdata/controlflow, written by ov.save_model; regenerate with
/// Tools/make_controlflow_fixtures.py) read as OpenVINO reads them and written back in OpenVINO's layout, and
/// graphs built here surviving write -> read unchanged.
final class ControlFlowIRTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/controlflow")

    private func node<O: Op>(_ type: O.Type, in graph: Graph) throws -> (Node, O) {
        let node = try XCTUnwrap(graph.nodes.first { $0.op is O }, "no \(O.type) in the graph")
        return (node, node.op as! O)
    }

    // MARK: OpenVINO's files

    func testOpenVINOsIfIsReadWithItsPortMaps() throws {
        let graph = try IRReader().read(xmlURL: Self.fixtures.appendingPathComponent("openvino_if.xml"))
        try graph.verify()
        let (node, op) = try node(If.self, in: graph)
        // <then_port_map>: input port 1 -> then-body layer 0 (Parameter tx); output port 2 <- layer 3 (its Result).
        XCTAssertEqual(op.thenInputs, [.invariant(input: 1, parameter: 0)])
        XCTAssertEqual(op.elseInputs, [.invariant(input: 1, parameter: 0)])
        XCTAssertEqual(op.thenOutputs, [.last(result: 0, output: 0)])
        XCTAssertEqual(op.elseOutputs, [.last(result: 0, output: 0)])
        XCTAssertEqual(op.thenBody.nodes.map(\.op.typeName).sorted(), ["Const", "Multiply", "Parameter", "Result"])
        XCTAssertEqual(op.elseBody.nodes.map(\.op.typeName).sorted(), ["Concat", "Multiply", "Parameter", "Result"])
        // OpenVINO: [2..4,3] (then [2,3], else [4,3]).
        XCTAssertEqual(node.outputTypes, [TensorType(.f32, .ranked([Dim(lower: 2, upper: 4), .fixed(3)]))])
        XCTAssertEqual(node.tensorNames, [["y"]])
    }

    func testOpenVINOsLoopIsReadWithItsPortMapsBackEdgesAndSpecialPorts() throws {
        let graph = try IRReader().read(xmlURL: Self.fixtures.appendingPathComponent("openvino_loop.xml"))
        try graph.verify()
        let (node, op) = try node(Loop.self, in: graph)
        // Body Parameters acc (layer 0), i (layer 1); Results in document order: condition (8), acc (9), every (10).
        XCTAssertEqual(op.bodyInputs, [.merged(input: 2, parameter: 0, backEdgeFrom: 1)])
        XCTAssertEqual(op.bodyOutputs, [.last(result: 1, output: 0), .concatenated(result: 2, output: 1, axis: 0)])
        XCTAssertEqual(op.currentIterationInputIndex, 1)
        XCTAssertEqual(op.bodyConditionOutputIndex, 0)
        XCTAssertEqual(node.outputTypes, [TensorType(.f32, .fixed([1, 2])), TensorType(.f32, .ranked([.dynamic, .fixed(2)]))])
        let (_, inner) = try self.node(If.self, in: op.body)
        XCTAssertEqual(inner.thenBody.nodes.map(\.op.typeName).sorted(), ["Add", "Const", "Parameter", "Result"])
    }

    /// ovconvert's XML of OpenVINO's model has OpenVINO's layout: the same children of each If/Loop layer in the same
    /// order, and the same port map entries and back edges (body layers named, as the two files number them apart).
    func testWritingOpenVINOsModelsGivesOpenVINOsLayout() throws {
        let folder = try makeTemporaryFolder()
        for name in ["openvino_if", "openvino_loop"] {
            let source = Self.fixtures.appendingPathComponent("\(name).xml")
            let written = try writeIR(try IRReader().read(xmlURL: source), to: folder, name: name).xml
            XCTAssertEqual(try Self.layout(of: written), try Self.layout(of: source), name)
        }
        let loop = try Self.layout(of: Self.fixtures.appendingPathComponent("openvino_loop.xml"))
        XCTAssertEqual(loop.filter { $0.hasPrefix("Loop") }, [
            "Loop children: port_map back_edges input output body",
            "Loop port_map: input external_port_id=2 -> acc",
            "Loop port_map: output external_port_id=3 <- Result_44",
            "Loop port_map: output axis=0 external_port_id=4 start=0 end=-1 stride=1 part_size=1 <- Result_45",
            "Loop port_map: input external_port_id=-1 purpose=current_iteration -> i",
            "Loop port_map: output external_port_id=-1 purpose=execution_condition <- Result_43",
            "Loop back_edges: Result_44 -> acc",
        ])
    }

    /// Per If/Loop layer (nested ones too), its children's names and each port map entry and back edge, with body
    /// layer ids replaced by the layers' names.
    static func layout(of url: URL) throws -> [String] {
        let doc = try XMLDocument(path: url.path)
        var lines: [String] = []
        func visit(_ layers: XMLElement?) {
            for layer in layers?.children("layer") ?? [] {
                guard let type = layer.attribute("type"), type == "If" || type == "Loop" else { continue }
                lines.append("\(type) children: " + layer.children.map(\.name).filter { $0 != "data" && $0 != "rt_info" }.joined(separator: " "))
                for map in layer.children where map.name.hasSuffix("port_map") {
                    let bodyName = map.name == "port_map" ? "body" : map.name.replacingOccurrences(of: "port_map", with: "body")
                    let names = Dictionary((layer.child(bodyName)?.child("layers")?.children("layer") ?? []).map {
                        ($0.attribute("id") ?? "", $0.attribute("name") ?? "")
                    }, uniquingKeysWith: { a, _ in a })
                    for entry in map.children {
                        let attributes = entry.attributes.filter { $0.key != "internal_layer_id" }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                        let target = names[entry.attribute("internal_layer_id") ?? ""] ?? "?"
                        lines.append("\(type) \(map.name): \(entry.name) \(attributes) \(entry.name == "input" ? "->" : "<-") \(target)")
                    }
                    if bodyName == "body" {
                        for edge in layer.child("back_edges")?.children("edge") ?? [] {
                            lines.append("\(type) back_edges: \(names[edge.attribute("from-layer") ?? ""] ?? "?") -> \(names[edge.attribute("to-layer") ?? ""] ?? "?")")
                        }
                    }
                }
                for body in layer.children where body.name.hasSuffix("body") { visit(body.child("layers")) }
            }
        }
        visit(doc.root?.child("layers"))
        return lines
    }

    // MARK: Graphs built here

    /// x [2,3], c: If(c, x) with then = x * w (w a then-body Const), else = Relu(x); then Loop(3, true, If's output) whose
    /// body adds its current iteration (converted) to acc, with an If on acc's sum inside, back edge acc, outputs
    /// the last acc and every acc concatenated along axis 0.
    static func model() throws -> Graph {
        let thenBody = Graph()
        let tx = try thenBody.addParameter("tx", TensorType(.f32, .fixed([2, 3])))
        let mul = try thenBody.add(Multiply(), [tx.output(), thenBody.constant(.f32([1, 2, 3]), name: "w")], name: "mul")
        try thenBody.addResult(mul.output(), name: "then_r")
        let elseBody = Graph()
        let ex = try elseBody.addParameter("ex", TensorType(.f32, .fixed([2, 3])))
        try elseBody.addResult(try elseBody.add(Relu(), [ex.output()], name: "relu").output(), name: "else_r")
        let choose = If(then: thenBody, else: elseBody, thenInputs: [.invariant(input: 1, parameter: 0)],
                        elseInputs: [.invariant(input: 1, parameter: 0)])

        let body = Graph()
        let acc = try body.addParameter("acc", TensorType(.f32, .fixed([2, 3])))
        let i = try body.addParameter("i", TensorType(.i64, .scalar))
        let step = try body.add(Convert(.f32), [i.output()], name: "step")
        let next = try body.add(Add(), [acc.output(), step.output()], name: "next")
        let sum = try body.add(ReduceSum(keepDims: false), [next.output(), body.constant(.i64([0, 1]), name: "axes")], name: "sum")
        let big = try body.add(Greater(), [sum.output(), body.constant(.scalar(f32: 100), name: "hundred")], name: "big")
        let innerThen = Graph(), innerElse = Graph()
        let a = try innerThen.addParameter("a", TensorType(.f32, .fixed([2, 3])))
        try innerThen.addResult(try innerThen.add(Negative(), [a.output()], name: "neg").output(), name: "a_r")
        let b = try innerElse.addParameter("b", TensorType(.f32, .fixed([2, 3])))
        try innerElse.addResult(b.output(), name: "b_r")
        let inner = try body.add(If(then: innerThen, else: innerElse, thenInputs: [.invariant(input: 1, parameter: 0)],
                                    elseInputs: [.invariant(input: 1, parameter: 0)]), [big.output(), next.output()], name: "inner_if")
        try body.addResult(try body.constant(.boolean([true], dims: []), name: "yes"), name: "cond")
        try body.addResult(inner.output(), name: "acc_r")
        try body.addResult(inner.output(), name: "every_r")
        let loop = Loop(body: body, bodyInputs: [.merged(input: 2, parameter: 0, backEdgeFrom: 1)],
                        bodyOutputs: [.last(result: 1, output: 0), .concatenated(result: 2, output: 1, axis: 0)],
                        currentIterationInputIndex: 1, bodyConditionOutputIndex: 0)

        let g = Graph(name: "control_flow")
        let c = try g.addParameter("c", TensorType(.boolean, .scalar))
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2, 3])))
        let chosen = try g.add(choose, [c.output(), x.output()], name: "choose")
        g.addTensorNames(["chosen"], to: chosen.output())
        let looped = try g.add(loop, [g.constant(.scalar(i64: 3), name: "trip"), g.constant(.boolean([true], dims: []), name: "run"), chosen.output()],
                               name: "loop")
        looped.rtInfo = [RTAttribute(name: "fused_names", values: [("value", "loop")])]
        g.addTensorNames(["last"], to: looped.output(0))
        g.addTensorNames(["every"], to: looped.output(1))
        try g.addResult(looped.output(0), name: "last")
        try g.addResult(looped.output(1), name: "every")
        return g
    }

    func testWriteThenReadGivesAnEqualGraphAndWritingTwiceIdenticalBytes() throws {
        let folder = try makeTemporaryFolder()
        let original = try Self.model()
        try original.verify()
        let first = try writeIR(original, to: folder, name: "first")
        let read = try IRReader().read(xmlURL: first.xml)
        try read.verify()
        XCTAssertNil(read.firstDifference(from: original))
        let second = try writeIR(read, to: folder, name: "second")
        XCTAssertEqual(try bytes(of: first.xml), try bytes(of: second.xml))
        XCTAssertEqual(try bytes(of: first.bin), try bytes(of: second.bin))
        // Body Consts (w, axes, hundred, yes) share the model's BIN with trip and run: 6 Const layers; the two
        // `true` booleans (run, yes) share a blob. Bytes: trip 8 + run 1 + w 12 + axes 16 + hundred 4 = 41.
        XCTAssertEqual(first.summary.constants, 6)
        XCTAssertEqual(first.summary.deduplicatedConstants, 1)
        XCTAssertEqual(first.summary.binBytes, 41)
        // The Loop's outputs: [2,3] and 3 iterations of [2,3] along axis 0 = [6,3].
        XCTAssertEqual(read.results.map { $0.inputs[0].type }, [TensorType(.f32, .fixed([2, 3])), TensorType(.f32, .fixed([6, 3]))])
    }

    func testTheXMLHasOpenVINOsPortMapsForAGraphBuiltHere() throws {
        let folder = try makeTemporaryFolder()
        let xml = try text(of: try writeIR(try Self.model(), to: folder).xml)
        // Layer ids: the Parameters c 0 and x 1, then each node after its inputs from the first Result back: trip 2,
        // run 3, choose 4, loop 5. Inside the If's bodies tx/ex are layer 0; the then Result is layer 3 (after w 1 and
        // mul 2), the else Result layer 2 (after relu 1).
        for line in [
            #"<layer id="4" name="choose" type="If" version="opset8">"#,
            "<else_port_map>\n\t\t\t\t<input external_port_id=\"1\" internal_layer_id=\"0\"/>\n\t\t\t\t<output external_port_id=\"2\" internal_layer_id=\"2\"/>\n\t\t\t</else_port_map>",
            "<then_port_map>\n\t\t\t\t<input external_port_id=\"1\" internal_layer_id=\"0\"/>\n\t\t\t\t<output external_port_id=\"2\" internal_layer_id=\"3\"/>\n\t\t\t</then_port_map>",
            #"<layer id="5" name="loop" type="Loop" version="opset5">"#,
            // Body: acc 0, i 1, yes 2, cond Result 3, step 4, next 5, axes 6, sum 7, hundred 8, big 9, inner_if 10,
            // acc_r 11, every_r 12.
            #"<input external_port_id="2" internal_layer_id="0"/>"#,
            #"<output external_port_id="3" internal_layer_id="11"/>"#,
            #"<output axis="0" external_port_id="4" internal_layer_id="12" start="0" end="-1" stride="1" part_size="1"/>"#,
            #"<input external_port_id="-1" internal_layer_id="1" purpose="current_iteration"/>"#,
            #"<output external_port_id="-1" internal_layer_id="3" purpose="execution_condition"/>"#,
            "<back_edges>\n\t\t\t\t<edge from-layer=\"11\" to-layer=\"0\"/>\n\t\t\t</back_edges>",
        ] {
            XCTAssertTrue(xml.contains(line), "missing: \(line)")
        }
        XCTAssertEqual(xml.components(separatedBy: "<then_body>").count - 1, 2, "the model's If and the one in the Loop's body")
        XCTAssertFalse(xml.contains("<data/>"), "If and Loop have no <data>")
    }

    func testAMalformedPortMapNamesTheLayerAndTheBody() throws {
        let folder = try makeTemporaryFolder()
        let out = try writeIR(try Self.model(), to: folder)
        let xml = try text(of: out.xml).replacingOccurrences(of: #"<output external_port_id="3" internal_layer_id="11"/>"#,
                                                             with: #"<output external_port_id="3" internal_layer_id="99"/>"#)
        try Data(xml.utf8).write(to: out.xml)
        XCTAssertThrowsError(try IRReader().read(xmlURL: out.xml)) { error in
            XCTAssertTrue("\(error)".hasSuffix("layer 5 'loop': port_map: <output> (line \(Self.line(of: "internal_layer_id=\"99\"", in: xml))) names layer 99, which is no Result of the body"), "\(error)")
        }
    }

    private static func line(of needle: String, in text: String) -> Int {
        text.components(separatedBy: "\n").firstIndex { $0.contains(needle) }! + 1
    }
}
