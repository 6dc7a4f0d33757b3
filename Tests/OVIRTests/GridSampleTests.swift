import XCTest
@testable import OVIR

final class GridSampleTests: XCTestCase {
    private func infer(_ data: TensorType, _ grid: TensorType) throws -> [TensorType] {
        try GridSample().inferTypes([InferenceInput(data), InferenceInput(grid)])
    }

    func testTheOutputTakesChannelsFromDataAndPositionsFromTheGrid() throws {
        XCTAssertEqual(try infer(TensorType(.f32, .fixed([2, 3, 4, 5])), TensorType(.f32, .fixed([2, 6, 7, 2]))),
                       [TensorType(.f32, .fixed([2, 3, 6, 7]))])
        // the batch comes from whichever input knows it; unknown dims stay unknown
        XCTAssertEqual(try infer(TensorType(.f16, .ranked([.dynamic, .fixed(3), .dynamic, .dynamic])),
                                 TensorType(.f32, .ranked([.fixed(2), .dynamic, .fixed(7), .fixed(2)]))),
                       [TensorType(.f16, .ranked([.fixed(2), .fixed(3), .dynamic, .fixed(7)]))])
        XCTAssertEqual(try infer(TensorType(.f32, .dynamicRank), TensorType(.f32, .dynamicRank)),
                       [TensorType(.f32, .ranked([.dynamic, .dynamic, .dynamic, .dynamic]))])
    }

    func testShapesThatCannotBeSampledAreRefused() throws {
        let data = TensorType(.f32, .fixed([2, 3, 4, 5]))
        for (grid, message) in [(TensorType(.f32, .fixed([2, 6, 7, 3])), "last dim must be 2"),
                                (TensorType(.f32, .fixed([1, 6, 7, 2])), "different batch sizes"),
                                (TensorType(.f32, .fixed([2, 6, 7, 2, 2])), "grid must be 4-D"),
                                (TensorType(.i64, .fixed([2, 6, 7, 2])), "floating point")] {
            XCTAssertThrowsError(try infer(data, grid)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
        XCTAssertThrowsError(try infer(TensorType(.f32, .fixed([2, 3, 4, 5, 6])), TensorType(.f32, .fixed([2, 6, 7, 2])))) {
            XCTAssertTrue("\($0)".contains("data must be 4-D"), "\($0)")
        }
    }
}
