import XCTest
import OVIR
@testable import Passes

final class BatchNormFoldingTests: XCTestCase {
    /// A graph with the input x f32 `dims` and one Result "out" reading what `body` builds; that value carries
    /// the tensor name "y".
    private func graph(_ dims: [Int], _ body: (Graph, Output) throws -> Output) throws -> Graph {
        try oneInputGraph(.fixed(dims), body)
    }

    /// Feeds x with 1, -2, 3, -4, ... (as many as `dims` hold).
    private func inputs(_ dims: [Int]) -> [String: Tensor] {
        ["x": .f32((0..<dims.reduce(1, *)).map { k in Float(k + 1) * (k % 2 == 0 ? 1 : -1) }, dims: dims)]
    }

    /// Runs BatchNormFolding (outputs checked through the evaluator), checks the rules fired, compares with `expected`.
    private func assertFolds(_ before: Graph, _ dims: [Int], into expected: Graph, rules: [String: Int],
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runChecked(BatchNormFolding(), on: before, inputs: inputs(dims), tolerance: 1e-6, file: file, line: line)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: result.rewrites.map { ($0.rule, $0.count) }), rules, file: file, line: line)
        assertSameGraph(before, expected, file: file, line: line)
    }

    /// Runs BatchNormFolding on `graph` and checks that nothing changed.
    private func assertUnchanged(_ graph: Graph, _ dims: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try graph.copy()
        XCTAssertEqual(try runChecked(BatchNormFolding(), on: graph, inputs: inputs(dims), file: file, line: line),
                       PassResult(changed: false), file: file, line: line)
        assertSameGraph(graph, before, file: file, line: line)
    }

    /// BatchNormInference(x, gamma, beta, mean, variance, epsilon 1) with constants that make it exact.
    private func batchNorm(_ g: Graph, _ x: Output, gamma: [Float], beta: [Float], mean: [Float], variance: [Float]) throws -> Output {
        try g.op(BatchNormInference(epsilon: 1), x, g.constant(.f32(gamma), name: "gamma"), g.constant(.f32(beta), name: "beta"),
                 g.constant(.f32(mean), name: "mean"), g.constant(.f32(variance), name: "variance"), name: "y")
    }

    private let unitConvolution = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])

    /// A lone BatchNormInference on x [2, 3, 2] -> x * scale + shift, both [3, 1]:
    /// sqrt(variance + 1) = [2, 1, 3], scale = gamma / that = [0.5, 2, 1], shift = beta - mean * scale = [0, 0, -3]
    func testALoneBatchNormBecomesMultiplyAndAdd() throws {
        let dims = [2, 3, 2]
        let g = try graph(dims) { g, x in try batchNorm(g, x, gamma: [1, 2, 3], beta: [0.5, 0, -1], mean: [1, 0, 2], variance: [3, 0, 8]) }
        let e = try graph(dims) { g, x in
            let multiply = try g.add(Multiply(), [x, g.constant(.f32([0.5, 2, 1], dims: [3, 1]), name: "y/Const")], name: "y/Multiply_1")
            multiply.rtInfo = [fusedNames("y")]
            let add = try g.add(Add(), [multiply.output(), g.constant(.f32([0, 0, -3], dims: [3, 1]), name: "y/Const_2")], name: "y")
            add.rtInfo = [fusedNames("y")]
            return add.output()
        }
        try assertFolds(g, dims, into: e, rules: ["BatchNormToScaleShift": 1])
    }

    /// Convolution(x, W = [[1, 2], [3, 4]] 1×1) then BatchNorm with scale [0.5, 2] and shift [1, -3]:
    /// -> Convolution(x, [[0.5, 1], [6, 8]]) + [1, -3]
    /// (sqrt(variance + 1) = [2, 1], scale = [1, 2] / that, shift = [1, -1] - [0, 1] * scale)
    func testBatchNormAfterAConvolutionFoldsIntoItsWeightsAndOneBias() throws {
        let dims = [1, 2, 2, 2]
        let g = try graph(dims) { g, x in
            let conv = try g.op(unitConvolution, x, g.constant(.f32([1, 2, 3, 4], dims: [2, 2, 1, 1]), name: "w"), name: "conv")
            return try batchNorm(g, conv, gamma: [1, 2], beta: [1, -1], mean: [0, 1], variance: [3, 0])
        }
        let e = try graph(dims) { g, x in
            let conv = try g.add(unitConvolution, [x, g.constant(.f32([0.5, 1, 6, 8], dims: [2, 2, 1, 1]), name: "y/Multiply_1/Const")],
                                 name: "y/Multiply_1")
            conv.rtInfo = [fusedNames("conv,y")]
            let add = try g.add(Add(), [conv.output(), g.constant(.f32([1, -3], dims: [2, 1, 1]), name: "y/Const_2")], name: "y")
            add.rtInfo = [fusedNames("y")]
            return add.output()
        }
        try assertFolds(g, dims, into: e, rules: ["BatchNormToScaleShift": 1, "ScaleIntoWeights": 1])
    }

    /// GroupConvolution(x, W = [2, 3] as [2, 1, 1, 1, 1]) * [10, 100] (per channel, [1, 2, 1, 1]) -> W = [20, 300]
    func testAPerChannelScaleFoldsIntoGroupConvolutionWeights() throws {
        let dims = [1, 2, 2, 2]
        var op = GroupConvolution()
        (op.strides, op.dilations, op.padsBegin, op.padsEnd) = ([1, 1], [1, 1], [0, 0], [0, 0])
        let g = try graph(dims) { g, x in
            let conv = try g.op(op, x, g.constant(.f32([2, 3], dims: [2, 1, 1, 1, 1]), name: "w"), name: "conv")
            return try g.op(Multiply(), conv, g.constant(.f32([10, 100], dims: [1, 2, 1, 1]), name: "s"), name: "y")
        }
        let e = try graph(dims) { g, x in
            let conv = try g.add(op, [x, g.constant(.f32([20, 300], dims: [2, 1, 1, 1, 1]), name: "y/Const")], name: "y")
            conv.rtInfo = [fusedNames("conv,y")]
            return conv.output()
        }
        try assertFolds(g, dims, into: e, rules: ["ScaleIntoWeights": 1])
    }

    /// (MatMul(x [2, 3], W [3, 2]) + [1, 2]) * [3, -1] -> MatMul(x, W * [3, -1] per column) + [3, -2]
    func testAScaleAfterAMatMulBiasFoldsIntoTheWeightsAndTheBias() throws {
        let dims = [2, 3]
        let g = try graph(dims) { g, x in
            let product = try g.op(MatMul(), x, g.constant(.f32([1, 2, 3, 4, 5, 6], dims: [3, 2]), name: "w"), name: "mm")
            let biased = try g.op(Add(), product, g.constant(.f32([1, 2]), name: "b"), name: "a")
            return try g.op(Multiply(), biased, g.constant(.f32([3, -1]), name: "s"), name: "y")
        }
        let e = try graph(dims) { g, x in
            let product = try g.add(MatMul(), [x, g.constant(.f32([3, -2, 9, -4, 15, -6], dims: [3, 2]), name: "y/Const")], name: "y/MatMul_1")
            product.rtInfo = [fusedNames("a,mm,y")]
            let add = try g.add(Add(), [product.output(), g.constant(.f32([3, -2]), name: "y/Const_2")], name: "y")
            add.rtInfo = [fusedNames("a,mm,y")]
            return add.output()
        }
        try assertFolds(g, dims, into: e, rules: ["ScaleThroughBias": 1])
    }

    /// A scale that varies over space ([1, 1, 2, 2]) or weights that are no Const stay; so does a batch norm
    /// whose statistics are not constant.
    func testScalesNotPerChannelAndNonConstantWeightsStay() throws {
        let dims = [1, 2, 2, 2]
        try assertUnchanged(graph(dims) { g, x in
            let conv = try g.op(unitConvolution, x, g.constant(.f32([1, 2, 3, 4], dims: [2, 2, 1, 1]), name: "w"), name: "conv")
            return try g.op(Multiply(), conv, g.constant(.f32([1, 2, 3, 4], dims: [1, 1, 2, 2]), name: "s"), name: "y")
        }, dims)
        try assertUnchanged(graph(dims) { g, x in
            let weights = try g.op(Relu(), g.constant(.f32([1, 2, 3, 4], dims: [2, 2, 1, 1]), name: "w0"), name: "w")
            let conv = try g.op(unitConvolution, x, weights, name: "conv")
            return try g.op(Multiply(), conv, g.constant(.f32([2, 3], dims: [2, 1, 1]), name: "s"), name: "y")
        }, dims)
        try assertUnchanged(graph(dims) { g, x in
            let gamma = try g.op(ReduceMax(keepDims: false), x, g.constant(.i64([0, 2, 3]), name: "axes"), name: "gamma")
            return try g.op(BatchNormInference(epsilon: 1), x, gamma, g.constant(.f32([0, 0]), name: "beta"),
                            g.constant(.f32([0, 0]), name: "mean"), g.constant(.f32([0, 0]), name: "variance"), name: "y")
        }, dims)
    }
}
