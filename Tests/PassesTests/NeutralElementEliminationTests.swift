import XCTest
import OVIR
@testable import Passes

final class NeutralElementEliminationTests: XCTestCase {
    /// A graph with the input x f32 [2, 3, 4] and one Result "out" reading what `body` builds (tensor name "y").
    private func graph(_ body: (Graph, Output) throws -> Output) throws -> Graph {
        try oneInputGraph(.fixed([2, 3, 4]), body)
    }

    private let inputs: [String: Tensor] = ["x": .f32((0..<24).map { Float($0) - 7.5 }, dims: [2, 3, 4])]

    private func run(_ g: Graph, rules: [String: Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(NeutralElementElimination(), on: g, inputs: inputs, file: file, line: line)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: result.rewrites.map { ($0.rule, $0.count) }), rules, file: file, line: line)
    }

    /// x + 0 (a zero bias [1, 3, 1] as a folded batch norm leaves), 0 + x, x - 0, x * 1 (f32 ones [4]), 1 * x,
    /// x / 1 each become x.
    func testNeutralArithmeticGoes() throws {
        let zeroBias = Tensor.f32([0, 0, 0], dims: [1, 3, 1]), ones = Tensor.f32([1, 1, 1, 1], dims: [4])
        let cases: [(String, (Graph, Output) throws -> Output)] = [
            ("AddZero", { g, x in try g.op(Add(), x, g.constant(zeroBias, name: "b"), name: "y") }),
            ("AddZero", { g, x in try g.op(Add(), g.constant(zeroBias, name: "b"), x, name: "y") }),
            ("SubtractZero", { g, x in try g.op(Subtract(), x, g.constant(.scalar(f32: 0), name: "b"), name: "y") }),
            ("MultiplyOne", { g, x in try g.op(Multiply(), x, g.constant(ones, name: "s"), name: "y") }),
            ("MultiplyOne", { g, x in try g.op(Multiply(), g.constant(ones, name: "s"), x, name: "y") }),
            ("DivideOne", { g, x in try g.op(Divide(), x, g.constant(.scalar(f32: 1), name: "s"), name: "y") }),
        ]
        for (rule, body) in cases {
            let g = try graph(body)
            try run(g, rules: [rule: 1])
            assertSameGraph(g, try graph { _, x in x })
        }
    }

    /// Not neutral: a bias with one non-zero element, 0 - x (negates), 1 / x, and x + 0 where the zeros
    /// broadcast x to a larger shape [2, 2, 3, 4]: nothing changes.
    func testArithmeticThatChangesTheValueOrShapeStays() throws {
        let bodies: [(Graph, Output) throws -> Output] = [
            { g, x in try g.op(Add(), x, g.constant(.f32([0, 0, 1e-7], dims: [1, 3, 1]), name: "b"), name: "y") },
            { g, x in try g.op(Subtract(), g.constant(.scalar(f32: 0), name: "b"), x, name: "y") },
            { g, x in try g.op(Divide(), g.constant(.scalar(f32: 1), name: "b"), x, name: "y") },
            { g, x in try g.op(Add(), x, g.constant(Tensor.f32(Array(repeating: 0, count: 48), dims: [2, 2, 3, 4]), name: "b"), name: "y") },
        ]
        for body in bodies {
            let g = try graph(body)
            try run(g, rules: [:])
            assertSameGraph(g, try graph(body))
        }
    }

    /// Convert to f32 of an f32 value, Transpose [0, 1, 2], Slice of whole axes with step 1, Pad of zeros: each goes.
    /// A Transpose [0, 2, 1], a Slice with step -1 (reverses), a Pad of one, a Convert to f16: each stays.
    func testOpsThatChangeNothingGo() throws {
        let i64 = { (v: [Int]) in Tensor.i64(v) }
        let gone: [(String, (Graph, Output) throws -> Output)] = [
            ("ConvertToOwnType", { g, x in try g.op(Convert(.f32), x, name: "y") }),
            ("IdentityTranspose", { g, x in try g.op(Transpose(), x, g.constant(i64([0, 1, 2]), name: "p"), name: "y") }),
            ("WholeSlice", { g, x in
                try g.op(Slice(), x, g.constant(i64([0, 0]), name: "a"), g.constant(i64([100, 100]), name: "b"),
                         g.constant(i64([1, 1]), name: "c"), name: "y") }),
            ("WholeSliceWithAxes", { g, x in
                try g.op(Slice(), x, g.constant(i64([0]), name: "a"), g.constant(i64([4]), name: "b"),
                         g.constant(i64([1]), name: "c"), g.constant(i64([2]), name: "d"), name: "y") }),
            ("PadNothing", { g, x in
                try g.op(Pad(), x, g.constant(i64([0, 0, 0]), name: "a"), g.constant(i64([0, 0, 0]), name: "b"), name: "y") }),
        ]
        for (rule, body) in gone {
            let g = try graph(body)
            try run(g, rules: [rule: 1])
            assertSameGraph(g, try graph { _, x in x })
        }
        let kept: [(Graph, Output) throws -> Output] = [
            { g, x in try g.op(Convert(.f16), x, name: "y") },
            { g, x in try g.op(Transpose(), x, g.constant(i64([0, 2, 1]), name: "p"), name: "y") },
            { g, x in
                try g.op(Slice(), x, g.constant(i64([-1]), name: "a"), g.constant(i64([-100]), name: "b"),
                         g.constant(i64([-1]), name: "c"), g.constant(i64([2]), name: "d"), name: "y") },
            { g, x in try g.op(Pad(), x, g.constant(i64([0, 0, 1]), name: "a"), g.constant(i64([0, 0, 0]), name: "b"), name: "y") },
        ]
        for body in kept {
            let g = try graph(body)
            try run(g, rules: [:])
            assertSameGraph(g, try graph(body))
        }
    }
}
