import XCTest
import OVIR
@testable import Evaluator

final class IndexingTests: XCTestCase {
    func testGatherAxis0NegativeIndicesAndScalarIndex() throws {
        // rows 2, 0 and -1 (= 3) of a [4,3] matrix
        let x = iota([4, 3])
        let y = try evaluate(Gather(), [x, .i64([2, 0, -1]), .scalar(i64: 0)])[0]
        XCTAssertEqual(y.dims, [3, 3])
        XCTAssertEqual(floats(y), [6, 7, 8, 0, 1, 2, 9, 10, 11])
        // a scalar index drops the axis: column 1 as [4]
        let c = try evaluate(Gather(), [x, .i32([1], dims: []), .scalar(i64: -1)])[0]
        XCTAssertEqual(c.dims, [4])
        XCTAssertEqual(floats(c), [1, 4, 7, 10])
    }

    func testGatherMiddleAxisWith2DIndicesOnI64() throws {
        // data [2,3,2] i64, indices [2,2] along axis 1 -> [2,2,2,2]; compare to a naive loop
        let data = (0..<12).map { $0 * 10 }
        let idx = [2, 0, 1, -1]
        let y = try evaluate(Gather(), [.i64(data, dims: [2, 3, 2]), .i64(idx, dims: [2, 2]), .scalar(i64: 1)])[0]
        XCTAssertEqual(y.dims, [2, 2, 2, 2])
        var expected: [Int] = []
        for a in 0..<2 { for j in 0..<4 { for c in 0..<2 {
            let i = idx[j] < 0 ? idx[j] + 3 : idx[j]
            expected.append(data[a * 6 + i * 2 + c])
        } } }
        XCTAssertEqual(y.intValues(), expected)
    }

    func testGatherBatchDims() throws {
        // batch_dims 1: data [2,3], indices [2,2] -> out[b][j] = data[b][idx[b][j]]
        let y = try evaluate(Gather(batchDims: 1), [iota([2, 3]), .i64([2, 0, 1, 1], dims: [2, 2]), .scalar(i64: 1)])[0]
        XCTAssertEqual(y.dims, [2, 2])
        XCTAssertEqual(floats(y), [2, 0, 4, 4])
        // batch_dims -1 (= 1 for rank-2 indices) with axis 2 past the batch: data [2,2,3], indices [[2],[0]]
        // out[b][o][0] = data[b][o][idx[b][0]]: 2, 5 (batch 0, column 2) and 6, 9 (batch 1, column 0)
        let z = try evaluate(Gather(batchDims: -1), [iota([2, 2, 3]), .i64([2, 0], dims: [2, 1]), .scalar(i64: 2)])[0]
        XCTAssertEqual(z.dims, [2, 2, 1])
        XCTAssertEqual(floats(z), [2, 5, 6, 9])
    }

    func testSliceWithAxesNegativeStepAndClamping() throws {
        let x = iota([3, 4])
        // axis 1 from 1 to far beyond the end with step 2: columns 1, 3
        let a = try evaluate(Slice(), [x, .i64([1]), .i64([Int(Int64.max)]), .i64([2]), .i64([1])])[0]
        XCTAssertEqual(a.dims, [3, 2])
        XCTAssertEqual(floats(a), [1, 3, 5, 7, 9, 11])
        // reverse both axes: start -1, stop far below the start, step -1
        let b = try evaluate(Slice(), [x, .i64([-1, -1]), .i64([-100, -100]), .i64([-1, -1])])[0]
        XCTAssertEqual(b.dims, [3, 4])
        XCTAssertEqual(floats(b), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
        // rows 2 down to 1 (stop 0 exclusive), columns -3..<-1, axes given out of order and negative
        let c = try evaluate(Slice(), [x, .i32([-3, 2]), .i32([-1, 0]), .i32([1, -1]), .i32([-1, 0])])[0]
        XCTAssertEqual(c.dims, [2, 2])
        XCTAssertEqual(floats(c), [9, 10, 5, 6])
        // an empty slice
        let d = try evaluate(Slice(), [x, .i64([5]), .i64([9]), .i64([1]), .i64([0])])[0]
        XCTAssertEqual(d.dims, [0, 4])
        XCTAssertEqual(d.elementCount, 0)
    }

    func testSliceMatchesANaiveLoop() throws {
        // [4,5,3] with start/stop/step on all three axes, checked against index arithmetic written out
        let x = iota([4, 5, 3])
        let y = try evaluate(Slice(), [x, .i64([3, 0, 2]), .i64([0, 5, -4]), .i64([-2, 3, -1])])[0]
        var expected: [Float] = []
        for i in stride(from: 3, to: 0, by: -2) {
            for j in stride(from: 0, to: 5, by: 3) {
                for k in stride(from: 2, through: 0, by: -1) { expected.append(Float(i * 15 + j * 3 + k)) }
            }
        }
        XCTAssertEqual(y.dims, [2, 2, 3])
        XCTAssertEqual(floats(y), expected)
    }

    func testStridedSliceMasks() throws {
        let x = iota([3, 4])
        // begin_mask on axis 0 (from the start), end given; axis 1 with stride 2 and end_mask
        var op = StridedSlice()
        op.beginMask = [1, 0]
        op.endMask = [0, 1]
        let a = try evaluate(op, [x, .i64([2, 1]), .i64([2, 0]), .i64([1, 2])])[0]
        XCTAssertEqual(a.dims, [2, 2])
        XCTAssertEqual(floats(a), [1, 3, 5, 7])
        // negative stride with both masks reverses the axis; missing specs keep the trailing axes
        var rev = StridedSlice()
        rev.beginMask = [1]
        rev.endMask = [1]
        let b = try evaluate(rev, [x, .i64([0]), .i64([0]), .i64([-1])])[0]
        XCTAssertEqual(b.dims, [3, 4])
        XCTAssertEqual(floats(b), [8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3])
        // no stride input: stride 1
        let c = try evaluate(StridedSlice(), [x, .i64([1, 1]), .i64([3, 3])])[0]
        XCTAssertEqual(floats(c), [5, 6, 9, 10])
    }

    func testStridedSliceNewShrinkAndEllipsis() throws {
        let x = iota([2, 3, 4])
        // x[np.newaxis, 1, ..., 2]: new axis, shrink axis 0 to index 1, ellipsis over axis 1, shrink axis 2 to 2
        var op = StridedSlice()
        op.newAxisMask = [1, 0, 0, 0]
        op.shrinkAxisMask = [0, 1, 0, 1]
        op.ellipsisMask = [0, 0, 1, 0]
        let y = try evaluate(op, [x, .i64([0, 1, 0, 2]), .i64([0, 2, 0, 3]), .i64([1, 1, 1, 1])])[0]
        XCTAssertEqual(y.dims, [1, 3])
        XCTAssertEqual(floats(y), [14, 18, 22])
    }

    func testGatherElements() throws {
        // axis 1: out[i][j] = data[i][idx[i][j]]
        let a = try evaluate(GatherElements(axis: 1), [.f32([1, 2, 3, 4], dims: [2, 2]), .i64([0, 0, 1, 0], dims: [2, 2])])[0]
        XCTAssertEqual(a.dims, [2, 2])
        XCTAssertEqual(floats(a), [1, 1, 4, 3])
        // axis 0 on i64 [[0,1,2],[3,4,5],[6,7,8]] with a negative index and fewer rows than the data
        let b = try evaluate(GatherElements(axis: -2), [.i64(Array(0..<9), dims: [3, 3]), .i32([1, 2, 0, -1, 0, 0], dims: [2, 3])])[0]
        XCTAssertEqual(b.dims, [2, 3])
        XCTAssertEqual(b.intValues(), [3, 7, 2, 6, 1, 2])
    }

    func testGatherND() throws {
        let data = Tensor.i64([0, 1, 2, 3], dims: [2, 2])
        // full coordinates pick elements; one coordinate picks rows; a negative coordinate counts from the end
        XCTAssertEqual(try evaluate(GatherND(), [data, .i64([0, 0, 1, 1], dims: [2, 2])])[0].intValues(), [0, 3])
        let rows = try evaluate(GatherND(), [data, .i64([1, 0], dims: [2, 1])])[0]
        XCTAssertEqual(rows.dims, [2, 2])
        XCTAssertEqual(rows.intValues(), [2, 3, 0, 1])
        XCTAssertEqual(try evaluate(GatherND(), [data, .i64([-1, 0], dims: [1, 2])])[0].intValues(), [2])
        // batch_dims 1: [[[0,1],[2,3]],[[4,5],[6,7]]], batch 0 takes its row 1, batch 1 its row 0
        let batched = try evaluate(GatherND(batchDims: 1), [iota([2, 2, 2]), .i64([1, 0], dims: [2, 1])])[0]
        XCTAssertEqual(batched.dims, [2, 2])
        XCTAssertEqual(floats(batched), [2, 3, 4, 5])
        XCTAssertThrowsError(try evaluate(GatherND(), [data, .i64([2, 0], dims: [1, 2])])) { error in
            XCTAssertTrue("\(error)".contains("GatherND node 'node': index 2 is out of range for an axis of size 2"), "\(error)")
        }
    }

    func testReverseIndexAndMaskModes() throws {
        let x = Tensor.i32(Array(0..<6), dims: [2, 3])
        XCTAssertEqual(try evaluate(Reverse(mode: .index), [x, .i64([1])])[0].intValues(), [2, 1, 0, 5, 4, 3])
        XCTAssertEqual(try evaluate(Reverse(mode: .index), [x, .i64([-2])])[0].intValues(), [3, 4, 5, 0, 1, 2])
        XCTAssertEqual(try evaluate(Reverse(mode: .index), [x, .i64([])])[0].intValues(), [0, 1, 2, 3, 4, 5])
        let both = try evaluate(Reverse(mode: .mask), [x, .boolean([true, true])])[0]
        XCTAssertEqual(both.dims, [2, 3])
        XCTAssertEqual(both.intValues(), [5, 4, 3, 2, 1, 0])
    }

    func testReverseSequenceTimeMajor() throws {
        // [time 4, batch 4] holding 4·b + t: column b reverses its first lengths[b] steps
        let x = Tensor.f32([0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15], dims: [4, 4])
        let y = try evaluate(ReverseSequence(batchAxis: 1, seqAxis: 0), [x, .i64([4, 3, 2, 1])])[0]
        XCTAssertEqual(floats(y), [3, 6, 9, 12,
                                   2, 5, 8, 13,
                                   1, 4, 10, 14,
                                   0, 7, 11, 15])
        // batch-major [2,3] i64 with lengths 0 and 2
        let z = try evaluate(ReverseSequence(batchAxis: 0, seqAxis: 1), [.i64([1, 2, 3, 4, 5, 6], dims: [2, 3]), .i32([0, 2])])[0]
        XCTAssertEqual(z.intValues(), [1, 2, 3, 5, 4, 6])
    }

    func testOneHot() throws {
        // last axis, depth 3, on 5 off 0 (i32); index 3 is out of range: all off
        let a = try evaluate(OneHot(axis: -1), [.i64([1, 0, 3]), .scalar(i64: 3), .i32([5], dims: []), .i32([0], dims: [])])[0]
        XCTAssertEqual(a.elementType, .i32)
        XCTAssertEqual(a.dims, [3, 3])
        XCTAssertEqual(a.intValues(), [0, 5, 0,
                                       5, 0, 0,
                                       0, 0, 0])
        // axis 0: out[d][i] = indices[i] == d ? 1 : -1 (f32)
        let b = try evaluate(OneHot(axis: 0), [.i64([2, 0]), .scalar(i64: 3), .scalar(f32: 1), .scalar(f32: -1)])[0]
        XCTAssertEqual(b.dims, [3, 2])
        XCTAssertEqual(floats(b), [-1, 1, -1, -1, 1, -1])
    }

    func testNonZero() throws {
        // [[1,0],[1,1]]: coordinates (0,0), (1,0), (1,1) as rows of a [2,3]
        let a = try evaluate(NonZero(outputType: .i64), [.i32([1, 0, 1, 1], dims: [2, 2])])[0]
        XCTAssertEqual(a.dims, [2, 3])
        XCTAssertEqual(a.intValues(), [0, 1, 1, 0, 0, 1])
        // -0 is zero, NaN is not; i32 output
        let b = try evaluate(NonZero(outputType: .i32), [.f32([0, -0.0, 2, .nan])])[0]
        XCTAssertEqual(b.elementType, .i32)
        XCTAssertEqual(b.dims, [1, 2])
        XCTAssertEqual(b.intValues(), [2, 3])
        // a scalar counts as one element: [1,1] when non-zero, [1,0] when zero
        XCTAssertEqual(try evaluate(NonZero(outputType: .i64), [.scalar(f32: 3)])[0].dims, [1, 1])
        XCTAssertEqual(try evaluate(NonZero(outputType: .i64), [.boolean([false], dims: [])])[0].dims, [1, 0])
    }
}
