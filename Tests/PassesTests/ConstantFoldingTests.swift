import XCTest
import OVIR
@testable import Passes

final class ConstantFoldingTests: XCTestCase {
    /// y = x + (([1, 2] + [3, 4]) * [2, 2]) folds to y = x + [8, 12]; the Const is named after the root.
    func testAConstantSubgraphBecomesOneConstKeepingTheRootsNames() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let sum = try g.add(Add(), [g.constant(.f32([1, 2]), name: "a"), g.constant(.f32([3, 4]), name: "b")], name: "sum")
        let scaled = try g.add(Multiply(), [sum.output(), g.constant(.f32([2, 2]), name: "two")], name: "scaled")
        g.addTensorNames(["scaled_tensor"], to: scaled.output())
        try g.addResult(g.add(Add(), [x.output(), scaled.output()], name: "y").output(), name: "out")

        let result = try runChecked(ConstantFolding(), on: g, inputs: ["x": .f32([10, 20])])
        XCTAssertEqual(result, PassResult(changed: true))

        let e = Graph(name: "g")
        let ex = try e.addParameter("x", TensorType(.f32, .fixed([2])))
        let folded = try e.add(Constant(.f32([8, 12])), [], name: "scaled")  // (1+3)*2, (2+4)*2
        e.addTensorNames(["scaled_tensor"], to: folded.output())
        folded.rtInfo = [fusedNames("scaled,sum")]
        try e.addResult(e.add(Add(), [ex.output(), folded.output()], name: "y").output(), name: "out")
        assertSameGraph(g, e)
        XCTAssertEqual(g.nodeCount, 4, "a, b, two and sum are removed")
    }

    /// ShapeOf of a static [2, 3] is the Const [2, 3], in ShapeOf's output type.
    func testShapeOfAStaticShapeFolds() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2, 3])))
        var op = ShapeOf()
        op.outputType = .i32
        try g.addResult(g.add(op, [x.output()], name: "shape").output(), name: "out")
        try runChecked(ConstantFolding(), on: g, inputs: ["x": .f32([1, 2, 3, 4, 5, 6], dims: [2, 3])])

        let e = Graph(name: "g")
        try e.addParameter("x", TensorType(.f32, .fixed([2, 3])))
        let c = try e.add(Constant(.i32([2, 3])), [], name: "shape")
        c.rtInfo = [fusedNames("shape")]
        try e.addResult(c.output(), name: "out")
        assertSameGraph(g, e)
    }

    /// x [?,3,8,8]: Gather(ShapeOf(x), [2, 3]) = [8, 8] although the batch is dynamic; the Concat reading it
    /// folds next, so Reshape(x, [0, 3, 8, 8]) is left.
    func testStaticDimsOfAPartlyDynamicShapeFold() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(3), .fixed(8), .fixed(8)])))
        let shape = try g.add(ShapeOf(), [x.output()], name: "shape")
        let hw = try g.add(Gather(), [shape.output(), g.constant(.i64([2, 3]), name: "hwIndices"), g.constant(.scalar(i64: 0), name: "axis")], name: "hw")
        let target = try g.add(Concat(axis: 0), [g.constant(.i64([0, 3]), name: "head"), hw.output()], name: "target")
        try g.addResult(g.add(Reshape(specialZero: true), [x.output(), target.output()], name: "r").output(), name: "out")
        try runChecked(ConstantFolding(), on: g, inputs: ["x": iota([2, 3, 8, 8])])

        let e = Graph(name: "g")
        let ex = try e.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(3), .fixed(8), .fixed(8)])))
        let c = try e.add(Constant(.i64([0, 3, 8, 8])), [], name: "target")
        c.rtInfo = [fusedNames("hw,target")]
        try e.addResult(e.add(Reshape(specialZero: true), [ex.output(), c.output()], name: "r").output(), name: "out")
        assertSameGraph(g, e)
    }

    /// Split of a Const gives one Const per output, named `split.0`, `split.1`, each keeping its tensor names.
    func testAMultiOutputNodeFoldsIntoOneConstPerOutput() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let split = try g.add(Split(numSplits: 2), [g.constant(.f32([1, 2, 3, 4]), name: "c"), g.constant(.scalar(i64: 0), name: "axis")], name: "split")
        g.addTensorNames(["low"], to: split.output(0))
        g.addTensorNames(["high"], to: split.output(1))
        try g.addResult(g.add(Add(), [split.output(0), x.output()], name: "y0").output(), name: "out0")
        try g.addResult(g.add(Add(), [split.output(1), x.output()], name: "y1").output(), name: "out1")
        try runChecked(ConstantFolding(), on: g, inputs: ["x": .f32([0, 0])])

        let e = Graph(name: "g")
        let ex = try e.addParameter("x", TensorType(.f32, .fixed([2])))
        let low = try e.add(Constant(.f32([1, 2])), [], name: "split.0")
        let high = try e.add(Constant(.f32([3, 4])), [], name: "split.1")
        e.addTensorNames(["low"], to: low.output())
        e.addTensorNames(["high"], to: high.output())
        low.rtInfo = [fusedNames("split")]
        high.rtInfo = [fusedNames("split")]
        try e.addResult(e.add(Add(), [low.output(), ex.output()], name: "y0").output(), name: "out0")
        try e.addResult(e.add(Add(), [high.output(), ex.output()], name: "y1").output(), name: "out1")
        assertSameGraph(g, e)
    }

    /// Nothing here may fold: a dynamic dim read from ShapeOf, an op on a Parameter, and f16 weight
    /// decompression (Const f16 -> Convert marked `decompression`).
    func testNothingChangesWithoutConstantInputs() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .ranked([.dynamic, .fixed(2)])))
        let shape = try g.add(ShapeOf(), [x.output()], name: "shape")
        let batch = try g.add(Gather(), [shape.output(), g.constant(.scalar(i64: 0), name: "zero"), g.constant(.scalar(i64: 0), name: "axis")], name: "batch")
        try g.addResult(batch.output(), name: "batchOut")
        let weights = try g.constant(Tensor(.f16, dims: [2], integers: [Float16(0.5).bitPattern, Float16(2).bitPattern]), name: "w_compressed")
        let decompress = try g.add(Convert(.f32), [weights], name: "w")
        decompress.rtInfo = [RTAttribute(name: "decompression")]
        try g.addResult(g.add(Multiply(), [x.output(), decompress.output()], name: "y").output(), name: "out")
        let before = try g.copy()

        // Not even tried: an attempt on the Convert would be listed in `skipped`.
        XCTAssertEqual(try ConstantFolding().run(on: g), PassResult(changed: false, skipped: []))
        try g.verify()
        assertSameGraph(g, before)
    }

    /// Quantized weights stay quantized: Convert(Const i8 → f32) is kept, while Convert(Const i32 → f32) folds.
    func testQuantizedWeightsAreNotDequantizedAtConversionTime() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([2])))
        let w = try g.constant(Tensor(.i8, dims: [2], integers: [Int8(-3), 5]), name: "w")
        let dequantized = try g.add(Convert(.f32), [w], name: "wFloat")
        let scaled = try g.add(Multiply(), [dequantized.output(), g.constant(.scalar(f32: 0.5), name: "scale")], name: "wScaled")
        let counts = try g.add(Convert(.f32), [g.constant(Tensor(.i32, dims: [2], integers: [Int32(1), 2]), name: "counts")], name: "countsFloat")
        let y = try g.add(Add(), [g.add(Multiply(), [x.output(), scaled.output()], name: "xw").output(), counts.output()], name: "y")
        try g.addResult(y.output(), name: "out")
        XCTAssertTrue(try ConstantFolding().run(on: g).changed)
        try g.verify()
        XCTAssertTrue(g.nodes.contains { $0.name == "wFloat" && $0.op is Convert && $0.inputs[0].elementType == .i8 })
        XCTAssertTrue(g.nodes.contains { $0.name == "wScaled" && $0.op is Multiply })
        XCTAssertEqual(g.nodes.first { $0.name == "countsFloat" }?.op is Constant, true)
    }

    /// With a 1 KiB budget: Broadcast of a scalar to [32, 32] (4096 bytes from 4 + 16 input bytes) is listed
    /// and kept, Broadcast to [2, 2] (16 bytes) folds, and a 4096-byte Concat of two 2048-byte Consts folds
    /// (not more than 2 × its inputs).
    func testTheSizeGuardKeepsExpansionsButNotLargeCopies() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1])))
        let one = try g.constant(.scalar(f32: 1), name: "one")
        let big = try g.add(Broadcast(), [one, g.constant(.i64([32, 32]), name: "bigShape")], name: "big")
        let small = try g.add(Broadcast(), [one, g.constant(.i64([2, 2]), name: "smallShape")], name: "small")
        let half = iota([16, 32])
        let joined = try g.add(Concat(axis: 0), [g.constant(half, name: "top"), g.constant(half, name: "bottom")], name: "joined")
        for (k, n) in [big, small, joined].enumerated() {
            try g.addResult(g.add(Add(), [n.output(), x.output()], name: "add\(k)").output(), name: "out\(k)")
        }
        let result = try runChecked(ConstantFolding(budget: 1024, growth: 2), on: g, inputs: ["x": .f32([1])])

        XCTAssertTrue(result.changed)
        XCTAssertEqual(result.skipped, ["Broadcast 'big': its 4096 bytes would exceed max(1024, 2 × 20 input bytes)"])
        XCTAssertTrue(g.contains(big))
        XCTAssertFalse(g.contains(small))
        XCTAssertFalse(g.contains(joined))
        XCTAssertEqual(g.nodes.first { $0.name == "small" }?.op as? Constant, Constant(.f32([1, 1, 1, 1], dims: [2, 2])))
    }

    /// With a 1 KiB budget, Broadcast of a scalar to [32, 32, 1, 1] read (through a Reshape) only as MatMul
    /// weights folds whatever its size: weights are stored; the same Broadcast read by an Add stays.
    func testValuesReadOnlyAsWeightsFoldWhateverTheirSize() throws {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 32])))
        let one = try g.constant(.scalar(f32: 1), name: "one")
        let weights = try g.add(Broadcast(), [one, g.constant(.i64([32, 32, 1, 1]), name: "shape4")], name: "weights")
        let matrix = try g.add(Reshape(specialZero: false), [weights.output(), g.constant(.i64([32, 32]), name: "shape2")], name: "matrix")
        try g.addResult(g.add(MatMul(), [x.output(), matrix.output()], name: "mm").output(), name: "out0")
        let other = try g.add(Broadcast(), [one, g.constant(.i64([32, 32]), name: "shape")], name: "other")
        try g.addResult(g.add(Add(), [other.output(), x.output()], name: "add").output(), name: "out1")
        let result = try runChecked(ConstantFolding(budget: 1024, growth: 2), on: g, inputs: ["x": .f32(Array(repeating: 1, count: 32), dims: [1, 32])])

        XCTAssertEqual(result.skipped, ["Broadcast 'other': its 4096 bytes would exceed max(1024, 2 × 20 input bytes)"])
        XCTAssertEqual(g.nodes.first { $0.name == "matrix" }?.op as? Constant, Constant(.f32(Array(repeating: 1, count: 1024), dims: [32, 32])))
        XCTAssertFalse(g.contains(weights))
        XCTAssertTrue(g.contains(other))
    }

    /// `maxBytes` holds for weights too: the 4096-byte weights of the test above stay a Broadcast with a 4095-byte
    /// limit, listed in `skipped` and in `warnings`; with 4096 bytes they fold.
    func testTheFoldLimitHoldsForWeightsToo() throws {
        func model() throws -> (Graph, Node) {
            let g = Graph(name: "g")
            let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 32])))
            let one = try g.constant(.scalar(f32: 1), name: "one")
            let weights = try g.add(Broadcast(), [one, g.constant(.i64([32, 32]), name: "shape")], name: "weights")
            try g.addResult(g.add(MatMul(), [x.output(), weights.output()], name: "mm").output(), name: "out")
            return (g, weights)
        }
        let input = ["x": Tensor.f32(Array(repeating: 1, count: 32), dims: [1, 32])]
        let (g, weights) = try model()
        let result = try runChecked(ConstantFolding(maxBytes: 4095), on: g, inputs: input)
        XCTAssertFalse(result.changed)
        XCTAssertEqual(result.skipped, ["Broadcast 'weights': its 4096 bytes would exceed the fold limit of 4095 bytes"])
        XCTAssertEqual(result.warnings, ["Broadcast 'weights' left unfolded: its 4096 bytes would exceed the fold limit of 4095 bytes"])
        XCTAssertTrue(g.contains(weights))

        let (h, w) = try model()
        let folded = try runChecked(ConstantFolding(maxBytes: 4096), on: h, inputs: input)
        XCTAssertTrue(folded.changed)
        XCTAssertEqual(folded.warnings, [])
        XCTAssertFalse(h.contains(w))
    }

    /// Constant subgraphs that would fold into terabytes (a scalar broadcast, and tiled, to weights of 4 TiB; a
    /// shape whose element count overflows Int) are left unfolded with the default limit, never allocated:
    /// were they computed, this test would die of memory.
    func testTerabyteFoldsAreNeverComputed() throws {
        let g = Graph(name: "g")
        let n = 1 << 20
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, n])))
        let one = try g.constant(.scalar(f32: 1), name: "one")
        let broadcast = try g.add(Broadcast(), [one, g.constant(.i64([n, n]), name: "shape")], name: "broadcast")
        try g.addResult(g.add(MatMul(), [x.output(), broadcast.output()], name: "mm").output(), name: "out0")
        let row = try g.constant(.f32([1], dims: [1, 1]), name: "row")
        let tiled = try g.add(Tile(), [row, g.constant(.i64([n, n]), name: "repeats")], name: "tiled")
        try g.addResult(g.add(MatMul(), [x.output(), tiled.output()], name: "mm2").output(), name: "out1")
        let huge = try g.add(Broadcast(), [one, g.constant(.i64([1 << 31, 1 << 31]), name: "hugeShape")], name: "huge")
        try g.addResult(huge.output(), name: "out2")
        let result = try ConstantFolding().run(on: g)
        try g.verify()
        XCTAssertFalse(result.changed)
        XCTAssertEqual(result.warnings, [
            "Broadcast 'broadcast' left unfolded: its 4398046511104 bytes would exceed the fold limit of 1073741824 bytes",
            "Tile 'tiled' left unfolded: its 4398046511104 bytes would exceed the fold limit of 1073741824 bytes",
            "Broadcast 'huge' left unfolded: its size (over 2^57 elements or 2^63 bytes) would exceed the fold limit of 1073741824 bytes",
        ])
        XCTAssertTrue(g.contains(broadcast) && g.contains(tiled) && g.contains(huge))
    }

    /// A value the kernel refuses to compute is listed, not fatal: ShapeOf with output type f32 (the kernel
    /// gives only i64 and i32).
    func testAKernelErrorDeclinesTheFold() throws {
        let g = Graph(name: "g")
        var op = ShapeOf()
        op.outputType = .f32
        try g.addResult(g.add(op, [g.constant(.f32([1, 2]), name: "data")], name: "shape").output(), name: "out")
        let result = try ConstantFolding().run(on: g)
        XCTAssertFalse(result.changed)
        XCTAssertEqual(result.skipped.count, 1)
        XCTAssertTrue(result.skipped.first?.hasPrefix("ShapeOf 'shape': ") == true, "\(result.skipped)")
    }
}

/// 0, 1, 2, ... as f32 of the given dims.
func iota(_ dims: [Int]) -> Tensor {
    .f32((0..<dims.reduce(1, *)).map(Float.init), dims: dims)
}
