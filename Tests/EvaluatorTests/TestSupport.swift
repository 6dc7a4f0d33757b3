import XCTest
import OVIR
@testable import Evaluator

/// Builds Parameter `x` (fed `inputs[0]`) → op ← Consts (the other inputs), with one Result per output,
/// and evaluates it.
func evaluate(_ op: any Op, _ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line) throws -> [Tensor] {
    let graph = Graph(name: "test")
    let x = try graph.addParameter("x", inputs[0].type)
    var args = [x.output()]
    for (i, t) in inputs.dropFirst().enumerated() { args.append(try graph.constant(t, name: "c\(i)")) }
    let node = try graph.add(op, args, name: "node")
    for i in 0..<node.outputCount { try graph.addResult(node.output(i), name: "out\(i)") }
    return try Evaluator().run(graph, inputs: ["x": inputs[0]])
}

func floats(_ t: Tensor) -> [Float] { t.elements(Float.self) }

func assertClose(_ actual: [Float], _ expected: [Float], accuracy: Float = 1e-5,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= accuracy * max(1, abs(e))) {
        XCTFail("element \(i): \(a) is not \(e)", file: file, line: line)
        return
    }
}

/// 0, 1, 2, ... as f32 of the given dims.
func iota(_ dims: [Int], scale: Float = 1, offset: Float = 0) -> Tensor {
    .f32((0..<dims.reduce(1, *)).map { Float($0) * scale + offset }, dims: dims)
}
