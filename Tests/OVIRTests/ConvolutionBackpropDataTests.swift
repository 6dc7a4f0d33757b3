import XCTest
@testable import OVIR

final class ConvolutionBackpropDataTests: XCTestCase {
    private func infer<O: Op>(_ op: O, _ inputs: [InferenceInput]) throws -> Shape {
        try op.inferTypes(inputs)[0].shape
    }

    private func f32(_ shape: Shape) -> InferenceInput { InferenceInput(TensorType(.f32, shape)) }

    func testStridesPadsAndOutputPadding() throws {
        let op = ConvolutionBackpropData(strides: [3, 2], dilations: [1, 1], padsBegin: [1, 2], padsEnd: [1, 2], outputPadding: [1, 1])
        // (3-1)·3 + 3 - 2 + 1 = 8; (3-1)·2 + 3 - 4 + 1 = 4
        XCTAssertEqual(try infer(op, [f32(.fixed([1, 1, 3, 3])), f32(.fixed([1, 2, 3, 3]))]), .fixed([1, 2, 8, 4]))
    }

    func testOutputShapeInput() throws {
        let op = ConvolutionBackpropData(strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0], autoPad: .sameUpper)
        let shape = InferenceInput(TensorType(.i64, .fixed([2])), constant: .i64([10, 8]))
        XCTAssertEqual(try infer(op, [f32(.fixed([1, 4, 5, 4])), f32(.fixed([4, 2, 3, 3])), shape]), .fixed([1, 2, 10, 8]))
        let runtime = InferenceInput(TensorType(.i64, .fixed([2])))
        XCTAssertEqual(try infer(op, [f32(.fixed([1, 4, 5, 4])), f32(.fixed([4, 2, 3, 3])), runtime]),
                       .ranked([.fixed(1), .fixed(2), .dynamic, .dynamic]))
    }

    func testGroupedChannels() throws {
        let op = GroupConvolutionBackpropData(strides: [1], dilations: [1], padsBegin: [0], padsEnd: [0])
        XCTAssertEqual(try infer(op, [f32(.fixed([1, 4, 5])), f32(.fixed([2, 2, 3, 3]))]), .fixed([1, 6, 7]))
        XCTAssertThrowsError(try infer(op, [f32(.fixed([1, 3, 5])), f32(.fixed([2, 2, 3, 3]))]))
    }
}
