import XCTest
import OVIR
@testable import Evaluator

final class DataMovementTests: XCTestCase {
    func testConcatAlongMiddleAxis() throws {
        // [1,2,2] ++ [1,1,2] along axis 1 (given as -2)
        let y = try evaluate(Concat(axis: -2), [.f32([1, 2, 3, 4], dims: [1, 2, 2]), .f32([5, 6], dims: [1, 1, 2])])[0]
        XCTAssertEqual(y.dims, [1, 3, 2])
        XCTAssertEqual(floats(y), [1, 2, 3, 4, 5, 6])
        // along the last axis rows interleave
        let z = try evaluate(Concat(axis: 1), [.i64([1, 2, 3, 4], dims: [2, 2]), .i64([9, 8], dims: [2, 1])])[0]
        XCTAssertEqual(z.dims, [2, 3])
        XCTAssertEqual(z.intValues(), [1, 2, 9, 3, 4, 8])
    }

    func testVariadicSplitAndSplit() throws {
        // [2,5] along axis 1 into 2 and the rest (3)
        let x = iota([2, 5])
        let parts = try evaluate(VariadicSplit(), [x, .scalar(i64: 1), .i64([2, -1])])
        XCTAssertEqual(parts.map(\.dims), [[2, 2], [2, 3]])
        XCTAssertEqual(floats(parts[0]), [0, 1, 5, 6])
        XCTAssertEqual(floats(parts[1]), [2, 3, 4, 7, 8, 9])
        let halves = try evaluate(Split(numSplits: 2), [iota([4, 1]), .scalar(i64: 0)])
        XCTAssertEqual(halves.map(floats), [[0, 1], [2, 3]])
    }

    func testShapeOf() throws {
        XCTAssertEqual(try evaluate(ShapeOf(), [iota([2, 3, 4])])[0].intValues(), [2, 3, 4])
        var i32 = ShapeOf()
        i32.outputType = .i32
        let y = try evaluate(i32, [.scalar(f32: 1)])[0]
        XCTAssertEqual(y.elementType, .i32)
        XCTAssertEqual(y.dims, [0])
    }

    func testTranspose() throws {
        let y = try evaluate(Transpose(), [.f32([1, 2, 3, 4, 5, 6], dims: [2, 3]), .i64([1, 0])])[0]
        XCTAssertEqual(y.dims, [3, 2])
        XCTAssertEqual(floats(y), [1, 4, 2, 5, 3, 6])
        // [1,2,3] i64 with perm [0,2,1]; then [2,1,3] with perm [2,0,1] (YOLO's head layout moves)
        let z = try evaluate(Transpose(), [.i64([1, 2, 3, 4, 5, 6], dims: [1, 2, 3]), .i64([0, 2, 1])])[0]
        XCTAssertEqual(z.dims, [1, 3, 2])
        XCTAssertEqual(z.intValues(), [1, 4, 2, 5, 3, 6])
        let w = try evaluate(Transpose(), [iota([2, 1, 3]), .i64([2, 0, 1])])[0]
        XCTAssertEqual(w.dims, [3, 2, 1])
        XCTAssertEqual(floats(w), [0, 3, 1, 4, 2, 5])
    }

    func testReshapeSqueezeUnsqueezeKeepTheOrder() throws {
        let x = iota([2, 3, 4])
        let r = try evaluate(Reshape(specialZero: true), [x, .i64([0, -1])])[0]
        XCTAssertEqual(r.dims, [2, 12])
        XCTAssertEqual(floats(r), floats(x))
        let u = try evaluate(Unsqueeze(), [x, .i64([0, 3])])[0]
        XCTAssertEqual(u.dims, [1, 2, 3, 1, 4])
        let s = try evaluate(Squeeze(), [u, .i64([0])])[0]
        XCTAssertEqual(s.dims, [2, 3, 1, 4])
        XCTAssertEqual(floats(s), floats(x))
    }

    func testBroadcastModes() throws {
        let numpy = try evaluate(Broadcast(mode: .numpy), [.f32([1, 2, 3]), .i64([2, 3])])[0]
        XCTAssertEqual(numpy.dims, [2, 3])
        XCTAssertEqual(floats(numpy), [1, 2, 3, 1, 2, 3])
        // explicit: data axis 0 is output axis 0, so values repeat along axis 1
        let explicit = try evaluate(Broadcast(mode: .explicit), [.f32([1, 2]), .i64([2, 3]), .i64([0])])[0]
        XCTAssertEqual(floats(explicit), [1, 1, 1, 2, 2, 2])
        // bidirectional keeps the larger dims of both: [2,1] with [1,3] -> [2,3]
        let bi = try evaluate(Broadcast(mode: .bidirectional), [.f32([1, 2], dims: [2, 1]), .i64([1, 3])])[0]
        XCTAssertEqual(bi.dims, [2, 3])
        XCTAssertEqual(floats(bi), [1, 1, 1, 2, 2, 2])
    }

    func testTileRepeatsEachAxis() throws {
        // [2,2] tiled [2,3] -> [4,6]; naive: out[i][j] = x[i % 2][j % 2]
        let x: [Float] = [1, 2, 3, 4]
        let y = try evaluate(Tile(), [.f32(x, dims: [2, 2]), .i64([2, 3])])[0]
        XCTAssertEqual(y.dims, [4, 6])
        var expected: [Float] = []
        for i in 0..<4 { for j in 0..<6 { expected.append(x[(i % 2) * 2 + j % 2]) } }
        XCTAssertEqual(floats(y), expected)
        // more repeats than axes prepends axes; fewer repeats pads them with 1s
        let z = try evaluate(Tile(), [.i64([7, 8]), .i64([2, 1])])[0]
        XCTAssertEqual(z.dims, [2, 2])
        XCTAssertEqual(z.intValues(), [7, 8, 7, 8])
        let w = try evaluate(Tile(), [.f32([1, 2], dims: [2, 1]), .i64([3])])[0]
        XCTAssertEqual(w.dims, [2, 3])
        XCTAssertEqual(floats(w), [1, 1, 1, 2, 2, 2])
    }

    func testPadConstantAndCrop() throws {
        // [2,2] padded begin [1,0] end [0,2] with 9
        let y = try evaluate(Pad(), [.f32([1, 2, 3, 4], dims: [2, 2]), .i64([1, 0]), .i64([0, 2]), .scalar(f32: 9)])[0]
        XCTAssertEqual(y.dims, [3, 4])
        XCTAssertEqual(floats(y), [9, 9, 9, 9,
                                   1, 2, 9, 9,
                                   3, 4, 9, 9])
        // no pad value: zeros; negative pads crop: [3,3] with begin [-1,1] end [0,-2] -> [2,2]
        let z = try evaluate(Pad(), [.i64([1, 2, 3, 4, 5, 6, 7, 8, 9], dims: [3, 3]), .i64([-1, 1]), .i64([0, -2])])[0]
        XCTAssertEqual(z.dims, [2, 2])
        XCTAssertEqual(z.intValues(), [0, 4, 0, 7])
        XCTAssertThrowsError(try evaluate(Pad(mode: .reflect), [.f32([1, 2]), .i64([1]), .i64([1])])) { error in
            XCTAssertTrue("\(error)".contains("pad_mode reflect"), "\(error)")
        }
    }

    func testRange() throws {
        let f = try evaluate(RangeOp(outputType: .f32), [.scalar(f32: 1), .scalar(f32: 2.1), .scalar(f32: 0.5)])[0]
        assertClose(floats(f), [1, 1.5, 2])
        let i = try evaluate(RangeOp(outputType: .i64), [.scalar(i64: 5), .scalar(i64: -2), .scalar(i64: -3)])[0]
        XCTAssertEqual(i.elementType, .i64)
        XCTAssertEqual(i.intValues(), [5, 2, -1])
        let j = try evaluate(RangeOp(outputType: .i32), [.i32([0], dims: []), .i32([4], dims: []), .i32([1], dims: [])])[0]
        XCTAssertEqual(j.elementType, .i32)
        XCTAssertEqual(j.intValues(), [0, 1, 2, 3])
        let empty = try evaluate(RangeOp(outputType: .i64), [.scalar(i64: 3), .scalar(i64: 3), .scalar(i64: 1)])[0]
        XCTAssertEqual(empty.dims, [0])
    }
}
