import XCTest
@testable import OVIR

final class ConvolutionTests: XCTestCase {
    private func infer<O: Op>(_ op: O, _ shapes: [Shape]) throws -> Shape {
        try op.inferTypes(shapes.map { InferenceInput(TensorType(.f32, $0)) })[0].shape
    }

    func testExplicitPadsAndStrides() throws {
        let op = Convolution(strides: [2, 2], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1])
        XCTAssertEqual(try infer(op, [.fixed([1, 3, 7, 5]), .fixed([8, 3, 3, 3])]), .fixed([1, 8, 4, 3]))
    }

    func testDilationAndAsymmetricPads() throws {
        let op = Convolution(strides: [1], dilations: [2], padsBegin: [0], padsEnd: [1])
        XCTAssertEqual(try infer(op, [.fixed([2, 1, 10]), .fixed([4, 1, 3])]), .fixed([2, 4, 7]))
    }

    func testSameUpperIsCeilOfInputOverStride() throws {
        let op = Convolution(strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0], autoPad: .sameUpper)
        XCTAssertEqual(try infer(op, [.fixed([1, 1, 5, 6]), .fixed([2, 1, 3, 3])]), .fixed([1, 2, 3, 3]))
    }

    func testDynamicDimsStayDynamic() throws {
        let op = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        let data = Shape.ranked([.dynamic, .fixed(3), .dynamic, .fixed(8)])
        XCTAssertEqual(try infer(op, [data, .fixed([4, 3, 3, 3])]), .ranked([.dynamic, .fixed(4), .dynamic, .fixed(6)]))
        XCTAssertEqual(try infer(op, [.dynamicRank, .fixed([4, 3, 3, 3])]), .dynamic(rank: 4))
    }

    func testChannelMismatchThrows() {
        let op = Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        XCTAssertThrowsError(try infer(op, [.fixed([1, 3, 5, 5]), .fixed([4, 2, 3, 3])]))
    }

    func testGroupConvolutionChannels() throws {
        let op = GroupConvolution(strides: [1, 1], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1])
        XCTAssertEqual(try infer(op, [.fixed([1, 6, 4, 4]), .fixed([3, 4, 2, 3, 3])]), .fixed([1, 12, 4, 4]))
        XCTAssertThrowsError(try infer(op, [.fixed([1, 5, 4, 4]), .fixed([3, 4, 2, 3, 3])]))
    }

    /// Found while fixing the onnx fuzz target's Squeeze finding: data of unknown rank with rank-1 filters made a
    /// shape of rank -1 for a GroupConvolution.
    func testFiltersOfImpossibleRankThrowWhenTheDataRankIsUnknown() {
        let op = GroupConvolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0])
        XCTAssertThrowsError(try infer(op, [.dynamicRank, .fixed([3])])) { error in
            XCTAssertTrue("\(error)".contains("expects filters of rank 4 to 6"), "\(error)")
        }
    }
}
