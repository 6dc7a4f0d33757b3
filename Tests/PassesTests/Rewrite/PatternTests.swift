import XCTest
import OVIR
@testable import Passes

final class PatternTests: XCTestCase {
    private let x = Pattern.any("x")

    /// The value `body` builds from a fresh input a [2] (b is a second input).
    private func value(_ body: (Graph, Output, Output) throws -> Output) throws -> Output {
        let g = Graph(name: "g")
        let a = try g.addParameter("a", TensorType(.f32, .fixed([2]))), b = try g.addParameter("b", TensorType(.f32, .fixed([2])))
        return try body(g, a.output(), b.output())
    }

    /// x * sigmoid(x) matches a * sigmoid(a) in both input orders, capturing a; the matched nodes are the
    /// Multiply then the Sigmoid.
    func testARepeatedCaptureMatchesTheSameValueInEitherOrder() throws {
        let pattern = x * .op(Sigmoid.self, x)
        for swapped in [false, true] {
            let y = try value { g, a, _ in
                let s = try g.op(Sigmoid(), a, name: "s")
                return try swapped ? g.op(Multiply(), s, a, name: "m") : g.op(Multiply(), a, s, name: "m")
            }
            let found = pattern.matches(y, MatchState())
            XCTAssertEqual(found.count, 1)
            XCTAssertEqual(found.first?.captures["x"]?.node.name, "a")
            XCTAssertEqual(found.first?.nodes.map(\.name), ["m", "s"])
        }
    }

    /// a * sigmoid(b): x cannot be both a and b.
    func testARepeatedCaptureRejectsDifferentValues() throws {
        let y = try value { g, a, b in try g.op(Multiply(), a, g.op(Sigmoid(), b, name: "s"), name: "m") }
        XCTAssertTrue((x * .op(Sigmoid.self, x)).matches(y, MatchState()).isEmpty)
    }

    /// (x + y) * x against (b + a) * a: the first order of the Add binds x = b and fails at the outer
    /// input; the swapped order must still be tried, and binds x = a, y = b.
    func testCommutativeMatchingBacktracksOverCaptures() throws {
        let v = try value { g, a, b in try g.op(Multiply(), g.op(Add(), b, a, name: "s"), a, name: "m") }
        let found = ((x + .any("y")) * x).matches(v, MatchState())
        XCTAssertEqual(found.map { $0.captures["x"]?.node.name }, ["a"])
        XCTAssertEqual(found.map { $0.captures["y"]?.node.name }, ["b"])
    }

    /// Subtract is not commutative: x - 3 does not match 3 - a.
    func testOnlyCommutativeOpsMatchSwapped() throws {
        let v = try value { g, a, _ in try g.op(Subtract(), g.scalar(3, name: "three"), a, name: "d") }
        XCTAssertTrue((x - 3).matches(v, MatchState()).isEmpty)
        XCTAssertEqual((3 - x).matches(v, MatchState()).count, 1)
    }

    /// The literal 3 matches a one-element float Const of 3 (any rank, f32 rounding allowed), and not 3.1,
    /// an i64 3, or [3, 3].
    func testAScalarMatchesOneElementFloatConstsOfThatValue() throws {
        let pattern = x + 3
        func matches(_ c: Tensor) throws -> Bool {
            let v = try value { g, a, _ in try g.op(Add(), a, g.constant(c, name: "c"), name: "s") }
            return !pattern.matches(v, MatchState()).isEmpty
        }
        XCTAssertTrue(try matches(.scalar(f32: 3)))
        XCTAssertTrue(try matches(.f32([3], dims: [1, 1])))
        XCTAssertTrue(try matches(.scalar(f32: Float(3.00001))))
        XCTAssertFalse(try matches(.scalar(f32: 3.1)))
        XCTAssertFalse(try matches(.f32([3, 3])))
        let i = try value { g, _, _ in
            let n = try g.addParameter("n", TensorType(.i64, .fixed([2])))
            return try g.op(Add(), n.output(), g.constant(.scalar(i64: 3), name: "c"), name: "s")
        }
        XCTAssertTrue(pattern.matches(i, MatchState()).isEmpty)
    }

    /// An op pattern's test sees the op's attributes: Clamp(0, 6) matches, Clamp(0, 5) does not.
    func testAnOpPredicateTestsAttributes() throws {
        let pattern = Pattern.op(Clamp.self, x, where: { $0.min == 0 && $0.max == 6 })
        for (max, expected) in [(6.0, 1), (5.0, 0)] {
            let v = try value { g, a, _ in try g.op(Clamp(min: 0, max: max), a, name: "c") }
            XCTAssertEqual(pattern.matches(v, MatchState()).count, expected)
        }
    }

    /// oneOf tries every alternative; `named` captures what the whole pattern matched.
    func testAlternativesAndNamedSubpatterns() throws {
        let v = try value { g, a, _ in try g.op(Relu(), a, name: "r") }
        let pattern = Pattern.oneOf(.op(Sigmoid.self, x), .op(Relu.self, x)).named("act")
        let found = pattern.matches(v, MatchState())
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.captures["act"], v)
        XCTAssertEqual(found.first?.captures["x"]?.node.name, "a")
    }

    /// A node pattern matches any node whose op passes its test, whatever its inputs, and records it as matched.
    func testANodePatternIgnoresTheInputs() throws {
        let v = try value { g, a, b in try g.op(Concat(axis: 0), a, b, a, name: "c") }
        let concat = Pattern.node(where: { $0 is Concat })
        XCTAssertEqual(concat.matches(v, MatchState()).map { $0.nodes.map(\.name) }, [["c"]])
        XCTAssertTrue(Pattern.node(where: { $0 is Relu }).matches(v, MatchState()).isEmpty)
    }
}
