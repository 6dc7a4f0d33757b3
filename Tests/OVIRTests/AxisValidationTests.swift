import XCTest
@testable import OVIR

/// Ops whose axis comes from an attribute or a constant input reject axes outside the data's rank.
final class AxisValidationTests: XCTestCase {
    private let data = InferenceInput(TensorType(.f32, .fixed([2, 3])))
    private func axis(_ v: Int) -> InferenceInput { InferenceInput(TensorType(.i64, .scalar), constant: .scalar(i64: v)) }

    func testCumSum() throws {
        XCTAssertNoThrow(try CumSum().inferTypes([data, axis(-1)]))
        XCTAssertThrowsError(try CumSum().inferTypes([data, axis(99)])) { XCTAssertTrue("\($0)".contains("out of range"), "\($0)") }
    }

    func testReverseSequence() throws {
        let lengths = InferenceInput(TensorType(.i64, .fixed([2])))
        XCTAssertNoThrow(try ReverseSequence(batchAxis: 0, seqAxis: 1).inferTypes([data, lengths]))
        XCTAssertThrowsError(try ReverseSequence(batchAxis: 9, seqAxis: 1).inferTypes([data, lengths]))
        XCTAssertThrowsError(try ReverseSequence(batchAxis: 1, seqAxis: -1).inferTypes([data, lengths]))
    }

    func testScatterElementsUpdate() throws {
        let indices = InferenceInput(TensorType(.i64, .fixed([2, 3])))
        XCTAssertNoThrow(try ScatterElementsUpdate().inferTypes([data, indices, data, axis(1)]))
        XCTAssertThrowsError(try ScatterElementsUpdate().inferTypes([data, indices, data, axis(99)]))
    }
}
