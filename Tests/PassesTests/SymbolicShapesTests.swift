import XCTest
import OVIR
@testable import Passes

final class SymbolicShapesTests: XCTestCase {
    private func input(_ g: Graph, _ name: String, _ dims: [Dim]) throws -> Output {
        try g.addParameter(name, TensorType(.f32, .ranked(dims))).output()
    }

    private func i64(_ g: Graph, _ values: [Int], _ name: String) throws -> Output {
        try g.constant(.i64(values), name: name)
    }

    /// Each dynamic dim of an input is its own symbol; two inputs' dynamic dims differ, static dims are sizes.
    func testInputsGetOneSymbolPerDynamicDim() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .fixed(3), .dynamic]), y = try input(g, "y", [.dynamic])
        let shapes = SymbolicShapes(g)
        let sx = try XCTUnwrap(shapes.shape(x)), sy = try XCTUnwrap(shapes.shape(y))
        XCTAssertEqual(sx[1], .fixed(3))
        XCTAssertNil(sx[0].value)
        XCTAssertNotEqual(sx[0], sx[2])
        XCTAssertNotEqual(sx[0], sy[0])
    }

    /// Reshape(x [b, 400, 384], [0, -1, 6, 64], special_zero): 0 copies b, and -1 is b·400·384 / (b·6·64) = 400,
    /// which type inference cannot know (b is dynamic).
    func testReshapeSolvesMinusOneAcrossSymbols() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .fixed(400), .fixed(384)])
        let r = try g.op(Reshape(specialZero: true), x, i64(g, [0, -1, 6, 64], "target"), name: "r")
        let shapes = SymbolicShapes(g)
        let b = try XCTUnwrap(shapes.shape(x))[0]
        XCTAssertEqual(shapes.shape(r), [b, .fixed(400), .fixed(6), .fixed(64)])
        // Flattening [b, 400, 6, 64] to [-1, 64] gives 2400·b.
        let flat = try g.op(Reshape(), r, i64(g, [-1, 64], "flat"), name: "flat")
        XCTAssertEqual(shapes.shape(flat), [SymbolicDim(coefficient: 2400, symbols: b.symbols), .fixed(64)])
    }

    /// ShapeOf's value is the dims; Gather, Slice and Concat move them; Multiply multiplies sizes.
    func testShapeValuesCarryTheSymbols() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .fixed(3), .dynamic, .dynamic])
        let shape = try g.op(ShapeOf(), x, name: "shape")
        let hw = try g.op(Slice(), shape, i64(g, [2], "start"), i64(g, [4], "stop"), i64(g, [1], "step"), name: "hw")
        let h = try g.op(Gather(), shape, g.constant(.scalar(i64: 2), name: "two"), g.constant(.scalar(i64: 0), name: "axis"), name: "h")
        let w = try g.op(Gather(), shape, g.constant(.scalar(i64: -1), name: "last"), g.constant(.scalar(i64: 0), name: "axis0"), name: "w")
        let area = try g.op(Multiply(), h, w, name: "area")
        let both = try g.op(Concat(axis: 0), hw, i64(g, [7], "seven"), name: "both")
        let shapes = SymbolicShapes(g)
        let s = try XCTUnwrap(shapes.shape(x))
        XCTAssertEqual(shapes.value(shape), s.map { $0 })
        XCTAssertEqual(shapes.value(hw), [s[2], s[3]])
        XCTAssertEqual(shapes.value(h), [s[2]])
        XCTAssertEqual(shapes.value(w), [s[3]])
        XCTAssertEqual(shapes.value(area), [s[2] * s[3]])
        XCTAssertEqual(shapes.value(both), [s[2], s[3], .fixed(7)])
    }

    /// A stride-1 convolution padded by dilation × (kernel − 1) keeps its spatial symbols; stride 2 gives new ones.
    /// The channel count is type inference's.
    func testConvolutionsKeepSpatialSymbolsOnlyWhenTheyKeepTheSize() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .fixed(2), .dynamic, .dynamic])
        let w = try g.constant(.f32(Array(repeating: 0.5, count: 4 * 2 * 9), dims: [4, 2, 3, 3]), name: "w")
        let same = try g.op(Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1]), x, w, name: "same")
        let down = try g.op(Convolution(strides: [2, 2], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1]), x, w, name: "down")
        let shapes = SymbolicShapes(g)
        let s = try XCTUnwrap(shapes.shape(x)), a = try XCTUnwrap(shapes.shape(same)), d = try XCTUnwrap(shapes.shape(down))
        XCTAssertEqual(a, [s[0], .fixed(4), s[2], s[3]])
        XCTAssertEqual(d[0], s[0])
        XCTAssertNotEqual(d[2], s[2])
        XCTAssertNotEqual(d[3], s[3])
    }

    /// Broadcasting: a 1 takes the other dim, a static dim wins over a symbol, two different symbols give a new one.
    func testBroadcastingNeverEquatesTwoDifferentSymbols() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .fixed(1), .dynamic]), y = try input(g, "y", [.dynamic, .fixed(5), .fixed(3)])
        let sum = try g.op(Add(), x, y, name: "sum")
        let same = try g.op(Multiply(), x, g.scalar(2, name: "two"), name: "same")
        let shapes = SymbolicShapes(g)
        let sx = try XCTUnwrap(shapes.shape(x)), sy = try XCTUnwrap(shapes.shape(y)), ss = try XCTUnwrap(shapes.shape(sum))
        XCTAssertNotEqual(ss[0], sx[0])
        XCTAssertNotEqual(ss[0], sy[0])
        XCTAssertEqual(Array(ss[1...]), [.fixed(5), .fixed(3)])
        XCTAssertEqual(shapes.shape(same), sx)
    }

    /// MatMul [b, s, 64] × [b, 64, t]ᵀ-less: [b, s, t]; with transpose_b the last two dims of B swap first.
    func testMatMulTakesRowsFromAAndColumnsFromB() throws {
        let g = Graph(name: "g")
        let q = try input(g, "q", [.dynamic, .dynamic, .fixed(64)]), k = try input(g, "k", [.dynamic, .dynamic, .fixed(64)])
        let scores = try g.op(MatMul(transposeB: true), q, k, name: "scores")
        let shapes = SymbolicShapes(g)
        let sq = try XCTUnwrap(shapes.shape(q)), sk = try XCTUnwrap(shapes.shape(k)), s = try XCTUnwrap(shapes.shape(scores))
        XCTAssertEqual(Array(s[1...]), [sq[1], sk[1]])
    }

    /// Range(0, n, 1) has n elements; Split in 2 halves a dim whose coefficient is even.
    func testRangeAndSplit() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .dynamic])
        let n = try g.op(Gather(), g.op(ShapeOf(), x, name: "shape"), g.constant(.scalar(i64: 1), name: "one"),
                         g.constant(.scalar(i64: 0), name: "axis"), name: "n")
        let range = try g.op(RangeOp(outputType: .i64), g.constant(.scalar(i64: 0), name: "zero"), n,
                             g.constant(.scalar(i64: 1), name: "step"), name: "range")
        let doubled = try g.op(Concat(axis: 1), x, x, name: "doubled")
        let halves = try g.add(Split(numSplits: 2), [doubled, g.constant(.scalar(i64: 1), name: "splitAxis")], name: "halves")
        let shapes = SymbolicShapes(g)
        let s = try XCTUnwrap(shapes.shape(x))
        XCTAssertEqual(shapes.shape(range), [s[1]])
        // The Concat's axis dim is a new symbol (sums are not kept), so its halves are new symbols too, not s[1].
        XCTAssertNotEqual(shapes.shape(halves.output(0))?[1], s[1])
        XCTAssertEqual(shapes.shape(halves.output(1))?[0], s[0])
    }

    /// A float Const has a value only when every element is an integer (Range bounds are f32): a bias of 0.5s is
    /// no shape value, and its product with 1 is none either.
    func testFloatConstsAreValuesOnlyWhenIntegral() throws {
        let g = Graph(name: "g")
        let whole = try g.constant(.f32([1, 2]), name: "whole"), half = try g.constant(.f32([0.5, 2]), name: "half")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2]))).output()
        let scaled = try g.op(Multiply(), half, x, name: "scaled")
        let shapes = SymbolicShapes(g)
        XCTAssertEqual(shapes.value(whole), [.fixed(1), .fixed(2)])
        XCTAssertNil(shapes.value(half))
        XCTAssertNil(shapes.value(scaled))
    }

    /// Range(0, -n, 1) is empty at run time, not of length -n: its length is a new symbol. Sums that overflow
    /// and Converts a value does not survive (-1 as u32) give unknown elements, not wrong ones.
    func testNegativeOverflowingAndUnconvertibleValuesAreUnknown() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic])
        let n = try g.op(Gather(), g.op(ShapeOf(), x, name: "shape"), g.constant(.scalar(i64: 0), name: "zero"),
                         g.constant(.scalar(i64: 0), name: "axis"), name: "n")
        let negative = try g.op(Multiply(), n, g.constant(.scalar(i64: -1), name: "minusOne"), name: "negative")
        let range = try g.op(RangeOp(outputType: .i64), g.constant(.scalar(i64: 0), name: "start"), negative,
                             g.constant(.scalar(i64: 1), name: "step"), name: "range")
        let big = try g.op(Concat(axis: 0), g.op(Unsqueeze(), n, i64(g, [0], "unsqueeze"), name: "n1"), i64(g, [Int(Int64.max)], "max"), name: "big")
        let sum = try g.op(Add(), big, i64(g, [0, 1], "plus"), name: "sum")
        let unsigned = try g.op(Convert(.u32), i64(g, [-1, 7], "signed"), name: "unsigned")
        let shapes = SymbolicShapes(g)
        let s = try XCTUnwrap(shapes.shape(x))[0]
        XCTAssertNil(shapes.value(negative), "no element known")
        XCTAssertNotEqual(shapes.shape(range)?[0], s)
        XCTAssertNil(shapes.value(sum), "s + 0 is not kept (sums are not), Int64.max + 1 overflows")
        XCTAssertEqual(shapes.value(unsigned), [nil, .fixed(7)])
    }

    /// With special_zero, a target size that is not the data's own dim may be 0 at run time and then copy that
    /// dim: the output dim is a new symbol, not the size.
    func testSpecialZeroTakesAnotherValuesSizeOnlyWhereItIsTheDataDim() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.fixed(3), .dynamic]), y = try input(g, "y", [.dynamic])
        let r = try g.op(Reshape(specialZero: true), x, g.op(Concat(axis: 0), g.op(ShapeOf(), y, name: "shape"),
                                                                 i64(g, [-1], "rest"), name: "target"), name: "r")
        let shapes = SymbolicShapes(g)
        XCTAssertNotEqual(shapes.shape(r)?[0], shapes.shape(y)?[0])
    }

    /// ScaledDotProductAttention broadcasts its batch dims: a query of batch 1 against keys of batch b gives
    /// batch b, which the analysis leaves to type inference (dynamic), never the query's 1.
    func testAttentionBatchIsNotTheQuerys() throws {
        let g = Graph(name: "g")
        let q = try g.constant(.f32(Array(repeating: 0.5, count: 24), dims: [1, 2, 3, 4]), name: "q")
        let k = try input(g, "k", [.dynamic, .fixed(2), .fixed(5), .fixed(4)])
        let o = try g.op(ScaledDotProductAttention(), q, k, k, name: "o")
        let shapes = SymbolicShapes(g)
        XCTAssertNil(shapes.shape(o)?[0].value)
    }

    /// A hostile model's attributes and lengths may hold any number: the rules give new symbols, never trap.
    func testExtremeNumbersGiveNewSymbolsInsteadOfTrapping() throws {
        let g = Graph(name: "g")
        let x = try input(g, "x", [.dynamic, .fixed(2), .dynamic, .dynamic])
        var pool = MaxPool()
        (pool.kernel, pool.strides, pool.dilations, pool.padsBegin, pool.padsEnd) = ([.min, 1], [1, 1], [.max, 1], [.max, 0], [.max, 0])
        let node = try g.add(pool, [x], name: "pool")  // type inference leaves the spatial dims dynamic
        let shapes = SymbolicShapes(g)
        XCTAssertEqual(shapes.shape(node.output())?[0], shapes.shape(x)?[0])
        XCTAssertNotEqual(shapes.shape(node.output())?[2], shapes.shape(x)?[2])
        XCTAssertEqual(SymbolicShapes.converted(.fixed(.min), to: .f32), nil)
        XCTAssertEqual(SymbolicShapes.converted(.fixed(.min), to: .f64), nil)
        XCTAssertEqual(SymbolicShapes.checkedSum([.max, 1]), nil)
        XCTAssertNil(ShapeSubgraphSimplification.tensor([.min], .f32, dims: [1]))
    }
}
