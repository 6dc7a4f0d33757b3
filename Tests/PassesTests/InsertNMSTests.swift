import XCTest
import Evaluator
import OVIR
@testable import Passes

/// InsertNMS on a hand-made detection head, evaluated through the reference kernels.
///
/// The scene (image "scene"): eight candidate boxes, cx cy w h -> corners x1 y1 x2 y2, and two class scores:
///
///     b0   5  5 10 10 -> [ 0,  0, 10, 10]   0.9  0.1    best c0 0.9
///     b1   6  5 10 10 -> [ 1,  0, 11, 10]   0.8  0.3    best c0 0.8
///     b2  25 25 10 10 -> [20, 20, 30, 30]   0.2  0.6    best c1 0.6
///     b3  50 50 20 20 -> [40, 40, 60, 60]   0.1  0.4    best c1 0.4
///     b4  26 25 10 10 -> [21, 20, 31, 30]   0.7  0.5    best c0 0.7
///     b5   5 45 10 10 -> [ 0, 40, 10, 50]   0.2  0.1    best c0 0.2 (below --conf 0.25)
///     b6  55  5 10 10 -> [50,  0, 60, 10]   0.3  0.3    a tie: the lower class, c0 0.3
///     b7  55 25 10 10 -> [50, 20, 60, 30]   0.05 0      best c0 0.05 (below)
///
/// IoU(b0, b1) = 9·10 / (100 + 100 - 90) = 90/110 = 0.82 and IoU(b2, b4) = 90/110 = 0.82, both above --iou 0.7;
/// no other pair overlaps.
///
/// Per class, each box in its best class only: class 0 has b0 0.9, b1 0.8 (suppressed by b0), b4 0.7, b6 0.3;
/// class 1 has b2 0.6, b3 0.4. (Were the other class's scores not masked, b1 0.3, b4 0.5 and b6 0.3 would
/// compete in class 1 and b1 and b6 would be kept there.) By score: b0, b4, b2, b3, b6.
/// Agnostic: b0 0.9, b1 0.8 (suppressed by b0), b4 0.7, b2 0.6 (suppressed by b4), b3 0.4, b6 0.3: b0, b4, b3, b6.
///
/// The image "sparse": the same boxes, class 0 scores all 0.1, class 1 [0.1, 0.1, 0.1, 0.9, 0.1, 0.3, 0.1, 0.1]:
/// b3 0.9 c1 and b5 0.3 c1 pass (they do not overlap); ties at 0.1 stay below --conf. The image "empty": all 0.1.
final class InsertNMSTests: XCTestCase {
    /// One candidate: centre, size, class scores (YOLOv5's objectness separately).
    private struct Box {
        var cx: Float, cy: Float, w: Float, h: Float, scores: [Float], objectness: Float = 1
        init(_ cx: Float, _ cy: Float, _ w: Float, _ h: Float, _ scores: [Float], objectness: Float = 1) {
            (self.cx, self.cy, self.w, self.h, self.scores, self.objectness) = (cx, cy, w, h, scores, objectness)
        }
    }

    private static let geometry: [(Float, Float, Float, Float)] = [
        (5, 5, 10, 10), (6, 5, 10, 10), (25, 25, 10, 10), (50, 50, 20, 20),
        (26, 25, 10, 10), (5, 45, 10, 10), (55, 5, 10, 10), (55, 25, 10, 10),
    ]

    private static func image(_ classScores: [[Float]]) -> [Box] {
        zip(geometry, classScores).map { g, s in Box(g.0, g.1, g.2, g.3, s) }
    }

    private let scene = image([[0.9, 0.1], [0.8, 0.3], [0.2, 0.6], [0.1, 0.4], [0.7, 0.5], [0.2, 0.1], [0.3, 0.3], [0.05, 0]])
    private let sparse = image([[0.1, 0.1], [0.1, 0.1], [0.1, 0.1], [0.1, 0.9], [0.1, 0.1], [0.1, 0.3], [0.1, 0.1], [0.1, 0.1]])
    private let empty = image(Array(repeating: [0.1, 0.1], count: 8))

    // Expected rows x1, y1, x2, y2, score, class, from the tables above.
    private let b0c0: [Float] = [0, 0, 10, 10, 0.9, 0]
    private let b4c0: [Float] = [21, 20, 31, 30, 0.7, 0]
    private let b2c1: [Float] = [20, 20, 30, 30, 0.6, 1]
    private let b3c1: [Float] = [40, 40, 60, 60, 0.4, 1]
    private let b6c0: [Float] = [50, 0, 60, 10, 0.3, 0]
    private let zero: [Float] = [0, 0, 0, 0, 0, 0]

    /// The head's raw tensor for `images` in `layout`: yolov8 [B, 4+nc(+e), N] channel-major, yolov5
    /// [B, N, 5+nc(+e)] box-major with objectness after the box; `extra[b][i]` rides after the class scores.
    private func prediction(_ images: [[Box]], _ layout: DetectionLayout, extra: [[[Float]]]? = nil) -> Tensor {
        var values: [Float] = []
        let n = images[0].count
        for (b, boxes) in images.enumerated() {
            let rows: [[Float]] = boxes.enumerated().map { i, box in
                [box.cx, box.cy, box.w, box.h] + (layout == .yolov5 ? [box.objectness] : []) + box.scores + (extra?[b][i] ?? [])
            }
            let channels = rows[0].count
            if layout == .yolov5 {
                values += rows.flatMap { $0 }
            } else {
                for c in 0..<channels { values += rows.map { $0[c] } }
            }
        }
        let channels = values.count / images.count / n
        return .f32(values, dims: layout == .yolov8 ? [images.count, channels, n] : [images.count, n, channels])
    }

    /// A model ending as Ultralytics' heads do, in a Concat of the box channels and the rest ("head", tensor name
    /// "output0") read by the Result "output0". The Parameter x of `shape` is split into those two parts, so the
    /// head is x itself.
    private func model(_ shape: Shape, _ layout: DetectionLayout) throws -> Graph {
        let g = Graph(name: "detector")
        let x = try g.addParameter("x", TensorType(.f32, shape))
        let axis = layout == .yolov8 ? 1 : 2
        let split = try g.add(VariadicSplit(), [x.output(), g.constant(.scalar(i64: axis), name: "axis"),
                                                g.constant(.i64([4, -1]), name: "lengths")], name: "split")
        let head = try g.add(Concat(axis: axis), [split.output(0), split.output(1)], name: "head")
        g.addTensorNames(["output0"], to: head.output())
        try g.addResult(head.output(), name: "output0")
        return g
    }

    private func options(maxDet: Int, agnostic: Bool = false, classCount: Int? = nil) -> NMSOptions {
        var o = NMSOptions()
        o.maxDetections = maxDet
        o.agnostic = agnostic
        o.classCount = classCount
        return o
    }

    /// Runs InsertNMS on `graph`, verifies it, evaluates it on `input` and returns the one output.
    private func detect(_ graph: Graph, _ options: NMSOptions, _ input: Tensor, file: StaticString = #filePath, line: UInt = #line) throws -> Tensor {
        let result = try InsertNMS(options).run(on: graph)
        XCTAssertTrue(result.changed, file: file, line: line)
        try graph.verify()
        let outputs = try Evaluator().run(graph, inputs: ["x": input])
        XCTAssertEqual(outputs.count, 1, file: file, line: line)
        return outputs[0]
    }

    private func assertRows(_ t: Tensor, _ images: [[[Float]]], maxDet: Int, width: Int = 6, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(t.elementType, .f32, file: file, line: line)
        XCTAssertEqual(t.dims, [images.count, maxDet, width], file: file, line: line)
        let expected = images.flatMap { rows in
            rows.flatMap { $0 } + Array(repeating: 0, count: (maxDet - rows.count) * width)
        }
        let actual = (t.doubleValues() ?? []).map(Float.init)
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (k, (a, e)) in zip(actual, expected).enumerated() where a != e {
            XCTFail("image \(k / (maxDet * width)) row \(k / width % maxDet) column \(k % width): \(a), expected \(e)", file: file, line: line)
            return
        }
    }

    // MARK: Numbers

    /// Per class (the default): b0, b4, b2, b3, b6 and one zero row up to max_det 6.
    func testPerClassKeepsEachBoxInItsBestClass() throws {
        let out = try detect(model(.fixed([1, 6, 8]), .yolov8), options(maxDet: 6), prediction([scene], .yolov8))
        assertRows(out, [[b0c0, b4c0, b2c1, b3c1, b6c0]], maxDet: 6)
    }

    /// --agnostic: b4 suppresses b2 across classes; the class column is still each box's best class.
    func testAgnosticSuppressesAcrossClasses() throws {
        let out = try detect(model(.fixed([1, 6, 8]), .yolov8), options(maxDet: 6, agnostic: true), prediction([scene], .yolov8))
        assertRows(out, [[b0c0, b4c0, b3c1, b6c0]], maxDet: 6)
    }

    /// max_det 2 keeps the two best rows (b0 0.9, b4 0.7); max_det 5 exactly fits the five rows, no padding.
    func testMaxDetectionsTruncates() throws {
        let two = try detect(model(.fixed([1, 6, 8]), .yolov8), options(maxDet: 2), prediction([scene], .yolov8))
        assertRows(two, [[b0c0, b4c0]], maxDet: 2)
        let five = try detect(model(.fixed([1, 6, 8]), .yolov8), options(maxDet: 5), prediction([scene], .yolov8))
        assertRows(five, [[b0c0, b4c0, b2c1, b3c1, b6c0]], maxDet: 5)
    }

    /// The conf and iou options reach MulticlassNms: --conf 0.5 keeps b0, b4, b2 (b3 0.4 and b6 0.3 drop);
    /// --iou 0.9 is above IoU 0.82, so b1 is no longer suppressed by b0 (class 0: b0, b1, b4, b6).
    func testConfidenceAndIoUThresholds() throws {
        var strict = options(maxDet: 6)
        strict.confidence = 0.5
        assertRows(try detect(model(.fixed([1, 6, 8]), .yolov8), strict, prediction([scene], .yolov8)), [[b0c0, b4c0, b2c1]], maxDet: 6)
        var loose = options(maxDet: 6)
        loose.iou = 0.9
        let b1c0: [Float] = [1, 0, 11, 10, 0.8, 0]
        assertRows(try detect(model(.fixed([1, 6, 8]), .yolov8), loose, prediction([scene], .yolov8)),
                   [[b0c0, b1c0, b4c0, b2c1, b3c1, b6c0]], maxDet: 6)
    }

    /// Two images with 5 and 2 rows: image 1's rows start at its own row 0 (flat selection rows 5 and 6 go to
    /// [1, 0] and [1, 1]). Then an image without detections first: image 1's rows still start at row 0.
    func testBatchScattersEachImagesRowsToItsOwnTop() throws {
        let b3c1sparse: [Float] = [40, 40, 60, 60, 0.9, 1], b5c1: [Float] = [0, 40, 10, 50, 0.3, 1]
        let out = try detect(model(.fixed([2, 6, 8]), .yolov8), options(maxDet: 6), prediction([scene, sparse], .yolov8))
        assertRows(out, [[b0c0, b4c0, b2c1, b3c1, b6c0], [b3c1sparse, b5c1]], maxDet: 6)
        let emptyFirst = try detect(model(.fixed([2, 6, 8]), .yolov8), options(maxDet: 6), prediction([empty, sparse], .yolov8))
        assertRows(emptyFirst, [[], [b3c1sparse, b5c1]], maxDet: 6)
        // three images, the middle one empty: rows before image 2 are 5 + 0
        let three = try detect(model(.fixed([3, 6, 8]), .yolov8), options(maxDet: 6), prediction([scene, empty, sparse], .yolov8))
        assertRows(three, [[b0c0, b4c0, b2c1, b3c1, b6c0], [], [b3c1sparse, b5c1]], maxDet: 6)
    }

    /// YOLOv5 [B, N, 5+nc]: objectness multiplies the class scores. With objectness 0.5 for b0 and b3 (the
    /// others 1): b0 0.45 / 0.05 (best c0 0.45), b3 0.05 / 0.2 (best c1 0.2, now below --conf).
    /// Class 0: b1 0.8, b4 0.7, b0 0.45 (suppressed by b1, IoU 0.82), b6 0.3; class 1: b2 0.6.
    /// By score: b1, b4, b2, b6.
    func testYOLOv5MultipliesByObjectness() throws {
        var boxes = scene
        boxes[0].objectness = 0.5
        boxes[3].objectness = 0.5
        let g = try model(.fixed([1, 8, 7]), .yolov5)
        let out = try detect(g, options(maxDet: 6), prediction([boxes], .yolov5))
        assertRows(out, [[[1, 0, 11, 10, 0.8, 0], b4c0, b2c1, b6c0]], maxDet: 6)
        XCTAssertTrue(g.nodes.contains { $0.name == "output0/nms/class_times_objectness" })
    }

    /// Channels after the classes ride along: each kept box brings its own extra values, e0 = 100·(image+1) + i
    /// and e1 = e0 + 0.5 for box i, in both layouts (objectness 1, so YOLOv5 scores equal YOLOv8's). Two zero
    /// boxes (score 0) pad N to 10, so the 8 (yolov8) or 9 (yolov5) channels are fewer than the boxes.
    func testExtraChannelsRideAlongInBothLayouts() throws {
        let pad = Box(0, 0, 0, 0, [0, 0])
        let images = [scene + [pad, pad], sparse + [pad, pad]]
        let extra: [[[Float]]] = (0..<2).map { (b: Int) -> [[Float]] in
            (0..<10).map { (i: Int) -> [Float] in
                let e0 = Float(100 * (b + 1) + i)
                return [e0, e0 + 0.5]
            }
        }
        let image0: [[Float]] = [b0c0 + [100, 100.5], b4c0 + [104, 104.5], b2c1 + [102, 102.5], b3c1 + [103, 103.5], b6c0 + [106, 106.5]]
        let image1: [[Float]] = [[40, 40, 60, 60, 0.9, 1, 203, 203.5], [0, 40, 10, 50, 0.3, 1, 205, 205.5]]
        for (layout, shape) in [(DetectionLayout.yolov8, Shape.fixed([2, 8, 10])), (.yolov5, .fixed([2, 10, 9]))] {
            let out = try detect(model(shape, layout), options(maxDet: 6, classCount: 2), prediction(images, layout, extra: extra))
            assertRows(out, [image0, image1], maxDet: 6, width: 8)
        }
    }

    /// A dynamic batch and box count: the output is [?, max_det, 6] and one graph takes 1 or 3 images and any N.
    func testDynamicBatchAndBoxCount() throws {
        let g = try model(.ranked([.dynamic, .fixed(6), .dynamic]), .yolov8)
        let result = try InsertNMS(options(maxDet: 6)).run(on: g)
        XCTAssertTrue(result.changed)
        try g.verify()
        XCTAssertEqual(g.results[0].inputs[0].type, TensorType(.f32, .ranked([.dynamic, .fixed(6), .fixed(6)])))
        let one = try Evaluator().run(g, inputs: ["x": prediction([scene], .yolov8)])[0]
        assertRows(one, [[b0c0, b4c0, b2c1, b3c1, b6c0]], maxDet: 6)
        let three = try Evaluator().run(g, inputs: ["x": prediction([sparse, scene, empty], .yolov8)])[0]
        assertRows(three, [[[40, 40, 60, 60, 0.9, 1], [0, 40, 10, 50, 0.3, 1]], [b0c0, b4c0, b2c1, b3c1, b6c0], []], maxDet: 6)
        // only the first five boxes (b0..b4): b6 is gone, the rest as before
        let fewer = try Evaluator().run(g, inputs: ["x": prediction([Array(scene.prefix(5))], .yolov8)])[0]
        assertRows(fewer, [[b0c0, b4c0, b2c1, b3c1]], maxDet: 6)
    }

    // MARK: The graph

    /// The Result keeps its name and now reads the detections, which carry the head's tensor names; the old
    /// head keeps no name; every new node is named after the Result.
    func testResultKeepsItsNameAndTheTensorNamesMove() throws {
        let g = try model(.fixed([1, 6, 8]), .yolov8)
        let head = try XCTUnwrap(g.nodes.first { $0.name == "head" })
        let before = Set(g.nodes.map(\.name))
        XCTAssertTrue(try InsertNMS(options(maxDet: 300)).run(on: g).changed)
        try g.verify()
        XCTAssertEqual(g.results.map(\.name), ["output0"])
        let detections = g.results[0].inputs[0]
        XCTAssertEqual(detections.node.name, "output0/nms/detections")
        XCTAssertTrue(detections.node.op is ScatterNDUpdate)
        XCTAssertEqual(detections.names, ["output0"])
        XCTAssertEqual(head.tensorNames[0], [])
        XCTAssertEqual(detections.type, TensorType(.f32, .fixed([1, 300, 6])))
        let added = g.nodes.filter { !before.contains($0.name) }
        XCTAssertTrue(added.allSatisfy { $0.name.hasPrefix("output0/nms/") }, "\(added.map(\.name).filter { !$0.hasPrefix("output0/nms/") })")
        let nms = try XCTUnwrap(g.nodes.compactMap { $0.op as? MulticlassNms }.first)
        XCTAssertEqual(nms.keepTopK, 300)
        XCTAssertEqual(nms.iouThreshold, 0.7, accuracy: 1e-7)
        XCTAssertEqual(nms.scoreThreshold, 0.25, accuracy: 1e-7)
        XCTAssertEqual(nms.sortResultType, .score)
        XCTAssertEqual(nms.normalized, true)
        // the parameter keeps its own name
        XCTAssertEqual(g.parameters[0].tensorNames[0], ["x"])
    }

    /// An f16 head is converted to f32 first; the detections are f32.
    func testAnF16HeadIsConvertedToF32() throws {
        let g = Graph(name: "half")
        let x = try g.addParameter("x", TensorType(.f16, .fixed([1, 6, 8])))
        try g.addResult(g.add(Convert(.f16), [x.output()], name: "head").output(), name: "output0")
        XCTAssertTrue(try InsertNMS(options(maxDet: 6)).run(on: g).changed)
        try g.verify()
        XCTAssertEqual(g.results[0].inputs[0].type, TensorType(.f32, .fixed([1, 6, 6])))
        XCTAssertTrue(g.nodes.contains { $0.name == "output0/nms/to_f32" && ($0.op as? Convert)?.destinationType == .f32 })
    }

    /// A model that is no detector is refused and left as it was.
    func testARefusedModelIsLeftUnchanged() throws {
        let g = Graph(name: "classifier")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1, 10])))
        try g.addResult(g.add(Convert(.f32), [x.output()], name: "prob").output(), name: "prob")
        let before = try g.copy()
        XCTAssertThrowsError(try InsertNMS(NMSOptions()).run(on: g)) { error in
            XCTAssertTrue((error as? NMSRefusal)?.message.contains("'prob' f32[1,10]: not 3-D") == true, "\(error)")
        }
        assertSameGraph(g, before)
    }
}
