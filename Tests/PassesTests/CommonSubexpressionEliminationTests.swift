import XCTest
import OVIR
@testable import Passes

final class CommonSubexpressionEliminationTests: XCTestCase {
    /// y = sigmoid(x + 1) * sigmoid(x + 1) built twice over, with two Consts 1: one Const, one Add, one
    /// Sigmoid are left; the kept ones take the duplicates' tensor names, and the kept non-Consts list both
    /// names in fused_names. The Multiply then reads the same Sigmoid twice.
    func testIdenticalConstsAndNodesMergeIntoTheFirst() throws {
        let g = try model { g, x in
            let s1 = try g.op(Sigmoid(), g.op(Add(), x, g.scalar(1, name: "one1"), name: "a1"), name: "s1")
            let a2 = try g.op(Add(), x, g.scalar(1, name: "one2"), name: "a2")
            g.addTensorNames(["a2_tensor"], to: a2)
            let s2 = try g.op(Sigmoid(), a2, name: "s2")
            return try g.op(Multiply(), s1, s2, name: "y")
        }
        XCTAssertEqual(try runChecked(CommonSubexpressionElimination(), on: g, inputs: modelInputs), PassResult(changed: true))

        let e = try model { g, x in
            let a = try g.add(Add(), [x, g.scalar(1, name: "one1")], name: "a1")
            a.rtInfo = [fusedNames("a1,a2")]
            g.addTensorNames(["a2_tensor"], to: a.output())
            let s = try g.add(Sigmoid(), [a.output()], name: "s1")
            s.rtInfo = [fusedNames("s1,s2")]
            return try g.op(Multiply(), s.output(), s.output(), name: "y")
        }
        assertSameGraph(g, e)
    }

    /// Nothing merges here: Consts 1 (f32) and 1 (f32 [1]) differ in shape, x + 1 and 1 + x read their inputs
    /// in another order, Clamp(0, 6) and Clamp(0, 5) differ in attributes, and a Convert marked
    /// `decompression` differs from a plain one in rt_info.
    func testNodesThatDifferInAnythingStay() throws {
        let g = try model { g, x in
            let one = try g.scalar(1, name: "one"), oneVector = try g.constant(.f32([1]), name: "oneVector")
            let a = try g.op(Add(), x, one, name: "a"), b = try g.op(Add(), one, x, name: "b")
            let c = try g.op(Add(), x, oneVector, name: "c")
            let six = try g.op(Clamp(min: 0, max: 6), x, name: "six"), five = try g.op(Clamp(min: 0, max: 5), x, name: "five")
            let plain = try g.op(Convert(.f16), x, name: "plain")
            let marked = try g.add(Convert(.f16), [x], name: "marked")
            marked.rtInfo = [RTAttribute(name: "decompression")]
            let halves = try g.op(Convert(.f32), g.op(Add(), plain, marked.output(), name: "h"), name: "back")
            let sums = try g.op(Add(), g.op(Add(), a, b, name: "ab"), g.op(Add(), c, g.op(Add(), six, five, name: "clamps"), name: "cc"), name: "s")
            return try g.op(Add(), sums, halves, name: "y")
        }
        let before = try g.copy()
        XCTAssertEqual(try runChecked(CommonSubexpressionElimination(), on: g, inputs: modelInputs), PassResult(changed: false))
        assertSameGraph(g, before)
    }

    /// Equal weight and bias Consts are not merged by themselves (the CPU plugin packs and fuses each layer's
    /// own), but count as the same input: of three 1×1 convolutions with equal weights, the two reading x
    /// merge into one (its spare weight Const goes too), the one reading relu(x) keeps its own weights and
    /// bias; equal scalars merge.
    func testEqualWeightsMergeOnlyWithTheirReaders() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 2, 2, 2]))).output()
        let r = try g.add(Relu(), [x], name: "r").output()
        let conv = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        var outputs: [Output] = []
        for (i, input) in [x, x, r].enumerated() {
            let w = try g.constant(.f32([1, 2, 3, 4], dims: [2, 2, 1, 1]), name: "w\(i)")
            let c = try g.add(conv, [input, w], name: "conv\(i)")
            let b = try g.constant(.f32([1, -1], dims: [1, 2, 1, 1]), name: "b\(i)")
            let a = try g.add(Add(), [c.output(), b], name: "add\(i)")
            outputs.append(try g.add(Multiply(), [a.output(), g.scalar(2, name: "two\(i)")], name: "scale\(i)").output())
        }
        let sum = try g.add(Add(), [outputs[0], outputs[1]], name: "sum")
        try g.addResult(g.add(Add(), [sum.output(), outputs[2]], name: "y").output(), name: "y")
        XCTAssertEqual(try runChecked(CommonSubexpressionElimination(), on: g, inputs: ["x": .f32((0..<8).map(Float.init), dims: [1, 2, 2, 2])]),
                       PassResult(changed: true))
        XCTAssertEqual(Set(g.nodes.filter { $0.op is Constant }.map(\.name)), ["w0", "w2", "b0", "b2", "two0"])
        XCTAssertEqual(g.nodes.filter { $0.op is Convolution }.map(\.name).sorted(), ["conv0", "conv2"])
    }
}
