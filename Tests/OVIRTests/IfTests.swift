import XCTest
@testable import OVIR

final class IfTests: XCTestCase {
    /// A body with one Parameter of `type` and one Result.
    private func body(_ type: TensorType, _ make: (Graph, Output) throws -> Output) throws -> Graph {
        let g = Graph()
        let p = try g.addParameter("p", type)
        try g.addResult(try make(g, p.output()), name: "r")
        return g
    }

    /// then: p * 2 (shape of p); else: Concat(p, p, axis 0) (twice the rows).
    private func branches(_ type: TensorType) throws -> If {
        let thenBody = try body(type) { g, p in try g.add(Multiply(), [p, g.constant(.scalar(f32: 2), name: "two")], name: "mul").output() }
        let elseBody = try body(type) { g, p in try g.add(Concat(axis: 0), [p, p], name: "cat").output() }
        return If(then: thenBody, else: elseBody, thenInputs: [.invariant(input: 1, parameter: 0)],
                  elseInputs: [.invariant(input: 1, parameter: 0)])
    }

    private func inputs(condition: Tensor? = nil, _ x: TensorType) -> [InferenceInput] {
        [InferenceInput(TensorType(.boolean, .scalar), constant: condition), InferenceInput(x)]
    }

    func testBranchesOfDifferentStaticShapesGiveTheRangeBetweenThem() throws {
        // then [2,3], else [4,3]: OpenVINO gives [2..4,3] (its Python API prints shape[2..4,3] for this model).
        let op = try branches(TensorType(.f32, .fixed([2, 3])))
        XCTAssertEqual(try op.inferTypes(inputs(TensorType(.f32, .fixed([2, 3])))),
                       [TensorType(.f32, .ranked([Dim(lower: 2, upper: 4), .fixed(3)]))])
    }

    func testAConstantConditionGivesTheTakenBranchsType() throws {
        let op = try branches(TensorType(.f32, .fixed([2, 3])))
        XCTAssertEqual(try op.inferTypes(inputs(condition: .boolean([true], dims: []), TensorType(.f32, .fixed([2, 3])))),
                       [TensorType(.f32, .fixed([2, 3]))])
        XCTAssertEqual(try op.inferTypes(inputs(condition: .boolean([false], dims: [1]), TensorType(.f32, .fixed([2, 3])))),
                       [TensorType(.f32, .fixed([4, 3]))])
        XCTAssertEqual(try op.bodyParameterTypes(inputs(condition: .boolean([false], dims: []), TensorType(.f32, .fixed([2, 3])))).map { $0 == nil },
                       [true, false], "the branch not taken is not inferred")
    }

    func testShapeMergeAsOpenVINOResolvesIt() {
        // Checked against openvino 2026.4.1: [2] | [] -> [?]; [2,3] | [3] -> dynamic rank; [2,?] | [2,3] -> [2,?].
        XCTAssertEqual(If.merge(.fixed([2]), .scalar), .ranked([.dynamic]))
        XCTAssertEqual(If.merge(.fixed([2, 3]), .fixed([3])), .dynamicRank)
        XCTAssertEqual(If.merge(.ranked([.fixed(2), .dynamic]), .fixed([2, 3])), .ranked([.fixed(2), .dynamic]))
        XCTAssertEqual(If.merge(.ranked([Dim(lower: 1, upper: 4)]), .fixed([4])), .ranked([.dynamic]), "a bounded dim is dynamic to OpenVINO")
        XCTAssertEqual(If.merge(.fixed([5, 1]), .fixed([5, 1])), .fixed([5, 1]))
        XCTAssertEqual(If.merge(.dynamicRank, .fixed([1])), .dynamicRank)
    }

    func testElementTypesMustAgreeUnlessOneIsDynamic() throws {
        let thenBody = try body(TensorType(.f32, .fixed([2]))) { _, p in p }
        let elseBody = try body(TensorType(.f32, .fixed([2]))) { g, p in try g.add(Convert(.i32), [p], name: "to_i32").output() }
        let op = If(then: thenBody, else: elseBody, thenInputs: [.invariant(input: 1, parameter: 0)], elseInputs: [.invariant(input: 1, parameter: 0)])
        XCTAssertThrowsError(try op.inferTypes(inputs(TensorType(.f32, .fixed([2]))))) { error in
            XCTAssertEqual("\(error)", "output 0: then_body gives f32, else_body i32")
        }
    }

    func testAnInputTypeChangeUpstreamReinfersTheBodies() throws {
        let g = Graph(name: "m")
        let c = try g.addParameter("c", TensorType(.boolean, .scalar))
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(3)])))
        let op = try branches(TensorType(.f32, .ranked([.dynamic, .fixed(3)])))
        let node = try g.add(op, [c.output(), x.output()], name: "if")
        try g.addResult(node.output(), name: "y")
        XCTAssertEqual(node.outputTypes, [TensorType(.f32, .ranked([.dynamic, .fixed(3)]))])

        try g.replaceOp(of: x, with: Parameter(elementType: .f32, shape: .fixed([5, 3])))
        XCTAssertEqual(op.thenBody.parameters[0].outputTypes, [TensorType(.f32, .fixed([5, 3]))])
        XCTAssertEqual(op.elseBody.results[0].inputs[0].type, TensorType(.f32, .fixed([10, 3])))
        XCTAssertEqual(node.outputTypes, [TensorType(.f32, .ranked([Dim(lower: 5, upper: 10), .fixed(3)]))])
        try g.verify()
    }

    func testPortMapsAreChecked() throws {
        var op = try branches(TensorType(.f32, .fixed([2])))
        op.elseInputs = []
        XCTAssertThrowsError(try op.inferTypes(inputs(TensorType(.f32, .fixed([2]))))) { error in
            XCTAssertEqual("\(error)", "else_body: Parameter #0 'p' is fed by no input")
        }
        op.elseInputs = [.invariant(input: 0, parameter: 0)]
        XCTAssertThrowsError(try op.inferTypes(inputs(TensorType(.f32, .fixed([2]))))) { error in
            XCTAssertEqual("\(error)", "else_body: port map reads input 0, the op has inputs 1..<2")
        }
        op.elseInputs = [.invariant(input: 1, parameter: 0)]
        op.thenOutputs = [.last(result: 0, output: 1)]
        XCTAssertThrowsError(try op.inferTypes(inputs(TensorType(.f32, .fixed([2])))))
        XCTAssertThrowsError(try branches(TensorType(.f32, .fixed([2]))).inferTypes(
            [InferenceInput(TensorType(.boolean, .fixed([1, 1]))), InferenceInput(TensorType(.f32, .fixed([2])))]), "a rank-2 condition")
    }

    func testEqualityComparesBodiesStructurally() throws {
        let a = try branches(TensorType(.f32, .fixed([2]))), b = try branches(TensorType(.f32, .fixed([2])))
        XCTAssertFalse(a.thenBody === b.thenBody)
        XCTAssertEqual(a, b)
        let other = If(then: b.elseBody, else: b.thenBody, thenInputs: b.thenInputs, elseInputs: b.elseInputs)
        XCTAssertNotEqual(a, other)
    }
}
