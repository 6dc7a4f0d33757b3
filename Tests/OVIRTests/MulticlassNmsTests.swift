import XCTest
@testable import OVIR

final class MulticlassNmsTests: XCTestCase {
    private func input(_ type: ElementType = .f32, _ dims: [Dim]) -> InferenceInput { InferenceInput(TensorType(type, .ranked(dims))) }
    private func fixed(_ dims: [Int], _ type: ElementType = .f32) -> InferenceInput { input(type, dims.map(Dim.fixed)) }
    private func upTo(_ n: Int) -> Dim { Dim(lower: 0, upper: n) }

    func testStaticInputsBoundTheRows() throws {
        // B 2, N 50, C 3: at most 2·3·50 = 300 rows, the count per image [2]
        let out = try MulticlassNms().inferTypes([fixed([2, 50, 4]), fixed([2, 3, 50])])
        XCTAssertEqual(out, [TensorType(.f32, .ranked([upTo(300), .fixed(6)])),
                             TensorType(.i64, .ranked([upTo(300), .fixed(1)])),
                             TensorType(.i64, .fixed([2]))])
    }

    func testTopKAttributesTightenTheBound() throws {
        func rows(_ configure: (inout MulticlassNms) -> Void) throws -> Dim? {
            var op = MulticlassNms()
            configure(&op)
            return try op.inferTypes([fixed([2, 50, 4]), fixed([2, 3, 50])])[0].shape.dims?[0]
        }
        XCTAssertEqual(try rows { $0.nmsTopK = 10 }, upTo(60))                        // 2 · 3 · 10
        XCTAssertEqual(try rows { $0.nmsTopK = 100 }, upTo(300))                      // min(100, 50) = 50
        XCTAssertEqual(try rows { $0.keepTopK = 7 }, upTo(14))                        // 2 · min(7, 150)
        XCTAssertEqual(try rows { $0.nmsTopK = 10; $0.keepTopK = 100 }, upTo(60))     // 2 · min(100, 30)
        XCTAssertEqual(try rows { $0.nmsTopK = 0 }, .fixed(0))
        XCTAssertEqual(try rows { $0.keepTopK = 0 }, .fixed(0))
        // OpenVINO does not subtract the background class from the bound
        XCTAssertEqual(try rows { $0.backgroundClass = 1 }, upTo(300))
    }

    func testDynamicAndBoundedDims() throws {
        // a dynamic batch leaves the rows unbounded and the count per image [?]
        let dynamicBatch = try MulticlassNms().inferTypes([input(.f32, [.dynamic, .fixed(50), .fixed(4)]), input(.f32, [.dynamic, .fixed(3), .fixed(50)])])
        XCTAssertEqual(dynamicBatch[0].shape, .ranked([.dynamic, .fixed(6)]))
        XCTAssertEqual(dynamicBatch[2].shape, .ranked([.dynamic]))
        // batch 1..4: at most 4 · 3 · 50 = 600 rows; the count per image keeps the bounds
        let bounded = Dim(lower: 1, upper: 4)
        let b = try MulticlassNms().inferTypes([input(.f32, [bounded, .fixed(50), .fixed(4)]), input(.f32, [bounded, .fixed(3), .fixed(50)])])
        XCTAssertEqual(b[1].shape, .ranked([upTo(600), .fixed(1)]))
        XCTAssertEqual(b[2].shape, .ranked([bounded]))
        // a static batch in one input and a dynamic one in the other: the static one
        let mixed = try MulticlassNms().inferTypes([input(.f32, [.dynamic, .fixed(50), .fixed(4)]), fixed([2, 3, 50])])
        XCTAssertEqual(mixed[2].shape, .fixed([2]))
        XCTAssertEqual(mixed[0].shape.dims?[0], upTo(300))
        // unknown classes: keep_top_k does not bound an unbounded product (as in OpenVINO)
        var op = MulticlassNms()
        op.keepTopK = 7
        let classes = try op.inferTypes([fixed([2, 50, 4]), input(.f32, [.fixed(2), .dynamic, .fixed(50)])])
        XCTAssertEqual(classes[0].shape.dims?[0], .dynamic)
        // dynamic ranks
        let ranks = try MulticlassNms().inferTypes([InferenceInput(TensorType(.f32, .dynamicRank)), InferenceInput(TensorType(.f32, .dynamicRank))])
        XCTAssertEqual(ranks.map(\.shape), [.ranked([.dynamic, .fixed(6)]), .ranked([.dynamic, .fixed(1)]), .ranked([.dynamic])])
    }

    func testElementTypes() throws {
        var op = MulticlassNms()
        op.outputType = .i32
        let out = try op.inferTypes([fixed([1, 4, 4], .f16), fixed([1, 2, 4], .f16)])
        XCTAssertEqual(out.map(\.elementType), [.f16, .i32, .i32])
        op.outputType = .f32
        XCTAssertThrowsError(try op.inferTypes([fixed([1, 4, 4]), fixed([1, 2, 4])])) {
            XCTAssertTrue("\($0)".contains("output_type must be i32 or i64, got f32"), "\($0)")
        }
        XCTAssertThrowsError(try MulticlassNms().inferTypes([fixed([1, 4, 4], .i64), fixed([1, 2, 4])])) {
            XCTAssertTrue("\($0)".contains("boxes must have a floating-point element type, got i64"), "\($0)")
        }
    }

    func testBadShapesAreRefused() {
        let cases: [([Int], [Int], String)] = [
            ([2, 50], [2, 3, 50], "boxes must be 3-D [batch, boxes, 4], got [2,50]"),
            ([2, 50, 4], [2, 50], "scores must be 3-D [batch, classes, boxes], got [2,50]"),
            ([2, 50, 5], [2, 3, 50], "boxes must have 4 coordinates in their last dim, got [2,50,5]"),
            ([2, 50, 4], [3, 3, 50], "boxes [2,50,4] and scores [3,3,50] differ in the batch dim"),
            ([2, 50, 4], [2, 3, 40], "boxes [2,50,4] and scores [2,3,40] differ in the box count"),
        ]
        for (boxes, scores, message) in cases {
            XCTAssertThrowsError(try MulticlassNms().inferTypes([fixed(boxes), fixed(scores)])) {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
        }
        XCTAssertThrowsError(try MulticlassNms().inferTypes([fixed([3, 50, 4]), fixed([3, 50]), fixed([2], .i32)])) {
            XCTAssertTrue("\($0)".contains("the 3-input form"), "\($0)")
        }
    }

    func testBadAttributesAreRefused() {
        func message(_ configure: (inout MulticlassNms) -> Void) -> String {
            var op = MulticlassNms()
            configure(&op)
            do {
                _ = try op.inferTypes([fixed([1, 4, 4]), fixed([1, 2, 4])])
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message { $0.nmsTopK = -2 }, "nms_top_k must be -1 or more, got -2")
        XCTAssertEqual(message { $0.keepTopK = -5 }, "keep_top_k must be -1 or more, got -5")
        XCTAssertEqual(message { $0.backgroundClass = -3 }, "background_class must be -1 or more, got -3")
        XCTAssertEqual(message { $0.nmsEta = 1.5 }, "nms_eta must be in [0, 1], got 1.5")
    }

    func testGraphErrorsNameTheNode() throws {
        let g = Graph(name: "g")
        let boxes = try g.addParameter("boxes", TensorType(.f32, .fixed([1, 8, 4])))
        let scores = try g.addParameter("scores", TensorType(.f32, .fixed([1, 2, 9])))
        XCTAssertThrowsError(try g.add(MulticlassNms(), [boxes.output(), scores.output()], name: "head/nms")) {
            XCTAssertTrue("\($0)".contains("node 'head/nms': MulticlassNms: boxes [1,8,4] and scores [1,2,9]"), "\($0)")
        }
    }
}
