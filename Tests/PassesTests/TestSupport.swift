import XCTest
import Evaluator
import OVIR
@testable import Passes

/// Fails with the first structural difference when `graph` does not match `expected`.
func assertSameGraph(_ graph: Graph, _ expected: Graph, file: StaticString = #filePath, line: UInt = #line) {
    if let difference = graph.firstDifference(from: expected) { XCTFail(difference, file: file, line: line) }
}

/// Runs `pass` on `graph` after copying it, checks the rewritten graph with `verify()`, and checks that both
/// graphs compute the same outputs for `inputs`. Returns the pass result.
@discardableResult
func runChecked(_ pass: any Pass, on graph: Graph, inputs: [String: Tensor], file: StaticString = #filePath,
                line: UInt = #line) throws -> PassResult {
    let before = try graph.copy()
    let result = try pass.run(on: graph)
    try graph.verify()
    let expected = try Evaluator().run(before, inputs: inputs), actual = try Evaluator().run(graph, inputs: inputs)
    XCTAssertEqual(actual, expected, "\(pass.name) changed the outputs", file: file, line: line)
    return result
}

/// `fused_names` rt_info as the passes write it.
func fusedNames(_ names: String) -> RTAttribute {
    RTAttribute(name: "fused_names", values: [("value", names)])
}
