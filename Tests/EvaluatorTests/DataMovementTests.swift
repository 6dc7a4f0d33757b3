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
    }

    func testPadEdgeReflectSymmetric() throws {
        // [1,2,3] padded by 2 on both sides
        let x = Tensor.f32([1, 2, 3])
        let edge = try evaluate(Pad(mode: .edge), [x, .i64([2]), .i64([2])])[0]
        XCTAssertEqual(floats(edge), [1, 1, 1, 2, 3, 3, 3])
        let reflect = try evaluate(Pad(mode: .reflect), [x, .i64([2]), .i64([2])])[0]
        XCTAssertEqual(floats(reflect), [3, 2, 1, 2, 3, 2, 1])
        let symmetric = try evaluate(Pad(mode: .symmetric), [x, .i64([2]), .i64([2])])[0]
        XCTAssertEqual(floats(symmetric), [2, 1, 1, 2, 3, 3, 2])
        // i32 [[1,2],[3,4]] reflected: one row before, one column after
        let m = try evaluate(Pad(mode: .reflect), [.i32([1, 2, 3, 4], dims: [2, 2]), .i64([1, 0]), .i64([0, 1])])[0]
        XCTAssertEqual(m.elementType, .i32)
        XCTAssertEqual(m.dims, [3, 3])
        XCTAssertEqual(m.intValues(), [3, 4, 3,
                                       1, 2, 1,
                                       3, 4, 3])
        // a negative begin crops, then the end repeats the edge: [1,2,3,4] begin -1 end 2
        let crop = try evaluate(Pad(mode: .edge), [.i64([1, 2, 3, 4]), .i64([-1]), .i64([2])])[0]
        XCTAssertEqual(crop.intValues(), [2, 3, 4, 4, 4])
    }

    func testDepthToSpaceBothModes() throws {
        // [1,8,1,1] holding its channel number, block 2 -> [1,2,2,2]
        let x = iota([1, 8, 1, 1])
        // blocks_first: out[c, bh, bw] = in[(bh·2 + bw)·2 + c]
        let dcr = try evaluate(DepthToSpace(blockSize: 2, mode: .blocksFirst), [x])[0]
        XCTAssertEqual(dcr.dims, [1, 2, 2, 2])
        XCTAssertEqual(floats(dcr), [0, 2, 4, 6, 1, 3, 5, 7])
        // depth_first: out[c, bh, bw] = in[c·4 + bh·2 + bw], the identity here
        let crd = try evaluate(DepthToSpace(blockSize: 2, mode: .depthFirst), [x])[0]
        XCTAssertEqual(floats(crd), [0, 1, 2, 3, 4, 5, 6, 7])
        // [1,4,1,2] i64, one output channel: row bh interleaves channels 2bh and 2bh+1 along w
        let w = try evaluate(DepthToSpace(blockSize: 2, mode: .blocksFirst), [.i64(Array(0..<8), dims: [1, 4, 1, 2])])[0]
        XCTAssertEqual(w.dims, [1, 1, 2, 4])
        XCTAssertEqual(w.intValues(), [0, 2, 1, 3, 4, 6, 5, 7])
    }

    func testSpaceToDepthBothModes() throws {
        // the inverse of the DepthToSpace cases above
        let dcr = try evaluate(SpaceToDepth(blockSize: 2, mode: .blocksFirst), [.f32([0, 2, 4, 6, 1, 3, 5, 7], dims: [1, 2, 2, 2])])[0]
        XCTAssertEqual(dcr.dims, [1, 8, 1, 1])
        XCTAssertEqual(floats(dcr), [0, 1, 2, 3, 4, 5, 6, 7])
        let crd = try evaluate(SpaceToDepth(blockSize: 2, mode: .depthFirst), [iota([1, 2, 2, 2])])[0]
        XCTAssertEqual(floats(crd), [0, 1, 2, 3, 4, 5, 6, 7])
        // [1,1,2,4] rows [0 1 2 3], [4 5 6 7]: channel bh·2 + bw holds in[bh][w·2 + bw]
        let w = try evaluate(SpaceToDepth(blockSize: 2, mode: .depthFirst), [.i32(Array(0..<8), dims: [1, 1, 2, 4])])[0]
        XCTAssertEqual(w.dims, [1, 4, 1, 2])
        XCTAssertEqual(w.intValues(), [0, 2, 1, 3, 4, 6, 5, 7])
    }

    func testShuffleChannels() throws {
        // [1,6,1,1] holding its channel number: group 2 reads the channels as [[0 1 2] [3 4 5]] and writes them
        // column by column; group 3 reads [[0 1] [2 3] [4 5]]
        let two = try evaluate(ShuffleChannels(axis: 1, group: 2), [iota([1, 6, 1, 1])])[0]
        XCTAssertEqual(two.dims, [1, 6, 1, 1])
        XCTAssertEqual(floats(two), [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(floats(try evaluate(ShuffleChannels(axis: 1, group: 3), [iota([1, 6, 1, 1])])[0]), [0, 2, 4, 1, 3, 5])
        // [1,4,1,2] i64: whole rows of two move (channel order 0 2 1 3); axis -1 of [2,4] shuffles within each row
        XCTAssertEqual(try evaluate(ShuffleChannels(axis: 1, group: 2), [.i64(Array(0..<8), dims: [1, 4, 1, 2])])[0].intValues(),
                       [0, 1, 4, 5, 2, 3, 6, 7])
        XCTAssertEqual(try evaluate(ShuffleChannels(axis: -1, group: 2), [.i64(Array(0..<8), dims: [2, 4])])[0].intValues(),
                       [0, 2, 1, 3, 4, 6, 5, 7])
    }

    func testEye() throws {
        // 2x3, diagonal 1, i32
        let a = try evaluate(Eye(outputType: .i32), [.scalar(i64: 2), .scalar(i64: 3), .scalar(i64: 1)])[0]
        XCTAssertEqual(a.elementType, .i32)
        XCTAssertEqual(a.dims, [2, 3])
        XCTAssertEqual(a.intValues(), [0, 1, 0,
                                       0, 0, 1])
        // batch [2] of 3x2 with diagonal -1, f32
        let b = try evaluate(Eye(outputType: .f32), [.scalar(i64: 3), .scalar(i64: 2), .scalar(i64: -1), .i64([2])])[0]
        XCTAssertEqual(b.dims, [2, 3, 2])
        XCTAssertEqual(floats(b), [0, 0, 1, 0, 0, 1,
                                   0, 0, 1, 0, 0, 1])
        // a diagonal beyond the matrix leaves zeros
        XCTAssertEqual(try evaluate(Eye(outputType: .i64), [.scalar(i64: 2), .scalar(i64: 2), .scalar(i64: 5)])[0].intValues(), [0, 0, 0, 0])
    }

    func testConcatAndSplitOnBytesOfOtherTypes() throws {
        // boolean and u8 move like any other bytes
        let b = try evaluate(Concat(axis: 0), [.boolean([true, false]), .boolean([false])])[0]
        XCTAssertEqual(b.elementType, .boolean)
        XCTAssertEqual(b.intValues(), [1, 0, 0])
        let halves = try evaluate(Split(numSplits: 2), [Tensor(.u8, dims: [2, 2], values: [UInt8(1), 2, 250, 4]), .scalar(i64: 1)])
        XCTAssertEqual(halves.map { $0.intValues()! }, [[1, 250], [2, 4]])
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
