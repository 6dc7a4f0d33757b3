import XCTest
@testable import OVIR

final class MaxPoolTests: XCTestCase {
    private func infer<O: Op>(_ op: O, _ shape: Shape) throws -> [TensorType] {
        try op.inferTypes([InferenceInput(TensorType(.f32, shape))])
    }

    func testValuesAndIndices() throws {
        let op = MaxPool(kernel: [2, 2], strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        let types = try infer(op, .fixed([1, 3, 5, 4]))
        XCTAssertEqual(types, [TensorType(.f32, .fixed([1, 3, 2, 2])), TensorType(.i64, .fixed([1, 3, 2, 2]))])
    }

    func testCeilTorchDropsWindowStartingInPadding() throws {
        let ceil = MaxPool(kernel: [2], strides: [2], dilations: [1], padsBegin: [1], padsEnd: [1], roundingType: .ceil)
        let torch = MaxPool14(kernel: [2], strides: [2], dilations: [1], padsBegin: [1], padsEnd: [1], roundingType: .ceilTorch)
        XCTAssertEqual(try infer(ceil, .fixed([1, 1, 5]))[0].shape, .fixed([1, 1, 4]))
        XCTAssertEqual(try infer(torch, .fixed([1, 1, 5]))[0].shape, .fixed([1, 1, 3]))
    }

    func testDilatedKernel() throws {
        let op = MaxPool(kernel: [2, 2], strides: [1, 1], dilations: [2, 2], padsBegin: [0, 0], padsEnd: [0, 0])
        XCTAssertEqual(try infer(op, .fixed([1, 1, 4, 4]))[0].shape, .fixed([1, 1, 2, 2]))
    }

    func testKernelRankMismatchThrows() {
        let op = MaxPool(kernel: [2, 2], strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        XCTAssertThrowsError(try infer(op, .fixed([1, 1, 4])))
    }
}
