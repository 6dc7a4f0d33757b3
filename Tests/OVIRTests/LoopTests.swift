import XCTest
@testable import OVIR

final class LoopTests: XCTestCase {
    private let i64Scalar = TensorType(.i64, .scalar), boolScalar = TensorType(.boolean, .scalar)

    /// Body: Parameter p (`type`) -> Relu -> Result 0 (the value), Result 1 = `condition` (a Const, or Less(ReduceSum(value), 10)).
    private func reluBody(_ type: TensorType, condition: Bool?) throws -> Graph {
        let g = Graph()
        let p = try g.addParameter("p", type)
        let relu = try g.add(Relu(), [p.output()], name: "relu")
        try g.addResult(relu.output(), name: "value")
        if let condition {
            try g.addResult(try g.constant(.boolean([condition], dims: []), name: "cond"), name: "cond")
        } else {
            let sum = try g.add(ReduceSum(keepDims: false), [relu.output(), g.constant(.i64([0, 1]), name: "axes")], name: "sum")
            let less = try g.add(Less(), [sum.output(), g.constant(.scalar(f32: 10), name: "ten")], name: "less")
            try g.addResult(less.output(), name: "cond")
        }
        return g
    }

    private func reluLoop(_ type: TensorType, condition: Bool?) throws -> Loop {
        Loop(body: try reluBody(type, condition: condition), bodyInputs: [.invariant(input: 2, parameter: 0)],
             bodyOutputs: [.last(result: 0, output: 0), .concatenated(result: 0, output: 1, axis: 1)], bodyConditionOutputIndex: 1)
    }

    private func inputs(trip: Int?, run: Bool?, _ x: TensorType) -> [InferenceInput] {
        [InferenceInput(i64Scalar, constant: trip.map { .scalar(i64: $0) }),
         InferenceInput(boolScalar, constant: run.map { .boolean([$0], dims: []) }), InferenceInput(x)]
    }

    func testConstantTripCountAndAlwaysTrueConditionGiveAStaticConcatenation() throws {
        // 4 iterations of a [1,2] value concatenated along axis 1: [1,8] (openvino 2026.4.1 infers the same).
        let x = TensorType(.f32, .fixed([1, 2]))
        XCTAssertEqual(try reluLoop(x, condition: true).inferTypes(inputs(trip: 4, run: true, x)),
                       [TensorType(.f32, .fixed([1, 2])), TensorType(.f32, .fixed([1, 8]))])
    }

    func testAnUnknownIterationCountGivesADynamicConcatenatedDim() throws {
        let x = TensorType(.f32, .fixed([1, 2]))
        let computed = TensorType(.f32, .ranked([.fixed(1), .dynamic]))
        XCTAssertEqual(try reluLoop(x, condition: nil).inferTypes(inputs(trip: 4, run: true, x))[1], computed, "the body condition is computed")
        XCTAssertEqual(try reluLoop(x, condition: true).inferTypes(inputs(trip: nil, run: true, x))[1], computed, "the trip count is an input")
        XCTAssertEqual(try reluLoop(x, condition: true).inferTypes(inputs(trip: -1, run: true, x))[1], computed, "no trip count limit")
        // A constantly false body condition runs the body once (do-while).
        XCTAssertEqual(try reluLoop(x, condition: false).inferTypes(inputs(trip: nil, run: true, x))[1], x)
    }

    func testAConstantlyFalseExecutionConditionGivesEmptyOutputs() throws {
        let x = TensorType(.f32, .fixed([1, 2]))
        XCTAssertEqual(try reluLoop(x, condition: true).inferTypes(inputs(trip: 4, run: false, x)),
                       [TensorType(.f32, .fixed([0, 2])), TensorType(.f32, .fixed([0]))])
    }

    /// Body: p [1,1] -> Concat(p, zeros[1,1], axis 1) -> Result (back edge to p, and the last-value output).
    /// The first pass gives [1,2] against p's [1,1], so p widens to [1,?]; the Concat then gives [1,1..] (1 plus
    /// anything), compatible with [1,?]: stable. openvino 2026.4.1 infers [1,1..] and, at 3 iterations, [3,1..].
    func testABackEdgeWidensItsParameterUntilTheBodyIsStable() throws {
        let g = Graph()
        let p = try g.addParameter("p", TensorType(.f32, .fixed([1, 1])))
        let cat = try g.add(Concat(axis: 1), [p.output(), g.constant(.f32([0], dims: [1, 1]), name: "zero")], name: "cat")
        try g.addResult(cat.output(), name: "r")
        try g.addResult(try g.constant(.boolean([true], dims: []), name: "yes"), name: "cond")
        let loop = Loop(body: g, bodyInputs: [.merged(input: 2, parameter: 0, backEdgeFrom: 0)],
                        bodyOutputs: [.last(result: 0, output: 0), .concatenated(result: 0, output: 1, axis: 0)], bodyConditionOutputIndex: 1)
        let x = TensorType(.f32, .fixed([1, 1]))
        let growing = Dim(lower: 1, upper: nil)
        XCTAssertEqual(try loop.inferTypes(inputs(trip: 3, run: true, x)),
                       [TensorType(.f32, .ranked([.fixed(1), growing])), TensorType(.f32, .ranked([.fixed(3), growing]))])
        XCTAssertEqual(try loop.bodyParameterTypes(inputs(trip: 3, run: true, x)), [[0: TensorType(.f32, .ranked([.fixed(1), .dynamic]))]])

        // In a graph, the body's Parameter takes the widened type.
        let outer = Graph(name: "m")
        let xs = try outer.addParameter("x", x)
        let node = try outer.add(loop, [outer.constant(.scalar(i64: 3), name: "trip"), outer.constant(.boolean([true], dims: []), name: "run"), xs.output()], name: "loop")
        try outer.addResult(node.output(0), name: "y")
        XCTAssertEqual(g.parameters[0].outputTypes, [TensorType(.f32, .ranked([.fixed(1), .dynamic]))])
        XCTAssertEqual(cat.outputTypes, [TensorType(.f32, .ranked([.fixed(1), growing]))])
        try outer.verify()
    }

    func testCurrentIterationAndPortsAreChecked() throws {
        let x = TensorType(.f32, .fixed([1, 2]))
        let body = try reluBody(x, condition: true)
        try body.addParameter("i", TensorType(.i64, .fixed([1, 1])))
        var loop = Loop(body: body, bodyInputs: [.invariant(input: 2, parameter: 0)], bodyOutputs: [.last(result: 0, output: 0)],
                        currentIterationInputIndex: 1, bodyConditionOutputIndex: 1)
        XCTAssertThrowsError(try loop.inferTypes(inputs(trip: 2, run: true, x))) { error in
            XCTAssertEqual("\(error)", "the current iteration Parameter must be of rank 0 or 1, got 1,1")
        }
        loop.currentIterationInputIndex = -1
        XCTAssertThrowsError(try loop.inferTypes(inputs(trip: 2, run: true, x))) { error in
            XCTAssertEqual("\(error)", "body: Parameter #1 'i' is fed by no input")
        }
        loop = try reluLoop(x, condition: true)
        loop.bodyConditionOutputIndex = 5
        XCTAssertThrowsError(try loop.inferTypes(inputs(trip: 2, run: true, x)))
        loop = try reluLoop(x, condition: true)
        XCTAssertThrowsError(try loop.inferTypes(inputs(trip: 2, run: true, x) + [InferenceInput(x)])) { error in
            XCTAssertEqual("\(error)", "input 3 feeds no body Parameter")
        }
        loop.bodyOutputs[1] = BodyOutput(result: 0, output: 1, kind: .concatenated(BodyConcatenation(axis: 0, stride: -1)))
        XCTAssertThrowsError(try loop.inferTypes(inputs(trip: 2, run: true, x)))
    }
}
