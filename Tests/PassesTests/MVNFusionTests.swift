import XCTest
import OVIR
@testable import Passes

final class MVNFusionTests: XCTestCase {
    /// A graph with the input x f32 [2, 4] and one Result "out" reading what `body` builds (tensor name "y").
    private func graph(_ body: (Graph, Output) throws -> Output) throws -> Graph {
        try oneInputGraph(.fixed([2, 4]), body)
    }

    private let inputs: [String: Tensor] = ["x": .f32([1, 2, 3, 4, -5, 0, 5, 10], dims: [2, 4])]

    /// (x - mean(x)) / sqrt(mean(d²) + eps) over axis 1 with d² as `square`, the root named "y".
    private func layerNorm(_ square: @escaping (Graph, Output) throws -> Output, sqrtViaPower: Bool = false,
                           keepDims: Bool = true) throws -> Graph {
        try graph { g, x in
            let axes = try g.constant(.i64([1]), name: "axes")
            let mean = try g.op(ReduceMean(keepDims: keepDims), x, axes, name: "mean")
            let d = try g.op(Subtract(), x, mean, name: "d")
            let variance = try g.op(ReduceMean(keepDims: keepDims), square(g, d), axes, name: "var")
            let shifted = try g.op(Add(), variance, g.scalar(1e-5, name: "eps"), name: "ve")
            let deviation = sqrtViaPower ? try g.op(Power(), shifted, g.scalar(0.5, name: "half"), name: "sd")
                                         : try g.op(Sqrt(), shifted, name: "sd")
            return try g.op(Divide(), d, deviation, name: "y")
        }
    }

    /// Both squares (Power(d, 2) and d * d) and both roots (Sqrt, Power 0.5) -> MVN(x, [1], eps 1e-5, inside the root)
    func testDecomposedLayerNormBecomesMVN() throws {
        let squares: [(Graph, Output) throws -> Output] = [
            { g, d in try g.op(Power(), d, g.scalar(2, name: "two"), name: "sq") },
            { g, d in try g.op(Multiply(), d, d, name: "sq") },
        ]
        for (square, viaPower) in [(squares[0], false), (squares[1], true)] {
            let g = try layerNorm(square, sqrtViaPower: viaPower)
            let result = try runChecked(MVNFusion(), on: g, inputs: inputs, tolerance: 1e-5)
            XCTAssertEqual(result.rewrites, [RuleFiring(rule: "MVN", count: 1)])
            let e = try graph { g, x in
                let mvn = try g.add(MVN(eps: Double(Float(1e-5))), [x, g.constant(.i64([1]), name: "axes")], name: "y")
                mvn.rtInfo = [fusedNames("d,mean,sd,sq,var,ve,y")]
                return mvn.output()
            }
            assertSameGraph(g, e)
        }
    }

    /// Without keepDims the reductions do not broadcast back as MVN does: nothing changes. Neither does
    /// d / sqrt(mean(d * x) + eps), which is no variance.
    func testOtherFormsStay() throws {
        let graphs = try [
            graph { g, x in
                let axes = try g.constant(.i64([0, 1]), name: "axes")
                let d = try g.op(Subtract(), x, g.op(ReduceMean(keepDims: false), x, axes, name: "mean"), name: "d")
                let variance = try g.op(ReduceMean(keepDims: false), g.op(Multiply(), d, d, name: "sq"), axes, name: "var")
                return try g.op(Divide(), d, g.op(Sqrt(), g.op(Add(), variance, g.scalar(1e-5, name: "eps"), name: "ve"), name: "sd"), name: "y")
            },
            layerNorm { g, d in try g.op(Multiply(), d, g.graphInput, name: "sq") },
        ]
        for g in graphs {
            let before = try g.copy()
            XCTAssertEqual(try runChecked(MVNFusion(), on: g, inputs: inputs), PassResult(changed: false))
            assertSameGraph(g, before)
        }
    }
}

private extension Graph {
    /// The graph's first Parameter's value.
    var graphInput: Output { nodes.first { $0.op is Parameter }!.output() }
}
