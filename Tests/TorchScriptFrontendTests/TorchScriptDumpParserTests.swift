import Foundation
import XCTest
@testable import TorchScriptFrontend

private let path = "model.ts.txt"
private let anyTensor = TSType.tensor(TSTensorType(scalarType: nil, sizes: nil))
private let int = TSType.named("int")

private func tensor(_ scalarType: String?, _ sizes: [Int?]?) -> TSType {
    .tensor(TSTensorType(scalarType: scalarType, sizes: sizes))
}

private func decl(_ name: String, _ type: TSType, _ line: Int, _ column: Int) -> TSValueDecl {
    TSValueDecl(name: name, type: type, line: line, column: column)
}

/// A one-output node at the top level (indent 2, so the output's `%` is in column 3).
private func node(_ line: Int, _ name: String, _ type: TSType, _ kind: String, _ attributes: [(name: String, value: TSAttributeValue)] = [],
                  _ inputs: [String] = [], scope: String? = nil, source: String? = nil) -> TSNode {
    TSNode(outputs: [decl(name, type, line, 3)], kind: kind, attributes: attributes, inputs: inputs, scope: scope, source: source, line: line)
}

private func constant(_ line: Int, _ name: String, _ type: TSType, _ value: TSAttributeValue) -> TSNode {
    node(line, name, type, "prim::Constant", [("value", value)])
}

final class TorchScriptDumpParserTests: XCTestCase {
    // MARK: - Helpers

    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TSBlock? {
        do {
            return try TorchScriptDumpParser.parse(text, path: path)
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    /// Compares piece by piece, so a failure names the node instead of printing two whole graphs.
    private func assertBlock(_ actual: TSBlock, _ expected: TSBlock, _ where_: String = "graph",
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.line, expected.line, "\(where_) line", file: file, line: line)
        XCTAssertEqual(actual.parameters, expected.parameters, "\(where_) parameters", file: file, line: line)
        XCTAssertEqual(actual.returns, expected.returns, "\(where_) returns", file: file, line: line)
        XCTAssertEqual(actual.nodes.count, expected.nodes.count, "\(where_) node count", file: file, line: line)
        for (i, (a, e)) in zip(actual.nodes, expected.nodes).enumerated() {
            let at = "\(where_) node \(i) (line \(e.line))"
            XCTAssertEqual(a.outputs, e.outputs, "\(at) outputs", file: file, line: line)
            XCTAssertEqual(a.kind, e.kind, "\(at) kind", file: file, line: line)
            XCTAssertEqual(a.attributes.map(\.name), e.attributes.map(\.name), "\(at) attribute names", file: file, line: line)
            XCTAssertEqual(a.attributes.map(\.value), e.attributes.map(\.value), "\(at) attribute values", file: file, line: line)
            XCTAssertEqual(a.inputs, e.inputs, "\(at) inputs", file: file, line: line)
            XCTAssertEqual(a.scope, e.scope, "\(at) scope", file: file, line: line)
            XCTAssertEqual(a.source, e.source, "\(at) source", file: file, line: line)
            XCTAssertEqual(a.line, e.line, "\(at) line", file: file, line: line)
            XCTAssertEqual(a.blocks.count, e.blocks.count, "\(at) block count", file: file, line: line)
            for (j, (ab, eb)) in zip(a.blocks, e.blocks).enumerated() {
                assertBlock(ab, eb, "\(at) block\(j)", file: file, line: line)
            }
        }
        XCTAssertEqual(actual, expected, "\(where_) as a whole", file: file, line: line)
    }

    /// The type of `%a` in `graph(%a : TEXT):`.
    private func parseType(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TSType? {
        parse("graph(%a : \(text)):\n  return (%a)\n", file: file, line: line)?.parameters.first?.type
    }

    /// The `value` attribute of `prim::Constant[value=TEXT]()`.
    private func parseValue(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TSAttributeValue? {
        let graph = parse("graph():\n  %c : Tensor = prim::Constant[value=\(text)]()\n  return (%c)\n", file: file, line: line)
        XCTAssertEqual(graph?.nodes.first?.attributes.map(\.name), ["value"], file: file, line: line)
        return graph?.nodes.first?.attributes.first?.value
    }

    private func syntaxError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TorchScriptFrontendError? {
        do {
            _ = try TorchScriptDumpParser.parse(text, path: path)
            XCTFail("parsed without error", file: file, line: line)
        } catch let e as TorchScriptFrontendError {
            XCTAssertEqual(e.kind, .syntax, file: file, line: line)
            return e
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    /// The error is at `atLine`:`column`, says `phrase`, and shows that line with a caret under the column.
    private func assertError(_ text: String, line atLine: Int, column: Int, _ phrase: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        guard let e = syntaxError(text, file: file, line: line) else { return }
        let lines = e.message.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 3, e.message, file: file, line: line)
        XCTAssertTrue(lines[0].hasPrefix("\(path):\(atLine):\(column): "), e.message, file: file, line: line)
        XCTAssertTrue(lines[0].contains(phrase), "'\(lines[0])' lacks '\(phrase)'", file: file, line: line)
        let sourceLines = text.components(separatedBy: "\n")
        guard lines.count == 3, atLine <= sourceLines.count else { return }
        let sourceLine = Array(sourceLines[atLine - 1])
        if sourceLine.count <= 160 {
            XCTAssertEqual(lines[1], "  " + String(sourceLine), file: file, line: line)
            XCTAssertEqual(lines[2], "  " + String(repeating: " ", count: column - 1) + "^", file: file, line: line)
        } else {
            // A long line is shown as a window around the column: the caret still sits under the same character.
            XCTAssertTrue(lines[1].hasPrefix("  ..."), lines[1], file: file, line: line)
            let caret = lines[2].count - 1
            XCTAssertEqual(Array(lines[1])[caret], sourceLine[column - 1], file: file, line: line)
        }
    }

    // MARK: - Whole dumps

    func testFrozenResNetExcerpt() {
        let text = """
            graph(%self : __torch__.torchvision.models.resnet.ResNet,
                  %x.1 : Tensor):
              %self.fc.bias : Float(1000, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
              %self.conv1.weight_fused_bn : Float(64, 3, 7, 7, strides=[147, 49, 7, 1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
              %self.conv1.bias_fused_bn : Float(64, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
              %31_fused_bn.3 : Float(64, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
              %555 : int[] = prim::Constant[value=[1, 1]]()
              %557 : int[] = prim::Constant[value=[2, 2]]()
              %558 : int[] = prim::Constant[value=[3, 3]]()
              %556 : int[] = prim::Constant[value=[0, 0]]()
              %12 : bool = prim::Constant[value=0]()
              %13 : int = prim::Constant[value=1]()
              %14 : bool = prim::Constant[value=1]()
              %input.4 : Float(1, 64, 112, 112, strides=[802816, 12544, 112, 1], requires_grad=0, device=cpu) = aten::_convolution(%x.1, %self.conv1.weight_fused_bn, %self.conv1.bias_fused_bn, %557, %558, %555, %12, %556, %13, %12, %12, %14, %14), scope: __module.conv1 # /usr/lib/python3.12/site-packages/torch/nn/modules/conv.py:459:0
              %input.7 : Float(1, 64, 112, 112, strides=[802816, 12544, 112, 1], requires_grad=0, device=cpu) = aten::relu_(%input.4), scope: __module.relu # /usr/lib/python3.12/site-packages/torch/nn/functional.py:1500:0
              %x.5 : Float(1, 64, 56, 56, strides=[200704, 3136, 56, 1], requires_grad=0, device=cpu) = aten::max_pool2d(%input.7, %558, %557, %555, %555, %12), scope: __module.maxpool # /usr/lib/python3.12/site-packages/torch/nn/functional.py:796:0
              %out.1 : Float(1, 64, 56, 56, strides=[200704, 3136, 56, 1], requires_grad=0, device=cpu) = aten::add_(%x.5, %31_fused_bn.3, %13), scope: __module.layer1/__module.layer1.0 # /home/user/vision/torchvision/models/resnet.py:102:0
              %20 : Float(1, 64, 1, 1, strides=[64, 1, 1, 1], requires_grad=0, device=cpu) = aten::adaptive_avg_pool2d(%out.1, %555), scope: __module.avgpool # /usr/lib/python3.12/site-packages/torch/nn/functional.py:1260:0
              return (%20)

            """
        let site = "/usr/lib/python3.12/site-packages/torch/nn/"
        let expected = TSBlock(
            parameters: [
                decl("self", .classType("__torch__.torchvision.models.resnet.ResNet"), 1, 7),
                decl("x.1", anyTensor, 2, 7),
            ],
            nodes: [
                constant(3, "self.fc.bias", tensor("Float", [1000]), .tensor(text: "<Tensor>")),
                constant(4, "self.conv1.weight_fused_bn", tensor("Float", [64, 3, 7, 7]), .tensor(text: "<Tensor>")),
                constant(5, "self.conv1.bias_fused_bn", tensor("Float", [64]), .tensor(text: "<Tensor>")),
                constant(6, "31_fused_bn.3", tensor("Float", [64]), .tensor(text: "<Tensor>")),
                constant(7, "555", .list(int), .list([.int(1), .int(1)])),
                constant(8, "557", .list(int), .list([.int(2), .int(2)])),
                constant(9, "558", .list(int), .list([.int(3), .int(3)])),
                constant(10, "556", .list(int), .list([.int(0), .int(0)])),
                constant(11, "12", .named("bool"), .int(0)),
                constant(12, "13", int, .int(1)),
                constant(13, "14", .named("bool"), .int(1)),
                node(14, "input.4", tensor("Float", [1, 64, 112, 112]), "aten::_convolution", [],
                     ["x.1", "self.conv1.weight_fused_bn", "self.conv1.bias_fused_bn", "557", "558", "555", "12", "556", "13", "12", "12", "14", "14"],
                     scope: "__module.conv1", source: site + "modules/conv.py:459:0"),
                node(15, "input.7", tensor("Float", [1, 64, 112, 112]), "aten::relu_", [], ["input.4"],
                     scope: "__module.relu", source: site + "functional.py:1500:0"),
                node(16, "x.5", tensor("Float", [1, 64, 56, 56]), "aten::max_pool2d", [], ["input.7", "558", "557", "555", "555", "12"],
                     scope: "__module.maxpool", source: site + "functional.py:796:0"),
                node(17, "out.1", tensor("Float", [1, 64, 56, 56]), "aten::add_", [], ["x.5", "31_fused_bn.3", "13"],
                     scope: "__module.layer1/__module.layer1.0", source: "/home/user/vision/torchvision/models/resnet.py:102:0"),
                node(18, "20", tensor("Float", [1, 64, 1, 1]), "aten::adaptive_avg_pool2d", [], ["out.1", "555"],
                     scope: "__module.avgpool", source: site + "functional.py:1260:0"),
            ],
            returns: ["20"],
            line: 1)
        guard let graph = parse(text) else { return }
        assertBlock(graph, expected)
        XCTAssertEqual(graph.nodes[14].modulePath, "layer1.0")
    }

    func testInlinedGraphWithModuleInputAndGetAttrChains() {
        let text = """
            graph(%self.1 : __torch__.torchvision.models.resnet.ResNet,
                  %x : Float(1, 3, 224, 224, strides=[150528, 50176, 224, 1], requires_grad=0, device=cpu)):
              %conv1 : __torch__.torch.nn.modules.conv.Conv2d = prim::GetAttr[name="conv1"](%self.1)
              %layer1 : __torch__.torch.nn.modules.container.___torch_mangle_59.Sequential = prim::GetAttr[name="layer1"](%self.1)
              %_0 : __torch__.torchvision.models.resnet.BasicBlock = prim::GetAttr[name="0"](%layer1)
              %weight.5 : Tensor = prim::GetAttr[name="weight"](%conv1)
              %bias = prim::GetAttr[name="bias"](%conv1)
              %4 : NoneType = prim::Constant(), scope: __module.conv1
              %5 : int = prim::Constant[value=2](), scope: __module.conv1 # /usr/lib/python3.12/site-packages/torch/nn/modules/conv.py:454:0
              %6 : int[] = prim::ListConstruct(%5, %5), scope: __module.conv1
              %input.3 : Float(1, 64, 112, 112, strides=[802816, 12544, 112, 1], requires_grad=1, device=cpu) = aten::_convolution(%x, %weight.5, %4, %6, %6, %6, %7, %6, %8, %7, %7, %9, %9), scope: __module.conv1 # .../torch/nn/modules/conv.py:459:0
              %25 : int = aten::size(%input.3, %8), scope: __module.layer1/__module.layer1.0 # <string>:471:0
              %26 : Long(device=cpu) = prim::NumToTensor(%25), scope: __module.layer1/__module.layer1.0
              %27 : Scalar = aten::ScalarImplicit(%26) # :0:0
              %a.1 : Tensor, %b.1 : Tensor = prim::ListUnpack(%l)
              %28 : (Tensor, Tensor) = prim::TupleConstruct(%input.3, %input.3)
              return (%28)
            """
        let module = "__module.layer1/__module.layer1.0"
        let expected = TSBlock(
            parameters: [
                decl("self.1", .classType("__torch__.torchvision.models.resnet.ResNet"), 1, 7),
                decl("x", tensor("Float", [1, 3, 224, 224]), 2, 7),
            ],
            nodes: [
                node(3, "conv1", .classType("__torch__.torch.nn.modules.conv.Conv2d"), "prim::GetAttr", [("name", .string("conv1"))], ["self.1"]),
                node(4, "layer1", .classType("__torch__.torch.nn.modules.container.___torch_mangle_59.Sequential"), "prim::GetAttr",
                     [("name", .string("layer1"))], ["self.1"]),
                node(5, "_0", .classType("__torch__.torchvision.models.resnet.BasicBlock"), "prim::GetAttr", [("name", .string("0"))], ["layer1"]),
                node(6, "weight.5", anyTensor, "prim::GetAttr", [("name", .string("weight"))], ["conv1"]),
                node(7, "bias", anyTensor, "prim::GetAttr", [("name", .string("bias"))], ["conv1"]),
                node(8, "4", .named("NoneType"), "prim::Constant", scope: "__module.conv1"),
                node(9, "5", int, "prim::Constant", [("value", .int(2))], scope: "__module.conv1",
                     source: "/usr/lib/python3.12/site-packages/torch/nn/modules/conv.py:454:0"),
                node(10, "6", .list(int), "prim::ListConstruct", [], ["5", "5"], scope: "__module.conv1"),
                node(11, "input.3", tensor("Float", [1, 64, 112, 112]), "aten::_convolution", [],
                     ["x", "weight.5", "4", "6", "6", "6", "7", "6", "8", "7", "7", "9", "9"],
                     scope: "__module.conv1", source: ".../torch/nn/modules/conv.py:459:0"),
                node(12, "25", int, "aten::size", [], ["input.3", "8"], scope: module, source: "<string>:471:0"),
                node(13, "26", tensor("Long", []), "prim::NumToTensor", [], ["25"], scope: module),
                node(14, "27", .named("Scalar"), "aten::ScalarImplicit", [], ["26"], source: ":0:0"),
                TSNode(outputs: [decl("a.1", anyTensor, 15, 3), decl("b.1", anyTensor, 15, 18)], kind: "prim::ListUnpack", attributes: [],
                       inputs: ["l"], line: 15),
                node(16, "28", .tuple([anyTensor, anyTensor], names: nil), "prim::TupleConstruct", [], ["input.3", "input.3"]),
            ],
            returns: ["28"],
            line: 1)
        guard let graph = parse(text) else { return }
        assertBlock(graph, expected)
    }

    func testIfAndLoopBlocksNestAndAttachToTheNodeBeforeThem() {
        let text = """
            graph(%x.1 : Tensor,
                  %n.1 : int):
              %2 : bool = prim::Constant[value=1]()
              %3 : int = prim::Constant[value=0]()
              %c.1 : bool = aten::gt(%n.1, %3) # rnn.py:5:7
              %y : Tensor = prim::If(%c.1) # rnn.py:5:4
                block0():
                  %r.1 : Tensor = aten::relu(%x.1) # rnn.py:6:12
                  -> (%r.1)
                block1():
                  -> (%x.1)
              %h : Tensor = prim::Loop(%n.1, %2, %y) # rnn.py:8:4
                block0(%i.1 : int, %h.3 : Tensor):
                  %s.1 : Tensor = aten::sigmoid(%h.3) # rnn.py:9:12
                   = prim::If(%2) # rnn.py:10:8
                    block0():
                      -> ()
                    block1():
                      -> ()
                  -> (%2, %s.1)
              return (%h)

            """
        let innerIf = TSNode(outputs: [], kind: "prim::If", attributes: [], inputs: ["2"],
                             blocks: [TSBlock(parameters: [], nodes: [], returns: [], line: 16),
                                      TSBlock(parameters: [], nodes: [], returns: [], line: 18)],
                             source: "rnn.py:10:8", line: 15)
        let expected = TSBlock(
            parameters: [decl("x.1", anyTensor, 1, 7), decl("n.1", int, 2, 7)],
            nodes: [
                constant(3, "2", .named("bool"), .int(1)),
                constant(4, "3", int, .int(0)),
                node(5, "c.1", .named("bool"), "aten::gt", [], ["n.1", "3"], source: "rnn.py:5:7"),
                TSNode(outputs: [decl("y", anyTensor, 6, 3)], kind: "prim::If", attributes: [], inputs: ["c.1"],
                       blocks: [
                        TSBlock(parameters: [],
                                nodes: [TSNode(outputs: [decl("r.1", anyTensor, 8, 7)], kind: "aten::relu", attributes: [], inputs: ["x.1"],
                                               source: "rnn.py:6:12", line: 8)],
                                returns: ["r.1"], line: 7),
                        TSBlock(parameters: [], nodes: [], returns: ["x.1"], line: 10),
                       ],
                       source: "rnn.py:5:4", line: 6),
                TSNode(outputs: [decl("h", anyTensor, 12, 3)], kind: "prim::Loop", attributes: [], inputs: ["n.1", "2", "y"],
                       blocks: [
                        TSBlock(parameters: [decl("i.1", int, 13, 12), decl("h.3", anyTensor, 13, 24)],
                                nodes: [
                                    TSNode(outputs: [decl("s.1", anyTensor, 14, 7)], kind: "aten::sigmoid", attributes: [], inputs: ["h.3"],
                                           source: "rnn.py:9:12", line: 14),
                                    innerIf,
                                ],
                                returns: ["2", "s.1"], line: 13),
                       ],
                       source: "rnn.py:8:4", line: 12),
            ],
            returns: ["h"],
            line: 1)
        guard let graph = parse(text) else { return }
        assertBlock(graph, expected)
    }

    func testBlocksDoNotDependOnIndentation() {
        let text = """
            graph(%c : bool):
            %y : int = prim::If(%c)
            block0():
            %a : int = prim::Constant[value=1]()
            -> (%a)
            block1():
            %b : int = prim::Constant[value=2]()
            -> (%b)
            return (%y)
            """
        guard let graph = parse(text) else { return }
        XCTAssertEqual(graph.nodes.count, 1)
        XCTAssertEqual(graph.nodes.first?.blocks.map(\.returns), [["a"], ["b"]])
        XCTAssertEqual(graph.nodes.first?.blocks.map(\.line), [3, 6])
    }

    func testEmptyGraphAndEmptyReturn() {
        guard let graph = parse("graph():\n  return ()\n") else { return }
        assertBlock(graph, TSBlock(parameters: [], nodes: [], returns: [], line: 1))
    }

    func testBlankLinesLeadingLinesAndCRLF() {
        let text = "\n\ngraph(%a : Tensor,\r\n      %b : int):\r\n\r\n  %c : Tensor = aten::mul(%a, %b) # m.py:1:0\r\n  return (%c)\r\n\r\n"
        let expected = TSBlock(
            parameters: [decl("a", anyTensor, 3, 7), decl("b", int, 4, 7)],
            nodes: [node(6, "c", anyTensor, "aten::mul", [], ["a", "b"], source: "m.py:1:0")],
            returns: ["c"],
            line: 3)
        guard let graph = parse(text) else { return }
        assertBlock(graph, expected)
    }

    func testZeroOutputNodes() {
        let text = """
            graph(%self.1 : __torch__.M,
                  %v : int):
               = prim::SetAttr[name="count"](%self.1, %v)
              %3 : NoneType = prim::Constant()
              return (%3)
            """
        let expected = TSBlock(
            parameters: [decl("self.1", .classType("__torch__.M"), 1, 7), decl("v", int, 2, 7)],
            nodes: [
                TSNode(outputs: [], kind: "prim::SetAttr", attributes: [("name", .string("count"))], inputs: ["self.1", "v"], line: 3),
                node(4, "3", .named("NoneType"), "prim::Constant"),
            ],
            returns: ["3"],
            line: 1)
        guard let graph = parse(text) else { return }
        assertBlock(graph, expected)
    }

    func testValueNamesStopBeforeATrailingDot() {
        let text = "graph(%x.1 : Tensor):\n  %y.2 : Tensor = aten::relu(%x.1)\n  return (%y.2)\n"
        guard let graph = parse(text) else { return }
        XCTAssertEqual(graph.returns, ["y.2"])
        // `%a.` is the name `a` followed by a stray `.`.
        assertError("graph(%a. : Tensor):\n  return (%a)\n", line: 1, column: 9, "expected ',' or ')', found '.'")
    }

    /// torch prints whatever debug name a value was given: onnx2torch registers modules under ONNX node names.
    func testValueNamesMayHoldSlashesAndColons() {
        let text = """
        graph(%x : Tensor):
          %self.model/22/dfl/conv/Conv.weight : Float(1, 16, 1, 1) = prim::Constant[value=<Tensor>]()
          %onnx::Mul_5 : Tensor = aten::mul(%x, %self.model/22/dfl/conv/Conv.weight)
          return (%onnx::Mul_5)

        """
        guard let graph = parse(text) else { return }
        XCTAssertEqual(graph.nodes.map { $0.outputs[0].name }, ["self.model/22/dfl/conv/Conv.weight", "onnx::Mul_5"])
        XCTAssertEqual(graph.nodes[1].inputs, ["x", "self.model/22/dfl/conv/Conv.weight"])
        XCTAssertEqual(graph.returns, ["onnx::Mul_5"])
    }

    func testScopeAndSourceAreSplitOnlyAfterTheInputs() {
        let text = #"""
            graph():
              %s : str = prim::Constant[value="a # b, scope: c"](), scope: __module.head # /m.py:3:0
              %t : str = prim::Constant[value="x"]() # file with spaces.py:1:0
              return (%s, %t)
            """#
        guard let graph = parse(text) else { return }
        XCTAssertEqual(graph.nodes[0].attribute("value"), .string("a # b, scope: c"))
        XCTAssertEqual(graph.nodes[0].scope, "__module.head")
        XCTAssertEqual(graph.nodes[0].source, "/m.py:3:0")
        XCTAssertNil(graph.nodes[1].scope)
        XCTAssertEqual(graph.nodes[1].source, "file with spaces.py:1:0")
    }

    // MARK: - Types (facts §2)

    func testTensorTypes() {
        XCTAssertEqual(parseType("Float(1, 3, 224, 224, strides=[150528, 50176, 224, 1], requires_grad=0, device=cpu)"),
                       tensor("Float", [1, 3, 224, 224]))
        XCTAssertEqual(parseType("Half(2, 3, strides=[1, 2], requires_grad=1, device=cuda:0)"), tensor("Half", [2, 3]))
        XCTAssertEqual(parseType("Long(requires_grad=0, device=cpu)"), tensor("Long", []))
        XCTAssertEqual(parseType("Long(device=cpu)"), tensor("Long", []))
        XCTAssertEqual(parseType("Float(1, 3)"), tensor("Float", [1, 3]))
        XCTAssertEqual(parseType("Tensor"), anyTensor)
        XCTAssertEqual(parseType("Float"), tensor("Float", nil))
        XCTAssertEqual(parseType("Tensor(SS(-25), 32, *)"), tensor(nil, [nil, 32, nil]))
        XCTAssertEqual(parseType("Tensor(SS(-25), 32, SS(-29), SS(-30))"), tensor(nil, [nil, 32, nil, nil]))
        XCTAssertEqual(parseType("Float(*, *, requires_grad=0, device=cpu)"), tensor("Float", [nil, nil]))
        XCTAssertEqual(parseType("Bool(0, strides=[1], requires_grad=0, device=cpu)"), tensor("Bool", [0]))
        XCTAssertEqual(parseType("BFloat16(8, strides=[1], requires_grad=0, device=cpu)"), tensor("BFloat16", [8]))
        XCTAssertEqual(parseType("Float8_e4m3fn(4, strides=[1], requires_grad=0, device=cpu)"), tensor("Float8_e4m3fn", [4]))
    }

    func testScalarAndNamedTypes() {
        for name in ["int", "float", "bool", "str", "NoneType", "Device", "Scalar", "Layout", "ScalarType", "MemoryFormat", "Generator"] {
            XCTAssertEqual(parseType(name), .named(name), name)
        }
    }

    func testContainerTypes() {
        XCTAssertEqual(parseType("int[]"), .list(int))
        XCTAssertEqual(parseType("float[]"), .list(.named("float")))
        XCTAssertEqual(parseType("Tensor[]"), .list(anyTensor))
        XCTAssertEqual(parseType("Tensor?[]"), .list(.optional(anyTensor)))
        XCTAssertEqual(parseType("int[]?"), .optional(.list(int)))
        XCTAssertEqual(parseType("Tensor?"), .optional(anyTensor))
        XCTAssertEqual(parseType("(Tensor, Tensor)"), .tuple([anyTensor, anyTensor], names: nil))
        XCTAssertEqual(parseType("(int,)"), .tuple([int], names: nil))
        XCTAssertEqual(parseType("(int)"), .tuple([int], names: nil))
        XCTAssertEqual(parseType("()"), .tuple([], names: nil))
        XCTAssertEqual(parseType("(int, (float, Tensor[]))"),
                       .tuple([int, .tuple([.named("float"), .list(anyTensor)], names: nil)], names: nil))
        XCTAssertEqual(parseType("NamedTuple(a : Tensor, b : int)"), .tuple([anyTensor, int], names: ["a", "b"]))
        XCTAssertEqual(parseType("Dict(str, Tensor)"), .dict(.named("str"), anyTensor))
        XCTAssertEqual(parseType("Dict(str, Tensor)[]"), .list(.dict(.named("str"), anyTensor)))
        XCTAssertEqual(parseType("Future[Tensor]"), .generic("Future", [anyTensor]))
        XCTAssertEqual(parseType("Union(int, float)"), .generic("Union", [int, .named("float")]))
        XCTAssertEqual(parseType("(Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu), int)"),
                       .tuple([tensor("Float", [2, 3]), int], names: nil))
    }

    func testClassTypes() {
        XCTAssertEqual(parseType("__torch__.a.b.___torch_mangle_59.Sequential"), .classType("__torch__.a.b.___torch_mangle_59.Sequential"))
        XCTAssertEqual(parseType("__torch__.torch.classes.quantized.Conv2dPackedParamsBase"),
                       .classType("__torch__.torch.classes.quantized.Conv2dPackedParamsBase"))
    }

    // MARK: - Attributes (facts §3)

    func testIntegerAndFloatLexemes() {
        XCTAssertEqual(parseValue("-1"), .int(-1))
        XCTAssertEqual(parseValue("0"), .int(0))
        XCTAssertEqual(parseValue("9223372036854775807"), .int(Int.max))
        XCTAssertEqual(parseValue("-9223372036854775808"), .int(Int.min))
        XCTAssertEqual(parseValue("9223372036854775808"), .float(9_223_372_036_854_775_808.0))
        XCTAssertEqual(parseValue("10000000000"), .int(10_000_000_000))
        XCTAssertEqual(parseValue("2."), .float(2.0))
        XCTAssertEqual(parseValue("1.0000000000000001e-05"), .float(1.0000000000000001e-05))
        XCTAssertEqual(parseValue("0.10000000000000001"), .float(0.1))
        XCTAssertEqual(parseValue("1e+10"), .float(1e10))
        XCTAssertEqual(parseValue("1.5E-3"), .float(0.0015))
        XCTAssertEqual(parseValue("inf"), .float(.infinity))
        XCTAssertEqual(parseValue("-inf"), .float(-.infinity))
    }

    func testNegativeZeroAndNaN() {
        guard case .float(let negativeZero)? = parseValue("-0.") else { return XCTFail("-0. is not a float") }
        XCTAssertEqual(negativeZero, 0)
        XCTAssertEqual(negativeZero.sign, .minus)
        guard case .float(let notANumber)? = parseValue("nan") else { return XCTFail("nan is not a float") }
        XCTAssertTrue(notANumber.isNaN)
    }

    func testStrings() {
        XCTAssertEqual(parseValue(#""ij""#), .string("ij"))
        XCTAssertEqual(parseValue(#""""#), .string(""))
        XCTAssertEqual(parseValue(#""a\"b\\c\n\t\x41""#), .string("a\"b\\c\n\tA"))
        XCTAssertEqual(parseValue(#""\303\251t\303\251""#), .string("été"))
        XCTAssertEqual(parseValue(#""], (x) # y""#), .string("], (x) # y"))
    }

    func testBoolsListsTuplesAndAnnotate() {
        XCTAssertEqual(parseValue("True"), .bool(true))
        XCTAssertEqual(parseValue("False"), .bool(false))
        XCTAssertEqual(parseValue("[1, 1]"), .list([.int(1), .int(1)]))
        XCTAssertEqual(parseValue("[2., 2.]"), .list([.float(2), .float(2)]))
        XCTAssertEqual(parseValue("[True, False]"), .list([.bool(true), .bool(false)]))
        XCTAssertEqual(parseValue("[]"), .list([]))
        XCTAssertEqual(parseValue(#"["a", "b"]"#), .list([.string("a"), .string("b")]))
        XCTAssertEqual(parseValue("[[1, 2], [3]]"), .list([.list([.int(1), .int(2)]), .list([.int(3)])]))
        XCTAssertEqual(parseValue("(1, 2)"), .tuple([.int(1), .int(2)]))
        XCTAssertEqual(parseValue("(1,)"), .tuple([.int(1)]))
        XCTAssertEqual(parseValue("()"), .tuple([]))
        XCTAssertEqual(parseValue(#"(1, "a", [2.5])"#), .tuple([.int(1), .string("a"), .list([.float(2.5)])]))
        XCTAssertEqual(parseValue("annotate(List[int], [])"), .annotated(type: "List[int]", .list([])))
        XCTAssertEqual(parseValue("annotate(Dict[str, Tensor], [])"), .annotated(type: "Dict[str, Tensor]", .list([])))
    }

    func testTensorValues() {
        XCTAssertEqual(parseValue("<Tensor>"), .tensor(text: "<Tensor>"))
        XCTAssertEqual(parseValue("{0.5}"), .tensor(text: "{0.5}"))
        XCTAssertEqual(parseValue("{2}"), .tensor(text: "{2}"))
        XCTAssertEqual(parseValue("{-0.109641}"), .tensor(text: "{-0.109641}"))
        XCTAssertEqual(parseValue(" 0.3834  0.7570  0.8494  0.7691  0.4170 [ CPUFloatType{5} ]"),
                       .tensor(text: " 0.3834  0.7570  0.8494  0.7691  0.4170 [ CPUFloatType{5} ]"))
        XCTAssertEqual(parseValue("0.01 *  6.7810  6.4636 [ CUDAHalfType{2} ]"), .tensor(text: "0.01 *  6.7810  6.4636 [ CUDAHalfType{2} ]"))
        // As a frozen torch 2.x dump prints a 10-element bias: negative values follow a single space.
        let bias = " 0.0969 -0.1386 -0.0541  0.1463  0.0670 -0.0692  0.0087  0.0502 -0.1387 -0.0237 [ CPUFloatType{10} ]"
        XCTAssertEqual(parseValue(bias), .tensor(text: bias))
        XCTAssertEqual(parseValue(" 1  2  3  4 [ CPULongType{2,2} ]"), .tensor(text: " 1  2  3  4 [ CPULongType{2,2} ]"))
        XCTAssertEqual(parseValue("-1.5000  inf  nan [ CPUFloatType{3} ]"), .tensor(text: "-1.5000  inf  nan [ CPUFloatType{3} ]"))
        XCTAssertEqual(parseValue("[ CPUFloatType{0} ]"), .tensor(text: "[ CPUFloatType{0} ]"))
        let cube = "(1,.,.) =   0.1000  0.2000   0.3000  0.4000  (2,.,.) =   0.5000  0.6000   0.7000  0.8000 [ CPUFloatType{2,2,2} ]"
        XCTAssertEqual(parseValue(cube), .tensor(text: cube))
        let wide = " Columns 1 to 6  0.1000  0.2000  0.3000  0.4000  0.5000  0.6000  Columns 7 to 8  0.7000  0.8000 [ CPUFloatType{1,8} ]"
        XCTAssertEqual(parseValue(wide), .tensor(text: wide))
    }

    func testOpaqueValues() {
        XCTAssertEqual(parseValue("[<Tensors>]"), .opaque("[<Tensors>]"))
        XCTAssertEqual(parseValue("<Graph>"), .opaque("<Graph>"))
    }

    func testSeveralAttributesAndTensorReprBeforeAnotherAttribute() {
        let text = """
            graph(%x : Tensor):
              %f : Function = prim::Constant[name="relu"]()
              %a : Tensor, %b : Tensor = prim::ConstantChunk[chunks=2, dim=1](%x)
              %t : Long(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value= 1  2 [ CPULongType{2} ], note="x"]()
              return (%a)
            """
        guard let graph = parse(text) else { return }
        XCTAssertEqual(graph.nodes[0].attributes.map(\.name), ["name"])
        XCTAssertEqual(graph.nodes[0].attribute("name"), .string("relu"))
        XCTAssertEqual(graph.nodes[1].attributes.map(\.name), ["chunks", "dim"])
        XCTAssertEqual(graph.nodes[1].attributes.map(\.value), [.int(2), .int(1)])
        XCTAssertEqual(graph.nodes[1].outputs, [decl("a", anyTensor, 3, 3), decl("b", anyTensor, 3, 16)])
        XCTAssertEqual(graph.nodes[2].attributes.map(\.name), ["value", "note"])
        XCTAssertEqual(graph.nodes[2].attributes.map(\.value), [.tensor(text: " 1  2 [ CPULongType{2} ]"), .string("x")])
        XCTAssertEqual(graph.nodes[2].outputs.first?.type, tensor("Long", [2]))
    }

    // MARK: - Errors

    func testErrorMessageShape() {
        let text = "graph(%a : Tensor):\n  %b : Tensor aten::relu(%a)\n  return (%b)\n"
        guard let e = syntaxError(text) else { return }
        XCTAssertEqual(e.message, """
            model.ts.txt:2:15: expected ',' or '=', found 'aten'
                %b : Tensor aten::relu(%a)
                            ^
            """)
    }

    func testHeaderErrors() {
        assertError("", line: 1, column: 1, "expected 'graph(', found end of file")
        assertError("grph(%a : Tensor):\n", line: 1, column: 1, "expected 'graph(', found 'grph'")
        assertError("graph(%a : Float(1, 2 x)):\n  return (%a)\n", line: 1, column: 23, "expected ',' or ')', found 'x'")
        assertError("graph(%a : Tensor\n      %b : Tensor):\n  return (%a)\n", line: 2, column: 7, "expected ',' or ')', found '%'")
        assertError("graph(%a : Tensor)\n  return (%a)\n", line: 1, column: 19, "expected ':', found end of line")
        assertError("graph(a : Tensor):\n  return (%a)\n", line: 1, column: 7, "expected a value name '%name', found 'a'")
        assertError("graph(%a : ):\n  return (%a)\n", line: 1, column: 12, "expected a type, found ')'")
        assertError("graph(%a : Dict(str)):\n  return (%a)\n", line: 1, column: 16, "expected 2 types in Dict(...), found 1")
        assertError("graph(%a : Float(1, @)):\n  return (%a)\n", line: 1, column: 21, "expected a dimension, '*', 'SS(-N)' or 'name=value', found '@'")
    }

    func testNodeErrors() {
        let head = "graph(%a : Tensor):\n"
        assertError(head + "  %b : Tensor = aten::relu(%a\n  return (%b)\n", line: 2, column: 30, "expected ',' or ')', found end of line")
        assertError(head + "  %b = relu(%a)\n  return (%b)\n", line: 2, column: 8, "expected an operator kind like 'aten::relu', found 'relu'")
        assertError(head + "  %b : Tensor = ^MyFunc()(%a)\n  return (%b)\n", line: 2, column: 17, "found '^' (prim::PythonOp")
        assertError(head + "  %b foo\n  return (%b)\n", line: 2, column: 6, "expected ':', ',' or '=', found 'foo'")
        assertError(head + "  %b : Tensor = aten::relu(%a) foo\n  return (%b)\n", line: 2, column: 32,
                    "expected ', scope: ...', '# source' or the end of the line, found 'foo'")
        assertError(head + "  %b : Tensor = aten::relu(%a), scop: x\n  return (%b)\n", line: 2, column: 33, "expected 'scope:', found 'scop'")
        assertError(head + "  %b : Tensor = aten::relu{%a}\n  return (%b)\n", line: 2, column: 27, "expected '[' or '(', found '{'")
        assertError(head + "  %b : Tensor = aten::relu[x=1]\n  return (%b)\n", line: 2, column: 32, "expected '(', found end of line")
        assertError(head + "  b : Tensor = aten::relu(%a)\n", line: 2, column: 3, "expected a node or 'return (...)', found 'b'")
        assertError(head + "  return (%a) x\n", line: 2, column: 15, "expected the end of the line, found 'x'")
        assertError(head + "  return %a\n", line: 2, column: 10, "expected '(', found '%'")
    }

    func testAttributeErrors() {
        let head = "graph():\n  %c : Tensor = prim::Constant["
        assertError(head + "value=@]()\n", line: 2, column: 38, "expected an attribute value, found '@'")
        assertError(head + "value=\"abc]()\n", line: 2, column: 45, "expected a closing '\"', found end of line")
        assertError(head + "value=\"a\\qb\"]()\n", line: 2, column: 41, "expected an escape sequence")
        assertError(head + "value=[1, 2]()\n", line: 2, column: 44, "expected ',' or ']' after the attribute value, found '('")
        assertError(head + "value=[1 2]]()\n", line: 2, column: 42, "expected a tensor repr ending in '[ CPUFloatType{...} ]', found ']'")
        assertError(head + "value 1]()\n", line: 2, column: 37, "expected '=' after the attribute name, found ' '")
        assertError(head + "=1]()\n", line: 2, column: 32, "expected an attribute name, found '='")
        assertError(head + "value=1e]()\n", line: 2, column: 40, "expected the digits of an exponent, found ']'")
        assertError(head + "value=annotate(List[int] [])]()\n", line: 2, column: 59, "expected ',' after the annotated type, found ')'")
    }

    func testBlockErrors() {
        let head = "graph(%c : bool):\n  %y : int = prim::If(%c)\n"
        assertError(head + "    block0():\n      return (%c)\n", line: 4, column: 7,
                    "expected a node or '-> (...)' closing block0 (line 3), found 'return'")
        assertError(head + "    block0():\n      -> (%c)\n", line: 5, column: 1, "expected a node or 'return (...)', found end of file")
        assertError(head + "    block1():\n      -> (%c)\n", line: 3, column: 5, "expected 'block0(', found 'block1'")
        assertError(head + "    block0():\n      -> (%c)\n    block0():\n", line: 5, column: 5, "expected 'block1(', found 'block0'")
        assertError("graph():\n  block0():\n    -> ()\n  return ()\n", line: 2, column: 3, "expected a node or 'return (...)', found 'block0'")
        assertError("graph():\n  -> ()\n", line: 2, column: 3, "expected a node or 'return (...)', found '-'")
        assertError(head + "    block0():\n      -> (%c)\n    block1(%z):\n      -> %z\n", line: 6, column: 10, "expected '(', found '%'")
    }

    func testDuplicateDefinitions() {
        assertError("graph(%x : Tensor,\n      %x : Tensor):\n  return (%x)\n", line: 2, column: 7,
                    "%x is defined twice (first at line 1, column 7)")
        assertError("graph(%x : Tensor):\n  %y : Tensor = aten::relu(%x)\n  %y : Tensor = aten::relu(%x)\n  return (%y)\n", line: 3, column: 3,
                    "%y is defined twice (first at line 2, column 3)")
        let nested = "graph(%c : bool):\n  %y : int = prim::If(%c)\n    block0():\n      %c : int = prim::Constant[value=1]()\n      -> (%c)\n"
        assertError(nested, line: 4, column: 7, "%c is defined twice (first at line 1, column 7)")
        assertError("graph(%a : Tensor):\n  %b : int, %b : int = prim::ListUnpack(%a)\n  return (%b)\n", line: 2, column: 13,
                    "%b is defined twice (first at line 2, column 3)")
    }

    func testUsesOfUndefinedValuesAreLeftToTheImporter() {
        guard let graph = parse("graph():\n  %y : Tensor = aten::relu(%nowhere)\n  return (%elsewhere)\n") else { return }
        XCTAssertEqual(graph.nodes.first?.inputs, ["nowhere"])
        XCTAssertEqual(graph.returns, ["elsewhere"])
    }

    func testTrailingTextAfterReturn() {
        let fused = "graph(%a : Tensor):\n  return (%a)\nwith prim::FusionGroup_0 = graph(%0 : Tensor):\n  return (%0)\n"
        assertError(fused, line: 3, column: 1, "fusion-group subgraphs")
        assertError("graph(%a : Tensor):\n  return (%a)\n  %b : Tensor = aten::relu(%a)\n", line: 3, column: 3,
                    "expected the end of the dump after 'return (...)', found '%'")
    }

    func testNestingLimits() {
        let deepList = String(repeating: "[", count: 250) + String(repeating: "]", count: 250)
        assertError("graph():\n  %c : int = prim::Constant[value=\(deepList)]()\n  return (%c)\n", line: 2, column: 235,
                    "attribute values nested deeper than 200 levels")
        let deepType = "int" + String(repeating: "[]", count: 250)
        assertError("graph(%a : \(deepType)):\n  return (%a)\n", line: 1, column: 415, "types nested deeper than 200 levels")
        let tupleType = String(repeating: "(", count: 250) + "int" + String(repeating: ")", count: 250)
        assertError("graph(%a : \(tupleType)):\n  return (%a)\n", line: 1, column: 212, "types nested deeper than 200 levels")
        // 150 tuples each wrapped in a list: the recursion is only 151 deep, but the type tree is 301 tall. The 50th `[]`
        // wraps the tuple at depth 101 to height 101 (101 - 1 + 101 > 200); it ends in column 11 + 150 + 3 + 150.
        let mixed = String(repeating: "(", count: 150) + "int" + String(repeating: ")[]", count: 150)
        assertError("graph(%a : \(mixed)):\n  return (%a)\n", line: 1, column: 315, "types nested deeper than 200 levels")
        XCTAssertNotNil(parseType(String(repeating: "(", count: 66) + "int" + String(repeating: ")[]", count: 66)))

        // 199 nested Ifs are fine, 201 are not.
        func nestedIfs(_ depth: Int) -> String {
            var text = "graph(%c : bool):\n"
            for _ in 0..<depth { text += "   = prim::If(%c)\n    block0():\n" }
            for _ in 0..<depth { text += "      -> ()\n" }
            return text + "  return ()\n"
        }
        XCTAssertNotNil(try? TorchScriptDumpParser.parse(nestedIfs(200), path: path))
        assertError(nestedIfs(201), line: 403, column: 5, "blocks nested deeper than 200 levels")
    }

    // MARK: - Robustness

    func testEveryPrefixOfADumpParsesOrFailsCleanly() {
        let text = """
            graph(%x.1 : Float(1, 3, strides=[3, 1], requires_grad=0, device=cpu),
                  %n.1 : int):
              %2 : Tensor = prim::Constant[value= 0.3834  0.7570 [ CPUFloatType{2} ]]()
              %s : str = prim::Constant[value="a\\"b # c"](), scope: __module.x # m.py:1:0
              %h : Tensor = prim::Loop(%n.1, %2, %x.1) # rnn.py:8:4
                block0(%i.1 : int, %h.3 : Tensor):
                  %l : int[] = prim::Constant[value=annotate(List[int], [])]()
                  -> (%2, %h.3)
              return (%h)

            """
        XCTAssertNotNil(parse(text))
        let bytes = Array(text.utf8)
        for end in 0..<bytes.count {
            let prefix = String(decoding: bytes[0..<end], as: UTF8.self)
            do {
                _ = try TorchScriptDumpParser.parse(prefix, path: path)
            } catch let e as TorchScriptFrontendError {
                XCTAssertEqual(e.kind, .syntax)
                XCTAssertTrue(e.message.hasPrefix(path + ":"), e.message)
            } catch {
                XCTFail("unexpected error \(error)")
            }
        }
    }

    func testRandomMutationsNeverCrash() {
        let seed = "graph(%a : Float(1, 2, strides=[2, 1], requires_grad=0, device=cpu)):\n"
            + "  %b : (Tensor, int[]?) = prim::Constant[value=[(1,), annotate(List[int], []), \"x\\n\", {2}, <Tensor>]]()\n"
            + "  %c : Tensor = prim::If(%a)\n    block0():\n      -> (%a)\n    block1():\n      -> (%a)\n  return (%c)\n"
        let alphabet = Array("%:=,()[]{}<>\"\\#.-_ \n\tabc019eE*?".utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var parsed = 0
        for _ in 0..<3000 {
            var bytes = Array(seed.utf8)
            for _ in 0..<(1 + next() % 4) {
                let i = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[i] = alphabet[next() % alphabet.count]
                case 1: bytes.insert(alphabet[next() % alphabet.count], at: i)
                default: bytes.remove(at: i)
                }
            }
            do {
                _ = try TorchScriptDumpParser.parse(String(decoding: bytes, as: UTF8.self), path: path)
                parsed += 1
            } catch let e as TorchScriptFrontendError {
                XCTAssertEqual(e.kind, .syntax)
            } catch {
                XCTFail("unexpected error \(error)")
            }
        }
        XCTAssertGreaterThan(parsed, 0)
    }

    func testLongLinesStayLinearAndErrorsShowAWindow() throws {
        let count = 200_000
        let list = "[" + Array(repeating: "1", count: count).joined(separator: ", ") + "]"
        let started = Date()
        let graph = try TorchScriptDumpParser.parse("graph():\n  %c : int[] = prim::Constant[value=\(list)]()\n  return (%c)\n", path: path)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        guard case .list(let items)? = graph.nodes.first?.attribute("value") else { return XCTFail("not a list") }
        XCTAssertEqual(items.count, count)

        let bad = "graph():\n  %c : int[] = prim::Constant[value=\(list.dropLast()), @]()\n"
        guard let e = syntaxError(bad) else { return }
        let lines = e.message.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("\(path):2:\(38 + list.utf8.count): expected an attribute value, found '@'"), lines[0])
        XCTAssertLessThan(lines[1].count, 200)
        XCTAssertTrue(lines[1].hasPrefix("  ..."))
        // The caret sits under the '@' of the shown window.
        let caret = lines[2].count - 1
        XCTAssertEqual(Array(lines[1])[caret], "@")
    }

    func testHugeNestingAndSuffixRunsDoNotOverflowTheStack() {
        XCTAssertNotNil(syntaxError("graph():\n  %c : int = prim::Constant[value=\(String(repeating: "(", count: 100_000))]()\n"))
        XCTAssertNotNil(syntaxError("graph(%a : int\(String(repeating: "?", count: 100_000))):\n  return (%a)\n"))
        var blocks = "graph(%c : bool):\n"
        for _ in 0..<5000 { blocks += "   = prim::If(%c)\n    block0():\n" }
        XCTAssertNotNil(syntaxError(blocks))
    }
}
