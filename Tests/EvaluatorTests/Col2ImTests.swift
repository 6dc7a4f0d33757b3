import XCTest
import OVIR
@testable import Evaluator

/// Col2Im-15 on blocks small enough to place by hand: column (c·kh + i)·kw + j, block position p puts its value at
/// pixel (p_y·stride - pad + i·dilation, p_x·stride - pad + j·dilation) of channel c.
final class Col2ImTests: XCTestCase {
    private func run(_ data: Tensor, size: [Int], kernel: [Int], op: Col2Im = Col2Im()) throws -> Tensor {
        try evaluate(op, [data, .i64(size, dims: [2]), .i64(kernel, dims: [2])])[0]
    }

    func testOverlappingBlocksAreSummed() throws {
        // 2×2 blocks of ones at the 4 positions of a 3×3 image: each pixel counts the blocks covering it.
        let out = try run(.f32(Array(repeating: 1, count: 16), dims: [1, 4, 4]), size: [3, 3], kernel: [2, 2])
        XCTAssertEqual(out.dims, [1, 1, 3, 3])
        XCTAssertEqual(floats(out), [1, 2, 1, 2, 4, 2, 1, 2, 1])
    }

    func testColumnsAreKernelOffsets() throws {
        // kernel 1×2 over a 1×3 row: column 0 (offset 0) fills pixels 0, 1; column 1 (offset 1) pixels 1, 2.
        let out = try run(.f32([1, 2, 10, 20], dims: [1, 2, 2]), size: [1, 3], kernel: [1, 2])
        XCTAssertEqual(floats(out), [1, 12, 20])
        // two channels of a 1×1 kernel, unbatched: the columns are the channels.
        let unbatched = try run(.f32([1, 2, 3, 4], dims: [2, 2]), size: [1, 2], kernel: [1, 1])
        XCTAssertEqual(unbatched.dims, [2, 1, 2])
        XCTAssertEqual(floats(unbatched), [1, 2, 3, 4])
    }

    func testStridesDilationsAndPadsPlaceTheBlocks() throws {
        // A 1×4 row padded by 1 on both sides (6 wide), kernel 1×2 dilated by 2 (3 wide), stride 2: 2 positions.
        // Column 0 lands on x = 2p - 1 (-1 is padding, then 1), column 1 on x = 2p + 1 (1, 3).
        let op = Col2Im(strides: [1, 2], dilations: [1, 2], padsBegin: [0, 1], padsEnd: [0, 1])
        let out = try run(.f32([1, 2, 10, 20], dims: [1, 2, 2]), size: [1, 4], kernel: [1, 2], op: op)
        XCTAssertEqual(floats(out), [0, 12, 0, 20])
    }

    func testIntegersSumInTheirOwnTypeAndWrap() throws {
        // i8 blocks 100 + 100 overlapping on pixel 1 wrap to -56, as a sum in i8 does; pixels 0 and 2 keep 1 and 3
        let out = try run(Tensor(.i8, dims: [1, 2, 2], values: [Int8(1), 100, 100, 3]), size: [1, 3], kernel: [1, 2])
        XCTAssertEqual(out.elementType, .i8)
        XCTAssertEqual(out.intValues(), [1, -56, 3])
    }
}
