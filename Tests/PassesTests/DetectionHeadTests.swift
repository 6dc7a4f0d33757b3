import XCTest
import OVIR
@testable import Passes

/// Which output `--nms` post-processes, and how its channels divide; the refusals name each output and its shape.
final class DetectionHeadTests: XCTestCase {
    private let d = Dim.dynamic
    private func f(_ v: Int) -> Dim { .fixed(v) }

    /// A graph whose Results read Parameters of these element types and shapes, named by `outputs`' keys.
    private func graph(_ outputs: [(name: String, type: TensorType)]) throws -> Graph {
        let g = Graph(name: "g")
        for (name, type) in outputs {
            let p = try g.addParameter("\(name)_in", type)
            try g.addResult(p.output(), name: name)
        }
        return g
    }

    private func find(_ dims: [Dim], _ element: ElementType = .f32, layout: DetectionLayout? = nil, classCount: Int? = nil) throws -> DetectionHead {
        try DetectionHead.find(in: graph([("output0", TensorType(element, .ranked(dims)))]), layout: layout, classCount: classCount)
    }

    /// Asserts that `find` refuses with a message containing each of `phrases`.
    private func assertRefused(_ g: Graph, layout: DetectionLayout? = nil, classCount: Int? = nil, _ phrases: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DetectionHead.find(in: g, layout: layout, classCount: classCount), file: file, line: line) { error in
            guard let refusal = error as? NMSRefusal else { return XCTFail("\(error) is not an NMSRefusal", file: file, line: line) }
            for p in phrases { XCTAssertTrue(refusal.message.contains(p), "'\(p)' missing from: \(refusal.message)", file: file, line: line) }
        }
    }

    private func assertHead(_ head: DetectionHead, _ layout: DetectionLayout, classes: Int, extra: Int,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(head.layout, layout, file: file, line: line)
        XCTAssertEqual(head.classes, classes, "classes", file: file, line: line)
        XCTAssertEqual(head.extra, extra, "extra", file: file, line: line)
        XCTAssertEqual(head.result.name, "output0", file: file, line: line)
    }

    // MARK: Recognized

    /// [B, 4+nc, N]: channels (84) fewer than boxes (8400) along dim 1 -> yolov8 with 84 - 4 = 80 classes.
    func testYOLOv8FromStaticAndDynamicShapes() throws {
        assertHead(try find([f(1), f(84), f(8400)]), .yolov8, classes: 80, extra: 0)
        // dynamic batch and box count (a dynamic-size export): the fixed channel dim tells the layout
        assertHead(try find([d, f(84), d]), .yolov8, classes: 80, extra: 0)
        assertHead(try find([d, f(84), f(8400)]), .yolov8, classes: 80, extra: 0)
        // f16 outputs (a --half export) are floats too
        assertHead(try find([f(1), f(84), f(8400)], .f16), .yolov8, classes: 80, extra: 0)
        // the prediction is the Result's input
        let g = try graph([("output0", TensorType(.f32, .fixed([1, 84, 8400])))])
        let head = try DetectionHead.find(in: g, layout: nil, classCount: nil)
        XCTAssertEqual(head.prediction, g.parameters[0].output())
    }

    /// [B, N, 5+nc]: channels (85) fewer than boxes (25200) along dim 2 -> yolov5 with 85 - 5 = 80 classes.
    func testYOLOv5FromStaticAndDynamicShapes() throws {
        assertHead(try find([f(1), f(25200), f(85)]), .yolov5, classes: 80, extra: 0)
        assertHead(try find([d, d, f(85)]), .yolov5, classes: 80, extra: 0)
        assertHead(try find([d, f(25200), f(85)]), .yolov5, classes: 80, extra: 0)
    }

    /// A class count from the names splits the channels: a segment head [B, 4+80+32, N] has 32 mask
    /// coefficients after its classes; a YOLOv5 segment head [B, N, 5+80+32] = [B, N, 117] too.
    func testClassCountSplitsExtraChannels() throws {
        assertHead(try find([f(1), f(116), f(8400)], classCount: 80), .yolov8, classes: 80, extra: 32)
        assertHead(try find([d, f(116), d], classCount: 80), .yolov8, classes: 80, extra: 32)
        assertHead(try find([f(1), f(25200), f(117)], classCount: 80), .yolov5, classes: 80, extra: 32)
        // a pose head [B, 4+1+51, N]: one class, 17 keypoints × 3
        assertHead(try find([f(1), f(56), f(8400)], classCount: 1), .yolov8, classes: 1, extra: 51)
        // without the count every channel after the box is a class: 116 - 4
        assertHead(try find([f(1), f(116), f(8400)]), .yolov8, classes: 112, extra: 0)
        // the count exactly filling the channels leaves no extra
        assertHead(try find([f(1), f(84), f(8400)], classCount: 80), .yolov8, classes: 80, extra: 0)
    }

    /// 81 classes need at least 4 + 81 = 85 channels for yolov8 (or 86 for yolov5): [1, 84, 8400] fits neither.
    func testAClassCountTheChannelsCannotHoldIsRefused() throws {
        assertRefused(try graph([("output0", TensorType(.f32, .fixed([1, 84, 8400])))]), classCount: 81,
                      ["'output0' f32[1,84,8400]", "neither layout fits", "with 81 classes at least 85 or 86"])
    }

    /// --nms-layout decides where the shape cannot: [1, 7, 7] has as many channels as boxes either way.
    func testLayoutForcing() throws {
        let square = try graph([("output0", TensorType(.f32, .fixed([1, 7, 7])))])
        assertRefused(square, ["'output0' f32[1,7,7]", "neither layout fits (channels must be fixed and fewer than the boxes)"])
        // yolov8: 7 - 4 = 3 classes; yolov5: 7 - 5 = 2 classes
        assertHead(try find([f(1), f(7), f(7)], layout: .yolov8), .yolov8, classes: 3, extra: 0)
        assertHead(try find([f(1), f(7), f(7)], layout: .yolov5), .yolov5, classes: 2, extra: 0)
        // forcing the layout against what the shape says reads the other dim as the channels: [1, 84, 8400] as
        // yolov5 has 8400 - 5 = 8395 classes (the user's word wins)
        assertHead(try find([f(1), f(84), f(8400)], layout: .yolov5), .yolov5, classes: 8395, extra: 0)
        // with a class count the rest is extra: yolov8 [1, 7, 7] with 1 class -> 7 - 4 - 1 = 2 extra
        assertHead(try find([f(1), f(7), f(7)], layout: .yolov8, classCount: 1), .yolov8, classes: 1, extra: 2)
    }

    /// A forced layout still needs a fixed channel dim and room for at least one class.
    func testForcedLayoutWithoutRoomIsRefused() throws {
        assertRefused(try graph([("output0", TensorType(.f32, .ranked([d, d, d])))]), layout: .yolov8,
                      ["'output0' f32[?,?,?]", "the yolov8 layout needs a fixed channel count in dim 1"])
        assertRefused(try graph([("output0", TensorType(.f32, .ranked([d, d, d])))]), layout: .yolov5,
                      ["the yolov5 layout needs a fixed channel count in dim 2"])
        // 4 channels as yolov8: no class left
        assertRefused(try graph([("output0", TensorType(.f32, .fixed([1, 4, 8400])))]), layout: .yolov8,
                      ["'output0' f32[1,4,8400]", "4 channels leave no room for 4 box channels and 0 classes"])
        // 85 channels as yolov5 with 81 classes: 85 - 5 - 81 < 0
        assertRefused(try graph([("output0", TensorType(.f32, .fixed([1, 25200, 85])))]), layout: .yolov5, classCount: 81,
                      ["85 channels leave no room for 5 box channels and 81 classes"])
    }

    /// [B, N, 6] is what end2end heads end in, unless the model names exactly one class: then 5 + 1 = 6 is a
    /// one-class YOLOv5 head.
    func testOneClassYOLOv5IsAcceptedWithItsClassCountOrLayout() throws {
        assertRefused(try graph([("output0", TensorType(.f32, .fixed([1, 25200, 6])))]),
                      ["'output0' f32[1,25200,6]", "already final detections [B, max_det, 6]", "--nms-layout yolov5"])
        assertHead(try find([f(1), f(25200), f(6)], classCount: 1), .yolov5, classes: 1, extra: 0)
        assertHead(try find([d, d, f(6)], classCount: 1), .yolov5, classes: 1, extra: 0)
        assertHead(try find([f(1), f(25200), f(6)], layout: .yolov5), .yolov5, classes: 1, extra: 0)
    }

    // MARK: Refused

    func testEnd2EndOutputIsRefused() throws {
        // [1, 300, 6]: x1, y1, x2, y2, score, class already; with 80 classes a head would need 85 channels
        for count in [nil, 80] {
            assertRefused(try graph([("output0", TensorType(.f32, .fixed([1, 300, 6])))]), classCount: count,
                          ["no output is a YOLO-style detection head ([B, 4+nc, N] or [B, N, 5+nc])",
                           "'output0' f32[1,300,6]: already final detections [B, max_det, 6] (an end2end or NMS export)"])
        }
        assertRefused(try graph([("output0", TensorType(.f32, .ranked([d, f(300), f(6)])))]), ["'output0' f32[?,300,6]: already final detections"])
    }

    /// The first NMS-like node refuses the model whatever its outputs look like.
    func testAModelWithAnNMSNodeIsRefused() throws {
        for (op, type) in [(MulticlassNms() as any Op, "MulticlassNms"), (NonMaxSuppression(), "NonMaxSuppression")] {
            let g = try graph([("raw", TensorType(.f32, .fixed([1, 84, 8400])))])
            let boxes = try g.addParameter("boxes", TensorType(.f32, .fixed([1, 10, 4])))
            let scores = try g.addParameter("scores", TensorType(.f32, .fixed([1, 2, 10])))
            let nms = try g.add(op, [boxes.output(), scores.output()], name: "post/nms")
            try g.addResult(nms.output(0), name: "selected")
            assertRefused(g, ["the model already selects its boxes: it has \(type) node 'post/nms'"])
        }
    }

    func testClassifierOutputIsRefusedNamingItsShape() throws {
        assertRefused(try graph([("prob", TensorType(.f32, .fixed([1, 10])))]),
                      ["no output is a YOLO-style detection head", "'prob' f32[1,10]: not 3-D"])
        assertRefused(try graph([("prob", TensorType(.f32, .dynamicRank))]), ["'prob' f32[...]: not 3-D"])
    }

    func testNonFloatOutputIsRefused() throws {
        assertRefused(try graph([("labels", TensorType(.i64, .fixed([1, 84, 8400])))]),
                      ["'labels' i64[1,84,8400]: element type i64 is not a float"])
    }

    /// The first output that is a head wins; when none is, every output is listed with its reason.
    func testEveryOutputIsTriedAndEveryReasonListed() throws {
        let mixed = try graph([("prob", TensorType(.f32, .fixed([1, 10]))), ("output0", TensorType(.f32, .fixed([1, 84, 8400])))])
        let head = try DetectionHead.find(in: mixed, layout: nil, classCount: nil)
        XCTAssertEqual(head.result.name, "output0")
        let none = try graph([("prob", TensorType(.f32, .fixed([1, 10]))), ("ids", TensorType(.i32, .fixed([1, 5, 100])))])
        assertRefused(none, ["'prob' f32[1,10]: not 3-D; 'ids' i32[1,5,100]: element type i32 is not a float"])
    }
}
