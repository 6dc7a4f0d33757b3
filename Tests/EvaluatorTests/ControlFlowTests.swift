import XCTest
import OVIR
@testable import Evaluator

final class ControlFlowTests: XCTestCase {
    // MARK: If

    /// If(c, x [2]) with two outputs: then (x * 10, x), else (x - 1, [7, 7]).
    private func ifModel() throws -> Graph {
        let thenBody = Graph()
        let tx = try thenBody.addParameter("tx", TensorType(.f32, .fixed([2])))
        let times = try thenBody.add(Multiply(), [tx.output(), thenBody.constant(.scalar(f32: 10), name: "ten")], name: "times")
        try thenBody.addResult(times.output(), name: "t0")
        try thenBody.addResult(tx.output(), name: "t1")
        let elseBody = Graph()
        let ex = try elseBody.addParameter("ex", TensorType(.f32, .fixed([2])))
        let minus = try elseBody.add(Subtract(), [ex.output(), elseBody.constant(.scalar(f32: 1), name: "one")], name: "minus")
        try elseBody.addResult(minus.output(), name: "e0")
        try elseBody.addResult(try elseBody.constant(.f32([7, 7]), name: "sevens"), name: "e1")
        let g = Graph(name: "if")
        let c = try g.addParameter("c", TensorType(.boolean, .scalar))
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let node = try g.add(If(then: thenBody, else: elseBody, thenInputs: [.invariant(input: 1, parameter: 0)],
                                elseInputs: [.invariant(input: 1, parameter: 0)]), [c.output(), x.output()], name: "if")
        try g.addResult(node.output(0), name: "y0")
        try g.addResult(node.output(1), name: "y1")
        return g
    }

    func testIfRunsTheBranchTheConditionPicks() throws {
        let g = try ifModel()
        let x = Tensor.f32([1, 2])
        let taken = try Evaluator().run(g, inputs: ["c": .boolean([true], dims: []), "x": x])
        XCTAssertEqual(floats(taken[0]), [10, 20])
        XCTAssertEqual(floats(taken[1]), [1, 2])
        let other = try Evaluator().run(g, inputs: ["c": .boolean([false], dims: []), "x": x])
        XCTAssertEqual(floats(other[0]), [0, 1])
        XCTAssertEqual(floats(other[1]), [7, 7])
    }

    // MARK: Loop

    /// Loop(trip, run, x [1,2], limit): acc (merged from x) and i (current iteration, i64 scalar); next = acc + f32(i);
    /// continues while sum(next) < limit. Outputs: last next, every next along axis 0, every i along axis 0.
    private func loopModel() throws -> Graph {
        let body = Graph()
        let acc = try body.addParameter("acc", TensorType(.f32, .fixed([1, 2])))
        let i = try body.addParameter("i", TensorType(.i64, .scalar))
        let limit = try body.addParameter("limit", TensorType(.f32, .scalar))
        let next = try body.add(Add(), [acc.output(), body.add(Convert(.f32), [i.output()], name: "fi").output()], name: "next")
        let sum = try body.add(ReduceSum(keepDims: false), [next.output(), body.constant(.i64([0, 1]), name: "axes")], name: "sum")
        let going = try body.add(Less(), [sum.output(), limit.output()], name: "going")
        try body.addResult(going.output(), name: "cond")
        try body.addResult(next.output(), name: "next_r")
        try body.addResult(i.output(), name: "i_r")
        let loop = Loop(body: body, bodyInputs: [.merged(input: 2, parameter: 0, backEdgeFrom: 1), .invariant(input: 3, parameter: 2)],
                        bodyOutputs: [.last(result: 1, output: 0), .concatenated(result: 1, output: 1, axis: 0),
                                      .concatenated(result: 2, output: 2, axis: 0)],
                        currentIterationInputIndex: 1, bodyConditionOutputIndex: 0)
        let g = Graph(name: "loop")
        let trip = try g.addParameter("trip", TensorType(.i64, .scalar))
        let run = try g.addParameter("run", TensorType(.boolean, .scalar))
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 2])))
        let limitInput = try g.addParameter("limit", TensorType(.f32, .scalar))
        let node = try g.add(loop, [trip.output(), run.output(), x.output(), limitInput.output()], name: "loop")
        for k in 0..<3 { try g.addResult(node.output(k), name: "y\(k)") }
        try g.verify()
        return g
    }

    private func runLoop(trip: Int, run: Bool = true, limit: Float) throws -> [Tensor] {
        try Evaluator().run(try loopModel(), inputs: ["trip": .scalar(i64: trip), "run": .boolean([run], dims: []),
                                                      "x": .f32([1, 2], dims: [1, 2]), "limit": .scalar(f32: limit)])
    }

    func testLoopWithoutTripCountEndsOnTheBodyCondition() throws {
        // next = acc + i: [1,2] (sum 3), [2,3] (5), [4,5] (9), [7,8] (15), [11,12] (23 >= 20: the last iteration).
        // (openvino 2026.4.1's CPU plugin gives the same for this loop.)
        let out = try runLoop(trip: -1, limit: 20)
        XCTAssertEqual(out[0].dims, [1, 2])
        XCTAssertEqual(floats(out[0]), [11, 12])
        XCTAssertEqual(out[1].dims, [5, 2])
        XCTAssertEqual(floats(out[1]), [1, 2, 2, 3, 4, 5, 7, 8, 11, 12])
        XCTAssertEqual(out[2].dims, [5])
        XCTAssertEqual(out[2].intValues(), [0, 1, 2, 3, 4])
        XCTAssertEqual(out[2].elementType, .i64)
    }

    func testLoopEndsOnTheTripCount() throws {
        let out = try runLoop(trip: 2, limit: 1000)
        XCTAssertEqual(floats(out[0]), [2, 3])
        XCTAssertEqual(out[1].dims, [2, 2])
        XCTAssertEqual(floats(out[1]), [1, 2, 2, 3])
        XCTAssertEqual(out[2].intValues(), [0, 1])
    }

    func testALoopThatDoesNotRunGivesTheMergedInputAndEmptyConcatenations() throws {
        let out = try runLoop(trip: 5, run: false, limit: 1000)
        XCTAssertEqual(out[0].dims, [1, 2])
        XCTAssertEqual(floats(out[0]), [1, 2], "the back edge's initial value, as OpenVINO's CPU plugin gives it")
        XCTAssertEqual(out[1].dims, [0, 2])
        XCTAssertEqual(out[2].dims, [0])
    }

    /// Body: p -> Concat(p, [[0]], axis 1) with a back edge: each iteration's value is one column wider than the last.
    private func growingLoop(concatenate: Bool) throws -> Graph {
        let body = Graph()
        let p = try body.addParameter("p", TensorType(.f32, .fixed([1, 1])))
        let wider = try body.add(Concat(axis: 1), [p.output(), body.constant(.f32([0], dims: [1, 1]), name: "zero")], name: "wider")
        try body.addResult(wider.output(), name: "r")
        try body.addResult(try body.constant(.boolean([true], dims: []), name: "yes"), name: "cond")
        var outputs: [BodyOutput] = [.last(result: 0, output: 0)]
        if concatenate { outputs.append(.concatenated(result: 0, output: 1, axis: 0)) }
        let g = Graph(name: "growing")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 1])))
        let node = try g.add(Loop(body: body, bodyInputs: [.merged(input: 2, parameter: 0, backEdgeFrom: 0)], bodyOutputs: outputs,
                                  bodyConditionOutputIndex: 1),
                             [g.constant(.scalar(i64: 3), name: "trip"), g.constant(.boolean([true], dims: []), name: "run"), x.output()],
                             name: "loop")
        for k in 0..<node.outputCount { try g.addResult(node.output(k), name: "y\(k)") }
        return g
    }

    func testABackEdgeMayChangeTheValuesShape() throws {
        let out = try Evaluator().run(try growingLoop(concatenate: false), inputs: ["x": .f32([5], dims: [1, 1])])
        XCTAssertEqual(out[0].dims, [1, 4])
        XCTAssertEqual(floats(out[0]), [5, 0, 0, 0])
    }

    func testErrorsNameTheLoop() throws {
        XCTAssertThrowsError(try Evaluator().run(try growingLoop(concatenate: true), inputs: ["x": .f32([5], dims: [1, 1])])) { error in
            XCTAssertEqual("\(error)", "while evaluating Loop node 'loop': iteration 1's value f32 [1, 3] does not concatenate with iteration 0's f32 [1, 2] along axis 0")
        }
    }

    func testMissingKernelsInBodiesAreFound() throws {
        XCTAssertEqual(Evaluator().missingKernels(in: try loopModel()), [])
        XCTAssertTrue(Evaluator().hasKernel(for: If()) && Evaluator().hasKernel(for: Loop()))
    }
}
