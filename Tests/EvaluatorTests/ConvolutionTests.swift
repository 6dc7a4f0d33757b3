import XCTest
import OVIR
@testable import Evaluator

/// The obviously-correct 2-D (grouped) convolution: one loop per index, zero padding by bounds checks.
private func naiveConvolution(_ x: [Float], _ xd: [Int], _ w: [Float], groups: Int, outChannels: Int, kernel: (Int, Int),
                              stride: (Int, Int), dilation: (Int, Int), padBegin: (Int, Int), out: (Int, Int)) -> [Float] {
    let (n, c, h, wd) = (xd[0], xd[1], xd[2], xd[3])
    let cg = c / groups, ocg = outChannels / groups
    var y = [Float](repeating: 0, count: n * outChannels * out.0 * out.1)
    for b in 0..<n { for oc in 0..<outChannels { for oy in 0..<out.0 { for ox in 0..<out.1 {
        let g = oc / ocg
        var sum: Float = 0
        for ic in 0..<cg { for ky in 0..<kernel.0 { for kx in 0..<kernel.1 {
            let iy = oy * stride.0 - padBegin.0 + ky * dilation.0
            let ix = ox * stride.1 - padBegin.1 + kx * dilation.1
            guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
            let xv = x[((b * c + g * cg + ic) * h + iy) * wd + ix]
            let wv = w[((oc * cg + ic) * kernel.0 + ky) * kernel.1 + kx]
            sum += xv * wv
        } } }
        y[((b * outChannels + oc) * out.0 + oy) * out.1 + ox] = sum
    } } } }
    return y
}

final class ConvolutionTests: XCTestCase {
    func testThreeByThreeOnFourByFourByHand() throws {
        // x = 1...16 in a 4×4, w = [[1,0,-1],[1,0,-1],[1,0,-1]] (a horizontal gradient): every output is
        // (left column - right column) summed = -2 · 3 = -6.
        let x = iota([1, 1, 4, 4], offset: 1)
        let w = Tensor.f32([1, 0, -1, 1, 0, -1, 1, 0, -1], dims: [1, 1, 3, 3])
        let y = try evaluate(Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0]), [x, w])[0]
        XCTAssertEqual(y.dims, [1, 1, 2, 2])
        XCTAssertEqual(floats(y), [-6, -6, -6, -6])
        // An all-ones 3×3 with pad 1: the top-left output sums 1+2+5+6 = 14; the centre-ish (1,1) sums
        // 1+2+3+5+6+7+9+10+11 = 54.
        let ones = Tensor.f32(Array(repeating: 1, count: 9), dims: [1, 1, 3, 3])
        let p = try evaluate(Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1]), [x, ones])[0]
        XCTAssertEqual(p.dims, [1, 1, 4, 4])
        XCTAssertEqual(floats(p)[0], 14)
        XCTAssertEqual(floats(p)[5], 54)
        XCTAssertEqual(floats(p)[15], 11 + 12 + 15 + 16)
    }

    func testStridedPaddedDilatedMultiChannelMatchesNaiveLoop() throws {
        let xd = [2, 3, 7, 6]
        let x = iota(xd, scale: 0.1, offset: -1)
        let w = iota([4, 3, 3, 2], scale: 0.05, offset: -0.7)
        for (stride, dilation, pads) in [((1, 1), (1, 1), ([0, 0], [0, 0])), ((2, 1), (1, 2), ([1, 2], [0, 1])), ((2, 2), (2, 1), ([2, 1], [2, 1]))] {
            let op = Convolution(strides: [stride.0, stride.1], dilations: [dilation.0, dilation.1], padsBegin: pads.0, padsEnd: pads.1)
            let y = try evaluate(op, [x, w])[0]
            let expected = naiveConvolution(x.elements(Float.self), xd, w.elements(Float.self), groups: 1, outChannels: 4,
                                            kernel: (3, 2), stride: stride, dilation: dilation,
                                            padBegin: (pads.0[0], pads.0[1]), out: (y.dims[2], y.dims[3]))
            XCTAssertEqual(y.dims[0...1], [2, 4])
            assertClose(floats(y), expected, accuracy: 1e-4)
        }
    }

    func testSameUpperPadsTheOddPixelAtTheEnd() throws {
        // 1×4 input, kernel 2, stride 1, same_upper: total pad 1, at the end. y[i] = x[i] + x[i+1] (x[4] = 0).
        let x = Tensor.f32([1, 2, 3, 4], dims: [1, 1, 1, 4])
        let w = Tensor.f32([1, 1], dims: [1, 1, 1, 2])
        let upper = try evaluate(Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0], autoPad: .sameUpper), [x, w])[0]
        XCTAssertEqual(floats(upper), [3, 5, 7, 4])
        let lower = try evaluate(Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0], autoPad: .sameLower), [x, w])[0]
        XCTAssertEqual(floats(lower), [1, 3, 5, 7])
    }

    func testGroupConvolutionMatchesNaiveLoop() throws {
        // depthwise: 4 groups of 1 channel; and 2 groups of 2 channels with 3 outputs each
        let xd = [1, 4, 5, 5]
        let x = iota(xd, scale: 0.3, offset: -2)
        let dw = iota([4, 1, 1, 3, 3], scale: -0.1, offset: 1)
        let y = try evaluate(GroupConvolution(strides: [1, 1], dilations: [1, 1], padsBegin: [1, 1], padsEnd: [1, 1]), [x, dw])[0]
        XCTAssertEqual(y.dims, [1, 4, 5, 5])
        assertClose(floats(y), naiveConvolution(x.elements(Float.self), xd, dw.elements(Float.self), groups: 4, outChannels: 4,
                                                kernel: (3, 3), stride: (1, 1), dilation: (1, 1), padBegin: (1, 1), out: (5, 5)), accuracy: 1e-4)
        let gw = iota([2, 3, 2, 2, 2], scale: 0.07, offset: -0.5)
        let z = try evaluate(GroupConvolution(strides: [2, 2], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [1, 1]), [x, gw])[0]
        XCTAssertEqual(z.dims, [1, 6, 3, 3])
        assertClose(floats(z), naiveConvolution(x.elements(Float.self), xd, gw.elements(Float.self), groups: 2, outChannels: 6,
                                                kernel: (2, 2), stride: (2, 2), dilation: (1, 1), padBegin: (0, 0), out: (3, 3)), accuracy: 1e-4)
    }

    func testDepthwiseWithChannelMultiplierMatchesNaiveLoop() throws {
        // 2 groups of one input channel and two output channels each, stride 2, dilation 2, uneven pads
        let xd = [2, 2, 7, 6]
        let x = iota(xd, scale: 0.1, offset: -2), w = iota([2, 2, 1, 3, 2], scale: -0.07, offset: 0.4)
        let y = try evaluate(GroupConvolution(strides: [2, 2], dilations: [2, 2], padsBegin: [2, 1], padsEnd: [1, 0]), [x, w])[0]
        // rows (7 + 3 - 5) / 2 + 1 = 3, columns (6 + 1 - 3) / 2 + 1 = 3
        XCTAssertEqual(y.dims, [2, 4, 3, 3])
        assertClose(floats(y), naiveConvolution(x.elements(Float.self), xd, w.elements(Float.self), groups: 2, outChannels: 4,
                                                kernel: (3, 2), stride: (2, 2), dilation: (2, 2), padBegin: (2, 1), out: (3, 3)), accuracy: 1e-4)
    }

    func testOneDimensionalConvolution() throws {
        // [1,1,5] * [1,1,3] of ones, no pad: moving sums 1+2+3, 2+3+4, 3+4+5
        let y = try evaluate(Convolution(strides: [1], dilations: [1], padsBegin: [0], padsEnd: [0]),
                             [.f32([1, 2, 3, 4, 5], dims: [1, 1, 5]), .f32([1, 1, 1], dims: [1, 1, 3])])[0]
        XCTAssertEqual(floats(y), [6, 9, 12])
    }

    func testPointwiseConvolutionMixesChannels() throws {
        // 1×1 filters [[1, 2], [3, -1]]: out0 = x0 + 2·x1, out1 = 3·x0 - x1, for each of two batch items
        let x = Tensor.f32([1, 2, 10, 20, 3, 4, 30, 40], dims: [2, 2, 1, 2])
        let w = Tensor.f32([1, 2, 3, -1], dims: [2, 2, 1, 1])
        let y = try evaluate(Convolution(strides: [1, 1], dilations: [1, 1], padsBegin: [0, 0], padsEnd: [0, 0]), [x, w])[0]
        XCTAssertEqual(floats(y), [21, 42, -7, -14, 63, 84, -21, -28])
    }

    func testThreeDimensionalConvolution() throws {
        // 2×2×2 of 1...8 under a 2×2×2 kernel of ones: one output, 36; with pad 1 on the depth axis only the
        // first output depth sees the first input slice: 1 + 2 + 3 + 4
        let x = iota([1, 1, 2, 2, 2], offset: 1)
        let ones = Tensor.f32(Array(repeating: 1, count: 8), dims: [1, 1, 2, 2, 2])
        let y = try evaluate(Convolution(strides: [1, 1, 1], dilations: [1, 1, 1], padsBegin: [0, 0, 0], padsEnd: [0, 0, 0]), [x, ones])[0]
        XCTAssertEqual(floats(y), [36])
        let p = try evaluate(Convolution(strides: [1, 1, 1], dilations: [1, 1, 1], padsBegin: [1, 0, 0], padsEnd: [1, 0, 0]), [x, ones])[0]
        XCTAssertEqual(p.dims, [1, 1, 3, 1, 1])
        XCTAssertEqual(floats(p), [10, 36, 26])
    }

    func testTransposedConvolutionOneDimensionalByHand() throws {
        // x = [1, 2] under a kernel of three ones: each input adds itself on three outputs
        let x = Tensor.f32([1, 2], dims: [1, 1, 2]), w = Tensor.f32([1, 1, 1], dims: [1, 1, 3])
        func run(_ op: ConvolutionBackpropData, _ extra: [Tensor] = []) throws -> [Float] { floats(try evaluate(op, [x, w] + extra)[0]) }
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [1], dilations: [1], padsBegin: [0], padsEnd: [0])), [1, 3, 3, 2])
        // stride 2: [1, 1, 1, 0, 0] + [0, 0, 2, 2, 2]
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [2], dilations: [1], padsBegin: [0], padsEnd: [0])), [1, 1, 3, 2, 2])
        // pads crop one output each side; output_padding adds a zero at the end
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [2], dilations: [1], padsBegin: [1], padsEnd: [1])), [1, 3, 2])
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [2], dilations: [1], padsBegin: [0], padsEnd: [0], outputPadding: [1])), [1, 1, 3, 2, 2, 0])
        // output_shape 4 of the full 5: same_upper crops the first output, same_lower the last
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [2], dilations: [1], padsBegin: [0], padsEnd: [0], autoPad: .sameUpper), [.i64([4])]), [1, 3, 2, 2])
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [2], dilations: [1], padsBegin: [0], padsEnd: [0], autoPad: .sameLower), [.i64([4])]), [1, 1, 3, 2])
        // dilation 2: taps at 0, 2, 4 → [1, 2, 1, 2, 1, 2]
        XCTAssertEqual(try run(ConvolutionBackpropData(strides: [1], dilations: [2], padsBegin: [0], padsEnd: [0])), [1, 2, 1, 2, 1, 2])
    }

    func testTransposedConvolutionMatchesNaiveScatter() throws {
        // 2 groups of 2 input and 3 output channels, stride (2, 1), dilation (1, 2), pads (1, 0) / (0, 1)
        let xd = [2, 4, 3, 4]
        let x = iota(xd, scale: 0.1, offset: -1), w = iota([2, 2, 3, 2, 3], scale: 0.05, offset: -0.8)
        let op = GroupConvolutionBackpropData(strides: [2, 1], dilations: [1, 2], padsBegin: [1, 0], padsEnd: [0, 1])
        let y = try evaluate(op, [x, w])[0]
        // (3 - 1)·2 + (2 - 1)·1 + 1 - 1 = 5 rows, (4 - 1)·1 + (3 - 1)·2 + 1 - 1 = 7 columns
        XCTAssertEqual(y.dims, [2, 6, 5, 7])
        let xs = x.elements(Float.self), ws = w.elements(Float.self)
        var expected = [Float](repeating: 0, count: 2 * 6 * 5 * 7)
        for b in 0..<2 { for g in 0..<2 { for ic in 0..<2 { for oc in 0..<3 { for iy in 0..<3 { for ix in 0..<4 {
            for ky in 0..<2 { for kx in 0..<3 {
                let oy = iy * 2 - 1 + ky, ox = ix - 0 + kx * 2
                guard oy >= 0, oy < 5, ox >= 0, ox < 7 else { continue }
                let v = xs[((b * 4 + g * 2 + ic) * 3 + iy) * 4 + ix] * ws[((((g * 2 + ic) * 3 + oc) * 2 + ky) * 3) + kx]
                expected[((b * 6 + g * 3 + oc) * 5 + oy) * 7 + ox] += v
            } }
        } } } } } }
        assertClose(floats(y), expected, accuracy: 1e-4)
    }

    func testDeformableConvolutionWithZeroOffsetsIsAConvolution() throws {
        let xd = [1, 2, 5, 4]
        let x = iota(xd, scale: 0.2, offset: -1), w = iota([3, 2, 2, 2], scale: 0.1, offset: -0.3)
        var op = DeformableConvolution()
        (op.strides, op.dilations, op.padsBegin, op.padsEnd) = ([1, 1], [1, 1], [1, 0], [0, 1])
        let offsets = Tensor.f32(Array(repeating: 0, count: 8 * 5 * 4), dims: [1, 8, 5, 4])
        let y = try evaluate(op, [x, offsets, w])[0]
        XCTAssertEqual(y.dims, [1, 3, 5, 4])
        assertClose(floats(y), naiveConvolution(x.elements(Float.self), xd, w.elements(Float.self), groups: 1, outChannels: 3,
                                                kernel: (2, 2), stride: (1, 1), dilation: (1, 1), padBegin: (1, 0), out: (5, 4)), accuracy: 1e-4)
    }

    func testDeformableConvolutionSamplesBetweenPixels() throws {
        // one 1×1 tap over [1, 2, 4] shifted right by half a pixel: samples at 0.5, 1.5 and 2.5
        let x = Tensor.f32([1, 2, 4], dims: [1, 1, 1, 3]), w = Tensor.f32([1], dims: [1, 1, 1, 1])
        let offsets = Tensor.f32([0, 0, 0, 0.5, 0.5, 0.5], dims: [1, 2, 1, 3])  // dy for each output, then dx
        var op = DeformableConvolution()
        (op.strides, op.dilations, op.padsBegin, op.padsEnd) = ([1, 1], [1, 1], [0, 0], [0, 0])
        // without the pad the last sample's right neighbour is clamped to 4; with it, it is a zero
        XCTAssertEqual(floats(try evaluate(op, [x, offsets, w])[0]), [1.5, 3, 4])
        op.bilinearInterpolationPad = true
        XCTAssertEqual(floats(try evaluate(op, [x, offsets, w])[0]), [1.5, 3, 2])
        // a mask scales each sample
        let mask = Tensor.f32([1, 0.5, 0], dims: [1, 1, 1, 3])
        XCTAssertEqual(floats(try evaluate(op, [x, offsets, w, mask])[0]), [1.5, 1.5, 0])
    }
}
