import XCTest
import Evaluator
import OVIR
@testable import Passes

/// Fails with the first structural difference when `graph` does not match `expected`.
func assertSameGraph(_ graph: Graph, _ expected: Graph, file: StaticString = #filePath, line: UInt = #line) {
    if let difference = graph.firstDifference(from: expected) { XCTFail(difference, file: file, line: line) }
}

/// Runs `pass` on `graph` after copying it, checks the rewritten graph with `verify()`, and checks that both
/// graphs compute the same outputs for `inputs`: bit for bit, or within `tolerance` (absolute and relative)
/// when a rewrite computes the same function another way. Returns the pass result.
@discardableResult
func runChecked(_ pass: any Pass, on graph: Graph, inputs: [String: Tensor], tolerance: Double = 0,
                file: StaticString = #filePath, line: UInt = #line) throws -> PassResult {
    let before = try graph.copy()
    let result = try pass.run(on: graph)
    try graph.verify()
    let expected = try Evaluator().run(before, inputs: inputs), actual = try Evaluator().run(graph, inputs: inputs)
    if tolerance == 0 {
        XCTAssertEqual(actual, expected, "\(pass.name) changed the outputs", file: file, line: line)
        return result
    }
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (a, e) in zip(actual, expected) {
        XCTAssertEqual(a.type, e.type, file: file, line: line)
        let x = a.doubleValues() ?? [], y = e.doubleValues() ?? []
        XCTAssertEqual(x.count, y.count, file: file, line: line)
        if let (k, (u, v)) = zip(x, y).enumerated().first(where: { !(abs($1.0 - $1.1) <= tolerance * (1 + abs($1.1))) }) {
            XCTFail("\(pass.name) changed element \(k): \(u) vs \(v)", file: file, line: line)
        }
    }
    return result
}

/// `fused_names` rt_info as the passes write it.
func fusedNames(_ names: String) -> RTAttribute {
    RTAttribute(name: "fused_names", values: [("value", names)])
}

extension Graph {
    /// Adds `op` reading `inputs`, named `name`; returns its output 0 (short graph building in tests).
    func op(_ op: any Op, _ inputs: Output..., name: String) throws -> Output {
        try add(op, inputs, name: name).output()
    }

    /// Adds an f32 scalar Const.
    func scalar(_ value: Float, name: String) throws -> Output {
        try constant(.scalar(f32: value), name: name)
    }
}

/// A graph with the input x f32 [9] and one Result "out" reading what `body` builds from x; that value
/// carries the tensor name "y".
func model(_ body: (Graph, Output) throws -> Output) throws -> Graph {
    let g = Graph(name: "g")
    let x = try g.addParameter("x", TensorType(.f32, .fixed([9])))
    let y = try body(g, x.output())
    g.addTensorNames(["y"], to: y)
    try g.addResult(y, name: "out")
    return g
}

/// Feeds for `model`: x spans the regions activations treat differently (below -3, -3..3, above 3).
let modelInputs: [String: Tensor] = ["x": .f32([-5, -3, -1.5, -0.5, 0, 0.5, 1.5, 3, 5])]

/// A graph "g" with the one input x f32 `shape` and one Result "out" reading what `body` builds from it; that
/// value carries the tensor name "y".
func oneInputGraph(_ shape: Shape, _ body: (Graph, Output) throws -> Output) throws -> Graph {
    let g = Graph(name: "g")
    let x = try g.addParameter("x", TensorType(.f32, shape))
    let y = try body(g, x.output())
    g.addTensorNames(["y"], to: y)
    try g.addResult(y, name: "out")
    return g
}
