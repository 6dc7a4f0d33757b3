import XCTest
@testable import OVIR

final class BroadcastTests: XCTestCase {
    private func target(_ value: [Dim]) -> InferenceInput {
        InferenceInput(TensorType(.i64, .fixed([value.count])), value: value)
    }

    func testTargetKnownInPartGivesItsKnownDims() throws {
        // data [3, 1] (as [1, 3, 1]) to target [?, 3, 5] (numpy): the output is the target, unknown dim included
        // (OpenVINO does not take it from the data either).
        let data = InferenceInput(TensorType(.f32, .fixed([3, 1])))
        let t = target([.dynamic, .fixed(3), .fixed(5)])
        XCTAssertEqual(try Broadcast().inferTypes([data, t])[0].shape, .ranked([.dynamic, .fixed(3), .fixed(5)]))
        // A bounded target dim over a data dim of 1 keeps its bounds.
        let one = InferenceInput(TensorType(.f32, .fixed([1])))
        XCTAssertEqual(try Broadcast().inferTypes([one, target([Dim(lower: 2, upper: 4)])])[0].shape, .ranked([Dim(lower: 2, upper: 4)]))
    }

    func testComputedButExactTargetIsStatic() throws {
        let data = InferenceInput(TensorType(.f32, .fixed([1])))
        XCTAssertEqual(try Broadcast().inferTypes([data, target([.fixed(2), .fixed(3)])])[0].shape, .fixed([2, 3]))
    }

    func testOneKnownElementRepeatsIntoTheValue() {
        // ConstantOfShape(value 1, shape [3]) -> [1, 1, 1]
        let one = InferenceInput(TensorType(.i64, .fixed([1])), constant: .i64([1]))
        XCTAssertEqual(Broadcast().inferValue([one, target([.fixed(3)])]), [.fixed(1), .fixed(1), .fixed(1)])
    }
}
