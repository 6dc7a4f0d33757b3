import XCTest
@testable import OVIR

final class ShuffleChannelsTests: XCTestCase {
    private func infer(_ op: ShuffleChannels, _ shape: Shape) throws -> [TensorType] {
        try op.inferTypes([InferenceInput(TensorType(.f32, shape))])
    }

    func testTheShapeStaysAndTheAxisMustDivideIntoGroups() throws {
        XCTAssertEqual(try infer(ShuffleChannels(axis: 1, group: 3), .fixed([2, 12, 5, 5])), [TensorType(.f32, .fixed([2, 12, 5, 5]))])
        // a negative axis counts from the end; a dynamic dim at the axis cannot be checked
        XCTAssertEqual(try infer(ShuffleChannels(axis: -1, group: 2), .fixed([3, 4])), [TensorType(.f32, .fixed([3, 4]))])
        XCTAssertEqual(try infer(ShuffleChannels(axis: 1, group: 5), .ranked([.fixed(1), .dynamic])), [TensorType(.f32, .ranked([.fixed(1), .dynamic]))])
        XCTAssertThrowsError(try infer(ShuffleChannels(axis: 1, group: 5), .fixed([1, 12, 2, 2]))) { error in
            XCTAssertTrue("\(error)".contains("not divisible by group 5"), "\(error)")
        }
        XCTAssertThrowsError(try infer(ShuffleChannels(axis: 4, group: 2), .fixed([1, 12, 2, 2])))
        XCTAssertThrowsError(try infer(ShuffleChannels(axis: 1, group: 0), .fixed([1, 12, 2, 2])))
        XCTAssertThrowsError(try infer(ShuffleChannels(axis: 0, group: 1), .fixed([])))
    }
}
