import XCTest
@testable import OVIR

final class NonMaxSuppressionTests: XCTestCase {
    private func input(_ type: ElementType = .f32, _ dims: [Dim]) -> InferenceInput { InferenceInput(TensorType(type, .ranked(dims))) }
    private func fixed(_ dims: [Int], _ type: ElementType = .f32) -> InferenceInput { input(type, dims.map(Dim.fixed)) }
    private func maximum(_ v: Int, dims: [Int] = []) -> InferenceInput {
        InferenceInput(TensorType(.i64, .fixed(dims)), constant: .i64([v], dims: dims))
    }
    private let boxes = InferenceInput(TensorType(.f32, .fixed([2, 50, 4])))
    private let scores = InferenceInput(TensorType(.f32, .fixed([2, 3, 50])))
    private func upTo(_ n: Int) -> Dim { Dim(lower: 0, upper: n) }

    func testConstantMaximumBoundsTheRows() throws {
        // min(50, 5) per image and class, times B 2 and C 3 = 30
        let out = try NonMaxSuppression().inferTypes([boxes, scores, maximum(5)])
        XCTAssertEqual(out, [TensorType(.i64, .ranked([upTo(30), .fixed(3)])),
                             TensorType(.f32, .ranked([upTo(30), .fixed(3)])),
                             TensorType(.i64, .fixed([1]))])
        // a 1-element 1-D maximum, larger than N: min(50, 100) · 6 = 300
        XCTAssertEqual(try NonMaxSuppression().inferTypes([boxes, scores, maximum(100, dims: [1])])[0].shape.dims?[0], upTo(300))
        XCTAssertEqual(try NonMaxSuppression().inferTypes([boxes, scores, maximum(Int(Int64.max))])[0].shape.dims?[0], upTo(300))
    }

    func testMissingOrZeroMaximumSelectsNothing() throws {
        XCTAssertEqual(try NonMaxSuppression().inferTypes([boxes, scores])[0].shape, .fixed([0, 3]))
        XCTAssertEqual(try NonMaxSuppression().inferTypes([boxes, scores, maximum(0)])[1].shape, .fixed([0, 3]))
    }

    func testUnknownMaximumAndDynamicDims() throws {
        let unknown = InferenceInput(TensorType(.i64, .scalar))
        XCTAssertEqual(try NonMaxSuppression().inferTypes([boxes, scores, unknown])[0].shape, .ranked([.dynamic, .fixed(3)]))
        // N dynamic: unbounded, as in OpenVINO
        let n = try NonMaxSuppression().inferTypes([input(.f32, [.fixed(2), .dynamic, .fixed(4)]), input(.f32, [.fixed(2), .fixed(3), .dynamic]), maximum(5)])
        XCTAssertEqual(n[0].shape, .ranked([.dynamic, .fixed(3)]))
        // B 1..4: at most 4 · 3 · 5 = 60
        let b = Dim(lower: 1, upper: 4)
        let bounded = try NonMaxSuppression().inferTypes([input(.f32, [b, .fixed(50), .fixed(4)]), input(.f32, [b, .fixed(3), .fixed(50)]), maximum(5)])
        XCTAssertEqual(bounded[0].shape, .ranked([upTo(60), .fixed(3)]))
        // a dynamic batch: unbounded
        let dynamicBatch = try NonMaxSuppression().inferTypes([input(.f32, [.dynamic, .fixed(50), .fixed(4)]), input(.f32, [.dynamic, .fixed(3), .fixed(50)]), maximum(5)])
        XCTAssertEqual(dynamicBatch[0].shape, .ranked([.dynamic, .fixed(3)]))
        let ranks = try NonMaxSuppression().inferTypes([InferenceInput(TensorType(.f32, .dynamicRank)), InferenceInput(TensorType(.f32, .dynamicRank)), maximum(5)])
        XCTAssertEqual(ranks.map(\.shape), [.ranked([.dynamic, .fixed(3)]), .ranked([.dynamic, .fixed(3)]), .fixed([1])])
    }

    func testElementTypes() throws {
        // selected_scores is f32 whatever the boxes are; the indices and count follow output_type
        let op = NonMaxSuppression(boxEncoding: .center, sortResultDescending: false, outputType: .i32)
        let out = try op.inferTypes([fixed([1, 4, 4], .f16), fixed([1, 2, 4], .f16)])
        XCTAssertEqual(out.map(\.elementType), [.i32, .f32, .i32])
        XCTAssertThrowsError(try NonMaxSuppression(boxEncoding: .corner, outputType: .u8).inferTypes([boxes, scores])) {
            XCTAssertTrue("\($0)".contains("output_type must be i32 or i64, got u8"), "\($0)")
        }
    }

    func testBadInputsAreRefused() {
        let cases: [([InferenceInput], String)] = [
            ([boxes, scores, maximum(5, dims: [2])], "max_output_boxes_per_class must be a scalar or a 1-element 1-D tensor, got [2]"),
            ([boxes, scores, fixed([]), fixed([])], "max_output_boxes_per_class must be an integer, got f32"),
            ([boxes, scores, maximum(5), fixed([], .i64)], "iou_threshold must be a float, got i64"),
            ([boxes, scores, maximum(5), fixed([]), fixed([1, 1])], "score_threshold must be a scalar or a 1-element 1-D tensor, got [1,1]"),
            ([boxes, scores, maximum(5), fixed([]), fixed([]), fixed([], .i32)], "soft_nms_sigma must be a float, got i32"),
            ([boxes, scores, maximum(5), fixed([]), fixed([]), fixed([]), fixed([])], "expects 2...6 inputs, got 7"),
            ([fixed([2, 50, 4]), fixed([2, 50])], "scores must be 3-D [batch, classes, boxes], got [2,50]"),
            ([fixed([2, 50, 2]), scores], "boxes must have 4 coordinates in their last dim, got [2,50,2]"),
            ([fixed([1, 50, 4]), scores], "boxes [1,50,4] and scores [2,3,50] differ in the batch dim"),
        ]
        for (inputs, message) in cases {
            XCTAssertThrowsError(try NonMaxSuppression().inferTypes(inputs)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }
}
