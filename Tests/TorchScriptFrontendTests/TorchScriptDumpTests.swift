import Evaluator
import Foundation
import OVIR
import XCTest
@testable import TorchScriptFrontend

/// Dumps without tensor constants (so without a weights file), translated and run by the evaluator; expected
/// values are worked out by hand from PyTorch's semantics.
final class TorchScriptDumpTests: XCTestCase {
    private func dump(_ text: String) throws -> TorchScriptDump {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tsdump-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.ts.txt")
        try Data(text.utf8).write(to: path)
        return try TorchScriptDump(path: path.path)
    }

    private func run(_ model: ImportedModel, _ inputs: [String: Tensor]) throws -> [Tensor] {
        try Evaluator().run(model.graph, inputs: inputs)
    }

    private func floats(_ t: Tensor) -> [Double] { t.doubleValues() ?? [] }

    func testStaticShapeChainsFoldAndDynamicOnesComputeTheSame() throws {
        // y = x.view(x.size(0), -1) * 2, with the size going through NumToTensor/Int as a trace records it.
        let d = try dump("""
        graph(%self.1 : __torch__.M,
              %x.1 : Float(2, 3, 2, strides=[6, 2, 1], requires_grad=0, device=cpu)):
          %1 : int = prim::Constant[value=0]()
          %2 : int = prim::Constant[value=-1]()
          %3 : int = aten::size(%x.1, %1)
          %4 : Long(requires_grad=0, device=cpu) = prim::NumToTensor(%3)
          %5 : int = aten::Int(%4)
          %6 : int[] = prim::ListConstruct(%5, %2)
          %7 : Float(2, 6) = aten::view(%x.1, %6)
          %8 : int = prim::Constant[value=2]()
          %9 : Float(2, 6) = aten::mul(%7, %8)
          return (%9)

        """)
        XCTAssertEqual(d.inputs.map(\.name), ["x"], "x.1 is the argument x")
        let x = Tensor.f32((0..<12).map(Float.init), dims: [2, 3, 2])
        let fixed = try d.translate()
        XCTAssertEqual(fixed.graph.results[0].inputs[0].shape, .fixed([2, 6]))
        XCTAssertFalse(fixed.graph.nodes.contains { $0.op is ShapeOf }, "a static size is an int at conversion time")
        let dynamic = try d.translate(inputTypes: [TensorType(.f32, .dynamic(rank: 3))])
        XCTAssertTrue(dynamic.graph.nodes.contains { $0.op is ShapeOf }, "a dynamic size is computed")
        for model in [fixed, dynamic] {
            let y = try run(model, ["x": x])[0]
            XCTAssertEqual(y.dims, [2, 6])
            XCTAssertEqual(floats(y), (0..<12).map { Double($0) * 2 })
        }
    }

    func testZeroDimLongTensorsDoNotPromoteAFloatTensor() throws {
        // x * tensor(3) stays float; size arithmetic on 0-dim Longs stays integer.
        let d = try dump("""
        graph(%x : Float(4, strides=[1], requires_grad=0, device=cpu)):
          %1 : int = prim::Constant[value=3]()
          %2 : Tensor = prim::NumToTensor(%1)
          %3 : Tensor = aten::mul(%x, %2)
          %4 : Tensor = aten::div(%2, %2)
          return (%3, %4)

        """)
        let model = try d.translate()
        let out = try run(model, ["x": .f32([1, 2, 3, 4])])
        XCTAssertEqual(out[0].elementType, .f32)
        XCTAssertEqual(floats(out[0]), [3, 6, 9, 12])
        XCTAssertEqual(out[1].elementType, .f32, "true division of integers gives a float")
        XCTAssertEqual(floats(out[1]), [1])
        XCTAssertEqual(model.graph.results.map(\.name), ["output0", "output1"])
    }

    func testChunkSplitsAsPyTorchDoes() throws {
        // chunk(5 channels, 2) → 3 + 2; split(…, 2) → 2 + 2 + 1.
        let d = try dump("""
        graph(%x : Float(5, strides=[1], requires_grad=0, device=cpu)):
          %0 : int = prim::Constant[value=0]()
          %2 : int = prim::Constant[value=2]()
          %c : Tensor[] = aten::chunk(%x, %2, %0)
          %a : Tensor, %b : Tensor = prim::ListUnpack(%c)
          %s : Tensor[] = aten::split(%x, %2, %0)
          %p : Tensor, %q : Tensor, %r : Tensor = prim::ListUnpack(%s)
          return (%a, %b, %r)

        """)
        let out = try run(d.translate(), ["x": .f32([1, 2, 3, 4, 5])])
        XCTAssertEqual(out.map(floats), [[1, 2, 3], [4, 5], [5]])
    }

    func testMeshgridArangeAndStackBuildAnchorsAsTheDetectorDoes() throws {
        // xs = arange(3) + 0.5, ys = arange(2) + 0.5; (yv, xv) = meshgrid(ys, xs, "ij"); stack((xv, yv), -1).
        let d = try dump("""
        graph(%x : Float(1, 1, 2, 3, strides=[6, 6, 3, 1], requires_grad=0, device=cpu)):
          %n : NoneType = prim::Constant()
          %f : bool = prim::Constant[value=0]()
          %six : int = prim::Constant[value=6]()
          %two : int = prim::Constant[value=2]()
          %three : int = prim::Constant[value=3]()
          %h : int = aten::size(%x, %two)
          %w : int = aten::size(%x, %three)
          %half : float = prim::Constant[value=0.5]()
          %one : int = prim::Constant[value=1]()
          %sx0 : Tensor = aten::arange(%w, %six, %n, %n, %f)
          %sx : Tensor = aten::add(%sx0, %half, %one)
          %sy0 : Tensor = aten::arange(%h, %six, %n, %n, %f)
          %sy : Tensor = aten::add(%sy0, %half, %one)
          %l : Tensor[] = prim::ListConstruct(%sy, %sx)
          %ij : str = prim::Constant[value="ij"]()
          %g : Tensor[] = aten::meshgrid(%l, %ij)
          %yv : Tensor, %xv : Tensor = prim::ListUnpack(%g)
          %pair : Tensor[] = prim::ListConstruct(%xv, %yv)
          %m1 : int = prim::Constant[value=-1]()
          %anchors : Tensor = aten::stack(%pair, %m1)
          return (%anchors)

        """)
        let model = try d.translate()
        let out = try run(model, ["x": .f32(Array(repeating: 0, count: 6), dims: [1, 1, 2, 3])])[0]
        XCTAssertEqual(out.dims, [2, 3, 2])
        XCTAssertEqual(floats(out), [0.5, 0.5, 1.5, 0.5, 2.5, 0.5, 0.5, 1.5, 1.5, 1.5, 2.5, 1.5])
    }

    func testIfWithAKnownConditionTakesItsBranch() throws {
        let d = try dump("""
        graph(%x : Float(2, strides=[1], requires_grad=0, device=cpu)):
          %0 : int = prim::Constant[value=0]()
          %r : int = aten::dim(%x)
          %c : bool = aten::eq(%r, %0)
          %y : Tensor = prim::If(%c)
            block0():
              %a : Tensor = aten::neg(%x)
              -> (%a)
            block1():
              %b : Tensor = aten::relu(%x)
              -> (%b)
          return (%y)

        """)
        let out = try run(d.translate(), ["x": .f32([-1, 2])])[0]
        XCTAssertEqual(floats(out), [0, 2], "rank 1 is not 0: the else branch")
    }

    func testARuntimeConditionBecomesAnIfReadingOuterValues() throws {
        // y = -x if sum(x) > 0 else relu(x) + w, with x and w read inside the branches.
        let d = try dump("""
        graph(%x : Float(2, strides=[1], requires_grad=0, device=cpu)):
          %n : NoneType = prim::Constant()
          %s : Tensor = aten::sum(%x, %n)
          %z : int = prim::Constant[value=0]()
          %g : Tensor = aten::gt(%s, %z)
          %c : bool = aten::Bool(%g)
          %w : float = prim::Constant[value=0.5]()
          %y : Tensor = prim::If(%c)
            block0():
              %a : Tensor = aten::neg(%x)
              -> (%a)
            block1():
              %b : Tensor = aten::relu(%x)
              %one : int = prim::Constant[value=1]()
              %e : Tensor = aten::add(%b, %w, %one)
              -> (%e)
          return (%y)

        """)
        let model = try d.translate()
        let ifs = model.graph.nodes.compactMap { $0.op as? If }
        XCTAssertEqual(ifs.count, 1)
        XCTAssertEqual(ifs.first?.thenBody.parameters.count, 1, "the then branch reads x")
        XCTAssertEqual(model.graph.results[0].inputs[0].shape, .fixed([2]))
        XCTAssertEqual(floats(try run(model, ["x": .f32([3, -1])])[0]), [-3, 1], "sum 2 > 0: the then branch")
        XCTAssertEqual(floats(try run(model, ["x": .f32([1, -3])])[0]), [1.5, 0.5], "sum -2: the else branch")
    }

    func testALoopWhoseCarriedValueGrowsComputesItsSizeEachIteration() throws {
        // acc = x; for _ in range(3): acc = cat([acc, x * acc.size(0)]). A size folded from the first iteration
        // would give [1, 1, 1, 1]; the real sizes give [1, 1, 2, 3].
        let d = try dump("""
        graph(%x : Float(1, strides=[1], requires_grad=0, device=cpu)):
          %three : int = prim::Constant[value=3]()
          %true : bool = prim::Constant[value=1]()
          %zero : int = prim::Constant[value=0]()
          %acc : Tensor = prim::Loop(%three, %true, %x)
            block0(%i : int, %acc.1 : Tensor):
              %n : int = aten::size(%acc.1, %zero)
              %m : Tensor = aten::mul(%x, %n)
              %l : Tensor[] = prim::ListConstruct(%acc.1, %m)
              %acc.2 : Tensor = aten::cat(%l, %zero)
              -> (%true, %acc.2)
          return (%acc)

        """)
        let model = try d.translate()
        let loop = try XCTUnwrap(model.graph.nodes.compactMap { $0.op as? Loop }.first)
        XCTAssertEqual(loop.body.parameters[1].outputTypes[0].shape, .ranked([.dynamic]), "the carried value's dim is dynamic in the body")
        XCTAssertEqual(floats(try run(model, ["x": .f32([1])])[0]), [1, 1, 2, 3])
    }

    func testAWhileLoopWithAnIfInItsConditionRunsUntilTheConditionFails() throws {
        // n = 0; while bool(sum(|x|) > 0.2) and n < 6: x = x * 0.5; n += 1. Returns x * n. `and` is an If.
        let d = try dump("""
        graph(%x : Float(2, strides=[1], requires_grad=0, device=cpu)):
          %max : int = prim::Constant[value=9223372036854775807]()
          %n0 : int = prim::Constant[value=0]()
          %one : int = prim::Constant[value=1]()
          %six : int = prim::Constant[value=6]()
          %half : float = prim::Constant[value=0.5]()
          %lim : float = prim::Constant[value=0.2]()
          %none : NoneType = prim::Constant()
          %f : bool = prim::Constant[value=0]()
          %a0 : Tensor = aten::abs(%x)
          %s0 : Tensor = aten::sum(%a0, %none)
          %g0 : Tensor = aten::gt(%s0, %lim)
          %c0 : bool = aten::Bool(%g0)
          %k0 : bool = prim::If(%c0)
            block0():
              %t0 : bool = aten::lt(%n0, %six)
              -> (%t0)
            block1():
              -> (%f)
          %y : Tensor, %n : int = prim::Loop(%max, %k0, %x, %n0)
            block0(%i : int, %x.1 : Tensor, %n.1 : int):
              %x.2 : Tensor = aten::mul(%x.1, %half)
              %n.2 : int = aten::add(%n.1, %one)
              %a : Tensor = aten::abs(%x.2)
              %s : Tensor = aten::sum(%a, %none)
              %g : Tensor = aten::gt(%s, %lim)
              %c : bool = aten::Bool(%g)
              %k : bool = prim::If(%c)
                block0():
                  %t : bool = aten::lt(%n.2, %six)
                  -> (%t)
                block1():
                  -> (%f)
              -> (%k, %x.2, %n.2)
          %r : Tensor = aten::mul(%y, %n)
          return (%r)

        """)
        let model = try d.translate()
        let loop = try XCTUnwrap(model.graph.nodes.compactMap { $0.op as? Loop }.first)
        XCTAssertEqual(model.graph.nodes.first { $0.op is Loop }?.inputs[0].constant, .scalar(i64: -1), "INT64_MAX is no limit")
        XCTAssertTrue(loop.body.nodes.contains { $0.op is If }, "the condition's `and` is an If in the body")
        // |x| sums 4, 2, 1, 0.5, 0.25, 0.125: five halvings.
        XCTAssertEqual(floats(try run(model, ["x": .f32([1, -3])])[0]), [5.0 / 32, -15.0 / 32])
        XCTAssertEqual(floats(try run(model, ["x": .f32([0.05, 0.05])])[0]), [0, 0], "the loop runs zero times: n stays 0")
    }

    func testOnlyTensorsAndNumbersCrossABodysBorder() throws {
        let d = try dump("""
        graph(%x : Float(2, strides=[1], requires_grad=0, device=cpu)):
          %n : NoneType = prim::Constant()
          %s : Tensor = aten::sum(%x, %n)
          %c : bool = aten::Bool(%s)
          %y : int[] = prim::If(%c)
            block0():
              %l : int[] = prim::ListConstruct(%c)
              -> (%l)
            block1():
              %m : int[] = prim::ListConstruct()
              -> (%m)
          return (%y)

        """)
        XCTAssertThrowsError(try d.translate()) { error in
            let e = error as? TorchScriptFrontendError
            XCTAssertEqual(e?.kind, .unsupported)
            XCTAssertTrue(e?.message.contains("m.ts.txt:5: while converting %y = prim::If: output 0 of the then branch is list[1]; "
                + "only tensors and numbers can cross an OpenVINO If body's border") == true, "\(error)")
        }
    }

    func testUnknownOpsAreReportedTogether() throws {
        let unknown = try dump("""
        graph(%x : Float(2, strides=[1], requires_grad=0, device=cpu)):
          %a : Tensor = aten::frob(%x)
          %b : Tensor = aten::frob(%a)
          %c : Tensor = aten::zap(%b)
          return (%c)

        """)
        XCTAssertThrowsError(try unknown.translate()) { error in
            let e = error as? TorchScriptFrontendError
            XCTAssertEqual(e?.kind, .unsupported)
            XCTAssertTrue(e?.message.hasSuffix("3 nodes use 2 unsupported operators:\n  aten::frob ×2 (first: line 2)\n  aten::zap ×1 (first: line 4)") == true,
                          "\(error)")
        }
    }

    func testATensorConstantNeedsTheWeightsFile() throws {
        let d = try dump("""
        graph(%x : Float(2, strides=[1], requires_grad=0, device=cpu)):
          %w : Float(2, strides=[1], requires_grad=0, device=cpu) = prim::Constant[value=<Tensor>]()
          %y : Tensor = aten::mul(%x, %w)
          return (%y)

        """)
        XCTAssertThrowsError(try d.translate()) { error in
            let e = error as? TorchScriptFrontendError
            XCTAssertEqual(e?.kind, .badWeights)
            XCTAssertTrue(e?.message.contains("m.safetensors: no such weights file, which constant %w (line 2) needs (key 'const/w')") == true,
                          "\(error)")
        }
    }

    func testABadNodeIsNamedWithItsLine() throws {
        let d = try dump("""
        graph(%x : Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)):
          %0 : int = prim::Constant[value=5]()
          %y : Tensor = aten::transpose(%x, %0, %0), scope: __module.head # m.py:3:0
          return (%y)

        """)
        XCTAssertThrowsError(try d.translate()) { error in
            XCTAssertTrue("\(error)".hasSuffix("m.ts.txt:3: while converting %y = aten::transpose in module 'head': dim 5 is out of range for rank 2"),
                          "\(error)")
        }
    }

    func testBaseNamesAndSHA256() {
        XCTAssertEqual(TorchScriptDump.baseName("x.1"), "x")
        XCTAssertEqual(TorchScriptDump.baseName("input.13"), "input")
        XCTAssertEqual(TorchScriptDump.baseName("x"), "x")
        XCTAssertEqual(TorchScriptDump.baseName("a.b"), "a.b")
        // FIPS 180-4 examples.
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
