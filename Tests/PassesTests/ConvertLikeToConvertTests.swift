import XCTest
import OVIR
@testable import Passes

final class ConvertLikeToConvertTests: XCTestCase {
    /// y = x * ConvertLike(Const f16 2, x) -> x * Convert(Const f16 2, f32), the Convert named after the
    /// ConvertLike; x is read once less.
    func testConvertLikeOfAKnownTypeBecomesConvert() throws {
        let two = Tensor(.f16, dims: [], integers: [Float16(2).bitPattern])
        let g = try model { g, x in
            try g.op(Multiply(), x, g.op(ConvertLike(), g.constant(two, name: "two"), x, name: "c"), name: "y")
        }
        let result = try runChecked(ConvertLikeToConvert(), on: g, inputs: modelInputs)
        XCTAssertEqual(result.rewrites, [RuleFiring(rule: "ConvertLike", count: 1)])

        let e = try model { g, x in
            let convert = try g.add(Convert(.f32), [g.constant(two, name: "two")], name: "c")
            convert.rtInfo = [fusedNames("c")]
            return try g.op(Multiply(), x, convert.output(), name: "y")
        }
        assertSameGraph(g, e)
    }

    /// Like a Parameter of dynamic element type: the target type is unknown, and the ConvertLike stays.
    func testConvertLikeOfAnUnknownTypeStays() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let like = try g.addParameter("like", TensorType(.dynamic, .fixed([2])))
        try g.addResult(g.op(ConvertLike(), x.output(), like.output(), name: "y"), name: "out")
        let before = try g.copy()
        XCTAssertEqual(try ConvertLikeToConvert().run(on: g), PassResult(changed: false))
        try g.verify()
        assertSameGraph(g, before)
    }
}
