import XCTest
@testable import OVIR

final class Col2ImTests: XCTestCase {
    private func infer(_ data: TensorType, size: [Int]?, kernel: [Int]?, op: Col2Im = Col2Im()) throws -> [TensorType] {
        func shapeInput(_ v: [Int]?) -> InferenceInput {
            v.map { InferenceInput(TensorType(.i64, .fixed([$0.count])), constant: .i64($0, dims: [$0.count])) }
                ?? InferenceInput(TensorType(.i64, .fixed([2])))
        }
        return try op.inferTypes([InferenceInput(data), shapeInput(size), shapeInput(kernel)])
    }

    func testChannelsComeFromTheKernelAndTheImageFromOutputSize() throws {
        // OpenVINO 2026.4.1 infers [2, 3, 7, 8] for data [2, 12, 24], size [7, 8], kernel [2, 2], strides 1,2,
        // dilations 2,1, pads_begin 1,0, pads_end 0,1 (and refuses 30 blocks, wanting 24: 6 rows · 4 columns).
        let op = Col2Im(strides: [1, 2], dilations: [2, 1], padsBegin: [1, 0], padsEnd: [0, 1])
        XCTAssertEqual(try infer(TensorType(.f32, .fixed([2, 12, 24])), size: [7, 8], kernel: [2, 2], op: op),
                       [TensorType(.f32, .fixed([2, 3, 7, 8]))])
        XCTAssertThrowsError(try infer(TensorType(.f32, .fixed([2, 12, 30])), size: [7, 8], kernel: [2, 2], op: op)) {
            XCTAssertTrue("\($0)".contains("data holds 30 blocks") && "\($0)".contains("has 24"), "\($0)")
        }
        // unbatched
        // unbatched: a 1×5 kernel fits 2 × 2 times in a 2×6 image
        XCTAssertEqual(try infer(TensorType(.f16, .fixed([10, 4])), size: [2, 6], kernel: [1, 5]), [TensorType(.f16, .fixed([2, 2, 6]))])
    }

    func testUnknownSizesAndKernelsLeaveTheirDimsUnknown() throws {
        XCTAssertEqual(try infer(TensorType(.f32, .fixed([1, 5, 5])), size: nil, kernel: [1, 5]),
                       [TensorType(.f32, .ranked([.fixed(1), .fixed(1), .dynamic, .dynamic]))])
        XCTAssertEqual(try infer(TensorType(.f32, .fixed([1, 5, 5])), size: [5, 5], kernel: nil),
                       [TensorType(.f32, .ranked([.fixed(1), .dynamic, .fixed(5), .fixed(5)]))])
        XCTAssertEqual(try infer(TensorType(.f32, .dynamicRank), size: [5, 5], kernel: [1, 5]), [TensorType(.f32, .dynamicRank)])
    }

    func testInputsThatDoNotMakeAnImageAreRefused() throws {
        for (data, size, kernel, message) in [
            ([1, 6, 5], [5, 5], [1, 5], "not a multiple"),
            ([1, 5, 5], [5, 5], [0, 5], "2 positive values"),
            ([1, 6, 5], [5, 5], [1, 6], "does not fit"),
            ([1, 1, 5, 5], [5, 5], [1, 5], "data must be"),
        ] {
            XCTAssertThrowsError(try infer(TensorType(.f32, .fixed(data)), size: size, kernel: kernel)) {
                XCTAssertTrue("\($0)".contains(message), "\(data) \(kernel): \($0)")
            }
        }
        XCTAssertThrowsError(try infer(TensorType(.f32, .fixed([1, 5, 5])), size: [5, 5], kernel: [1, 5],
                                       op: Col2Im(strides: [0, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0]))) {
            XCTAssertTrue("\($0)".contains("strides must hold 2 values of at least 1"), "\($0)")
        }
        let floatSize = InferenceInput(TensorType(.f32, .fixed([2])))
        XCTAssertThrowsError(try Col2Im().inferTypes([InferenceInput(TensorType(.f32, .fixed([1, 5, 5]))), floatSize, floatSize])) {
            XCTAssertTrue("\($0)".contains("output_size must be i32 or i64"), "\($0)")
        }
    }

    /// Found in review: the block count of two huge axes overflowed Int (a trap) before it was compared with L.
    func testABlockCountThatOverflowsIsRefused() {
        let m = Col2Im.limit
        let op = Col2Im(strides: [1, 1], dilations: [1, 1], padsBegin: [m, m], padsEnd: [m, m])
        XCTAssertThrowsError(try infer(TensorType(.f32, .ranked([.fixed(1), .fixed(1), .dynamic])), size: [m, m], kernel: [1, 1], op: op)) {
            XCTAssertTrue("\($0)".contains("too many blocks"), "\($0)")
        }
    }
}
