import XCTest
import OVIR
@testable import Evaluator

final class EvaluatorTests: XCTestCase {
    func testRunsAChainFedByNameAndReturnsResultsInOrder() throws {
        // y = sigmoid(x) * x ; z = y + 1 ; results [z, y]
        let g = Graph(name: "chain")
        let x = try g.addParameter("input", TensorType(.f32, .fixed([2])))
        let s = try g.add(Sigmoid(), [x.output()], name: "sig")
        let y = try g.add(Multiply(), [s.output(), x.output()], name: "mul")
        let one = try g.constant(.f32([1], dims: [1]), name: "one")
        let z = try g.add(Add(), [y.output(), one], name: "add")
        try g.addResult(z.output(), name: "z")
        try g.addResult(y.output(), name: "y")
        let out = try Evaluator().run(g, inputs: ["input": .f32([0, 2], dims: [2])])
        let y1 = Float(2 / (1 + exp(-2.0)))
        XCTAssertEqual(out.count, 2)
        assertClose(floats(out[0]), [1, y1 + 1])
        assertClose(floats(out[1]), [0, y1])
        XCTAssertEqual(out[0].dims, [2])
    }

    /// The observe hook sees every node once, after its kernel, with its output values; an error it throws stops the run.
    func testObserveSeesEachNodesOutputs() throws {
        let g = Graph(name: "observed")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([3])))
        let r = try g.add(Relu(), [x.output()], name: "relu")
        try g.addResult(r.output(), name: "out")
        var seen: [(String, [Double])] = []
        _ = try Evaluator().run(g, inputs: ["x": .f32([-1, 0, 2])]) { node, outputs in
            seen.append((node.name, outputs[0].doubleValues() ?? []))
        }
        XCTAssertEqual(seen.map(\.0), ["x", "relu", "out"])
        XCTAssertEqual(seen[1].1, [0, 0, 2])
        struct Stop: Error {}
        XCTAssertThrowsError(try Evaluator().run(g, inputs: ["x": .f32([1, 2, 3])]) { node, _ in if node.name == "relu" { throw Stop() } }) {
            XCTAssertTrue($0 is Stop)
        }
    }

    func testMissingKernelNamesTheOps() throws {
        let g = Graph()
        let x = try g.addParameter("x", TensorType(.f32, .fixed([3])))
        let n = try g.add(NoKernelOp(), [x.output()], name: "mystery")
        try g.addResult(n.output(), name: "r")
        XCTAssertThrowsError(try Evaluator().run(g, inputs: ["x": .f32([1, 2, 3])])) { error in
            let e = error as? EvaluatorError
            XCTAssertEqual(e?.node, "mystery")
            XCTAssertEqual(e?.opType, "NoKernelOp")
            XCTAssertTrue("\(error)".contains("no kernel for op NoKernelOp"), "\(error)")
        }
    }

    func testMissingOrMistypedFeedNamesTheParameter() throws {
        let g = Graph()
        let x = try g.addParameter("x", TensorType(.f32, .fixed([3])))
        try g.addResult(x.output(), name: "r")
        XCTAssertThrowsError(try Evaluator().run(g, inputs: [:])) { error in
            XCTAssertEqual((error as? EvaluatorError)?.node, "x")
            XCTAssertTrue("\(error)".contains("no input given"), "\(error)")
        }
        XCTAssertThrowsError(try Evaluator().run(g, inputs: ["x": .f32([1, 2])])) { error in
            XCTAssertTrue("\(error)".contains("shape"), "\(error)")
        }
        XCTAssertThrowsError(try Evaluator().run(g, inputs: ["x": .i64([1, 2, 3])])) { error in
            XCTAssertTrue("\(error)".contains("element type i64"), "\(error)")
        }
    }

    func testF16AndBF16OutputsArePackedInTheDeclaredType() throws {
        // Softmax computes in f32; the evaluator packs its result as the node's f16 (0.5 is exact)
        let h = Tensor(.f16, dims: [2], values: [Float16(0), Float16(0)])
        let s = try evaluate(Softmax(axis: 0), [h])[0]
        XCTAssertEqual(s.elementType, .f16)
        XCTAssertEqual(s.elements(Float16.self), [0.5, 0.5])
        // bf16 keeps the top 16 bits of an f32: 1 is 0x3F80, 3 is 0x4040, and 2 + 1 = 3
        let b = Tensor(.bf16, dims: [2], values: [UInt16(0x3F80), 0x4000])
        let c = Tensor(.bf16, dims: [2], values: [UInt16(0x4000), 0x3F80])
        let sum = try evaluate(Add(), [b, c])[0]
        XCTAssertEqual(sum.elementType, .bf16)
        XCTAssertEqual(sum.elements(UInt16.self), [0x4040, 0x4040])
    }

    func testAnOutputTypeTheGraphLeftDynamicIsInferredFromTheInputs() throws {
        // The parameter's element type is dynamic, so Softmax's declared type is too; fed f16, it returns f16.
        let g = Graph()
        let x = try g.addParameter("x", TensorType(.dynamic, .fixed([4])))
        let s = try g.add(Softmax(axis: 0), [x.output()], name: "softmax")
        try g.addResult(s.output(), name: "y")
        XCTAssertEqual(s.outputTypes[0].elementType, .dynamic)
        let y = try Evaluator().run(g, inputs: ["x": Tensor(.f16, dims: [4], values: [Float16](repeating: 1, count: 4))])[0]
        XCTAssertEqual(y.elementType, .f16)
        XCTAssertEqual(y.elements(Float16.self), [0.25, 0.25, 0.25, 0.25])
    }

    func testUnsupportedElementTypesAreRejectedClearly() throws {
        let s = Tensor(strings: ["a"], dims: [1])
        XCTAssertThrowsError(try evaluate(Sigmoid(), [s])) { error in
            XCTAssertEqual((error as? EvaluatorError)?.node, "node")
            XCTAssertTrue("\(error)".contains("element type string"), "\(error)")
        }
    }

    func testEveryYoloOpHasAKernel() {
        let ops = Set(Evaluator().supportedOpTypes)
        for op in ["Const", "Parameter", "Result", "Add", "Convolution", "Multiply", "Sigmoid", "Concat", "VariadicSplit",
                   "Reshape", "MaxPool", "Interpolate", "Transpose", "SoftMax", "Subtract", "Divide"] {
            XCTAssertTrue(ops.contains(op), op)
        }
    }
}

final class EvaluatorLifetimeTests: XCTestCase {
    /// A value read by an early Result and by a later node must still come back whole.
    /// One node on given values, as constant folding calls it: [1, 2] + [10, 20] = [11, 22].
    func testEvaluatesOneNodeOnGivenValues() throws {
        let g = Graph(name: "g")
        let add = try g.add(Add(), [g.constant(.f32([1, 2]), name: "a"), g.constant(.f32([0, 0]), name: "b")], name: "add")
        XCTAssertEqual(try Evaluator().evaluate(add, inputs: [.f32([1, 2]), .f32([10, 20])]), [.f32([11, 22])])
        XCTAssertTrue(Evaluator().hasKernel(for: Add()))
        XCTAssertThrowsError(try Evaluator().evaluate(add, inputs: [.f32([1, 2])])) { XCTAssertTrue("\($0)".contains("'add'"), "\($0)") }
    }

    func testValuesReadByAResultAndALaterNodeSurvive() throws {
        let g = Graph()
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let e = try g.add(Exp(), [x.output()], name: "e")
        try g.addResult(e.output(), name: "first")
        let n = try g.add(Negative(), [e.output()], name: "n")
        let m = try g.add(Multiply(), [n.output(), e.output()], name: "m")
        try g.addResult(m.output(), name: "second")
        let out = try Evaluator().run(g, inputs: ["x": .f32([0, 1])])
        let e1 = Float(M_E)
        XCTAssertEqual(out[0].doubleValues()?.map(Float.init), [1, e1])
        XCTAssertEqual(out[1].doubleValues()?.map(Float.init) ?? [], [-1, -e1 * e1], accuracy: 1e-5)
    }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

/// An op no kernel exists for.
private struct NoKernelOp: UnaryElementwiseOp {
    static let type = "NoKernelOp"
    static let version = "test"
    init() {}
}
