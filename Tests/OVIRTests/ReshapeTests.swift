import XCTest
@testable import OVIR

final class ReshapeTests: XCTestCase {
    private func infer(_ op: Reshape, _ input: Shape, _ target: [Int]) throws -> Shape {
        let shape = InferenceInput(TensorType(.i64, .fixed([target.count])), constant: .i64(target))
        return try op.inferTypes([InferenceInput(TensorType(.f32, input)), shape])[0].shape
    }

    func testSpecialZeroCopiesAndMinusOneInfers() throws {
        XCTAssertEqual(try infer(Reshape(specialZero: true), .fixed([5, 6, 7, 8]), [0, -1, 4]), .fixed([5, 84, 4]))
        // Without special_zero a 0 is a real 0.
        XCTAssertEqual(try infer(Reshape(specialZero: false), .fixed([0, 3]), [0, -1]), .fixed([0, 0]))
    }

    func testCopiedDynamicDimCancels() throws {
        let input = Shape.ranked([.dynamic, .fixed(6), .fixed(7), .fixed(8)])
        XCTAssertEqual(try infer(Reshape(specialZero: true), input, [0, -1, 4]), .ranked([.dynamic, .fixed(84), .fixed(4)]))
        XCTAssertEqual(try infer(Reshape(specialZero: true), input, [2, -1]), .ranked([.fixed(2), .dynamic]))
    }

    func testRuntimeTargetGivesRankOnly() throws {
        let op = Reshape()
        let types = try op.inferTypes([InferenceInput(TensorType(.f32, .fixed([2, 3]))), InferenceInput(TensorType(.i64, .fixed([3])))])
        XCTAssertEqual(types[0].shape, .dynamic(rank: 3))
    }

    func testInvalidTargets() {
        XCTAssertThrowsError(try infer(Reshape(), .fixed([2, 3]), [4, -1]))
        XCTAssertThrowsError(try infer(Reshape(), .fixed([2, 3]), [-1, -1]))
        XCTAssertThrowsError(try infer(Reshape(), .fixed([2, 3]), [5]))
    }

    /// Found by the ir fuzz target (testdata/fuzz/ir/reshape_target_dims_overflow_element_count.ir): element counts
    /// of absurd dims overflowed Int and trapped; now the reshape is refused.
    func testElementCountsThatOverflowAreRefused() {
        for (input, target) in [([1, 4], [Int.max / 2, 4]), ([1 << 40, 1 << 40], [2, 2]), ([1 << 40, 1 << 40], [-1, 2]),
                                ([4], [1 << 40, 1 << 40, -1])] {
            XCTAssertThrowsError(try infer(Reshape(), .fixed(input), target), "\(input) to \(target)") { error in
                XCTAssertTrue("\(error)".contains("too many elements"), "\(error)")
            }
        }
    }
}

final class ReshapePartialTargetTests: XCTestCase {
    private func infer(_ op: Reshape, _ input: Shape, _ target: [Dim]) throws -> Shape {
        let shape = InferenceInput(TensorType(.i64, .fixed([target.count])), value: target)
        return try op.inferTypes([InferenceInput(TensorType(.f32, input)), shape])[0].shape
    }

    func testKnownElementsOfAComputedTarget() throws {
        // target [x.dims[0], 144, -1] with x.dims[0] unknown: [?, 144, ?]
        XCTAssertEqual(try infer(Reshape(), .dynamic(rank: 3), [.dynamic, .fixed(144), .fixed(-1)]),
                       .ranked([.dynamic, .fixed(144), .dynamic]))
        // A bounded element is its own range; one that may be 0 under special_zero stays unknown.
        XCTAssertEqual(try infer(Reshape(specialZero: true), .dynamic(rank: 2), [Dim(lower: 1, upper: 8), Dim(lower: 0, upper: 8)]),
                       .ranked([Dim(lower: 1, upper: 8), .dynamic]))
        // special_zero 0 still copies.
        XCTAssertEqual(try infer(Reshape(specialZero: true), .ranked([.fixed(7), .dynamic]), [.fixed(0), .dynamic]),
                       .ranked([.fixed(7), .dynamic]))
    }

    func testTwoMinusOnesStillFail() {
        XCTAssertThrowsError(try infer(Reshape(), .dynamic(rank: 2), [.fixed(-1), .fixed(-1), .dynamic]))
    }
}
