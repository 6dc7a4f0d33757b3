import XCTest
import OVIR
@testable import Evaluator

/// The Fourier kernels on inputs small enough to transform by hand: DFT of [1, 2, 3, 4] is
/// [10, -2+2i, -2, -2-2i] (X_k = Σ x_j e^(-2πi·jk/4), e^(-πi/2) = -i).
final class FourierTests: XCTestCase {
    /// Real values as complex `[..., 2]` values with zero imaginary parts.
    private func complex(_ values: [Float], dims: [Int]) -> Tensor {
        .f32(values.flatMap { [$0, 0] }, dims: dims + [2])
    }

    func testDFTOfFourSamples() throws {
        let y = try evaluate(DFT(), [complex([1, 2, 3, 4], dims: [4]), .i64([0])])[0]
        XCTAssertEqual(y.dims, [4, 2])
        assertClose(floats(y), [10, 0, -2, 2, -2, 0, -2, -2])
    }

    func testEightSamplesTakeEveryStageOfTheRadix2Path() throws {
        // an impulse at 1 transforms to the twiddles e^(-2πik/8): 1, (1-i)/√2, -i, (-1-i)/√2, -1, (-1+i)/√2, i, (1+i)/√2
        let r = Float(0.5).squareRoot()
        let impulse = try evaluate(DFT(), [complex([0, 1, 0, 0, 0, 0, 0, 0], dims: [8]), .i64([0])])[0]
        assertClose(floats(impulse), [1, 0, r, -r, 0, -1, -r, -r, -1, 0, -r, r, 0, 1, r, r])
        // numpy.fft.fft(np.arange(1, 9)) = [36, -4+9.65685425j, -4+4j, -4+1.65685425j, -4, -4-1.65685425j, -4-4j, -4-9.65685425j]
        let ramp = try evaluate(DFT(), [complex([1, 2, 3, 4, 5, 6, 7, 8], dims: [8]), .i64([0])])[0]
        assertClose(floats(ramp), [36, 0, -4, 9.65685425, -4, 4, -4, 1.65685425, -4, 0, -4, -1.65685425, -4, -4, -4, -9.65685425])
        assertClose(floats(try evaluate(IDFT(), [ramp, .i64([0])])[0]), [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0])
    }

    func testIDFTDividesByTheLength() throws {
        let spectrum = Tensor.f32([10, 0, -2, 2, -2, 0, -2, -2], dims: [4, 2])
        assertClose(floats(try evaluate(IDFT(), [spectrum, .i64([-1])])[0]), [1, 0, 2, 0, 3, 0, 4, 0])
    }

    func testSignalSizeCropsOrZeroPads() throws {
        // [1, 2, 3] padded to 4: X = [6, 1 - 2i - 3, 1 - 2 + 3, 1 + 2i - 3]
        let padded = try evaluate(DFT(), [complex([1, 2, 3], dims: [3]), .i64([0]), .i64([4])])[0]
        XCTAssertEqual(padded.dims, [4, 2])
        assertClose(floats(padded), [6, 0, -2, -2, 2, 0, -2, 2])
        // [1, 2, 3, 4] cropped to [1, 2]: X = [3, -1]
        assertClose(floats(try evaluate(DFT(), [complex([1, 2, 3, 4], dims: [4]), .i64([0]), .i64([2])])[0]), [3, 0, -1, 0])
    }

    func testTwoAxesAtOnce() throws {
        // [[1, 2], [3, 4]]: X00 = 10, X01 = (1 - 2) + (3 - 4), X10 = (1 + 2) - (3 + 4), X11 = 1 - 2 - 3 + 4
        let y = try evaluate(DFT(), [complex([1, 2, 3, 4], dims: [2, 2]), .i64([0, 1])])[0]
        assertClose(floats(y), [10, 0, -2, 0, -4, 0, 0, 0])
        // only axis 1: rows [1, 2] -> [3, -1] and [3, 4] -> [7, -1]
        assertClose(floats(try evaluate(DFT(), [complex([1, 2, 3, 4], dims: [2, 2]), .i64([1])])[0]), [3, 0, -1, 0, 7, 0, -1, 0])
    }

    func testRDFTKeepsHalfTheSpectrum() throws {
        let even = try evaluate(RDFT(), [.f32([1, 2, 3, 4], dims: [4]), .i64([0])])[0]
        XCTAssertEqual(even.dims, [3, 2])
        assertClose(floats(even), [10, 0, -2, 2, -2, 0])
        // [1, 2, 3]: X1 = 1 + 2e^(-2πi/3) + 3e^(-4πi/3) = -1.5 + (√3/2)i
        let odd = try evaluate(RDFT(), [.f32([1, 2, 3], dims: [3]), .i64([0])])[0]
        assertClose(floats(odd), [6, 0, -1.5, 0.8660254])
        // signal_size 6 zero-pads [1, 2, 3, 4] (numpy.fft.rfft([1, 2, 3, 4], n=6) = [10, -3.5-4.33012702j, 2.5+0.8660254j, -2])
        let long = try evaluate(RDFT(), [.f32([1, 2, 3, 4], dims: [4]), .i64([0]), .i64([6])])[0]
        assertClose(floats(long), [10, 0, -3.5, -4.33012702, 2.5, 0.8660254, -2, 0])
    }

    func testIRDFTRebuildsTheConjugateHalf() throws {
        let half = Tensor.f32([10, 0, -2, 2, -2, 0], dims: [3, 2])
        assertClose(floats(try evaluate(IRDFT(), [half, .i64([0])])[0]), [1, 2, 3, 4])
        // The imaginary parts of bin 0 and of the Nyquist bin cannot be a real signal's: they drop out.
        let noisy = Tensor.f32([10, 5, -2, 2, -2, 7], dims: [3, 2])
        assertClose(floats(try evaluate(IRDFT(), [noisy, .i64([0])])[0]), [1, 2, 3, 4])
        // Odd lengths: 6, -1.5 + (√3/2)i is [1, 2, 3] at signal_size 3
        assertClose(floats(try evaluate(IRDFT(), [.f32([6, 0, -1.5, 0.8660254], dims: [2, 2]), .i64([0]), .i64([3])])[0]), [1, 2, 3])
        // A length needing more bins than given reads the missing ones as 0
        // (numpy.fft.irfft([10, -2+2j, -2], n=5) = [0.4, 1.63915479, 1.9297718, 2.8702282, 3.16084521])
        let long = try evaluate(IRDFT(), [half, .i64([0]), .i64([5])])[0]
        assertClose(floats(long), [0.4, 1.63915479, 1.9297718, 2.8702282, 3.16084521])
    }

    func testIRDFTInvertsTheOtherAxesFirst() throws {
        // RDFT over both axes of [[1, 2], [3, 4]] is [[10, -2], [-4, 0]] (bins of axis 1: 2 / 2 + 1 = 2)
        let spectrum = Tensor.f32([10, 0, -2, 0, -4, 0, 0, 0], dims: [2, 2, 2])
        assertClose(floats(try evaluate(RDFT(), [.f32([1, 2, 3, 4], dims: [2, 2]), .i64([0, 1])])[0]), floats(spectrum))
        assertClose(floats(try evaluate(IRDFT(), [spectrum, .i64([0, 1])])[0]), [1, 2, 3, 4])
    }

    func testSTFTFramesWindowsAndTransforms() throws {
        let signal = Tensor.f32([0, 1, 2, 3, 4, 5], dims: [1, 6])
        // frames [0, 1, 2, 3] and [2, 3, 4, 5]: [6, -2+2i, -2] and [14, -2+2i, -2]
        let plain = try evaluate(STFT(), [signal, .f32([1, 1, 1, 1]), .scalar(i64: 4), .scalar(i64: 2)])[0]
        XCTAssertEqual(plain.dims, [1, 2, 3, 2])
        assertClose(floats(plain), [6, 0, -2, 2, -2, 0, 14, 0, -2, 2, -2, 0])
        let transposed = try evaluate(STFT(transposeFrames: true), [signal, .f32([1, 1, 1, 1]), .scalar(i64: 4), .scalar(i64: 2)])[0]
        XCTAssertEqual(transposed.dims, [1, 3, 2, 2])
        assertClose(floats(transposed), [6, 0, 14, 0, -2, 2, -2, 2, -2, 0, -2, 0])
        // a window of 2 sits in the middle of the frame of 4: [0, 1, 2, 3] · [0, 1, 1, 0] = [0, 1, 2, 0] -> [3, -2-i, 1]
        let centered = try evaluate(STFT(), [.f32([0, 1, 2, 3], dims: [4]), .f32([1, 1]), .scalar(i64: 4), .scalar(i64: 4)])[0]
        XCTAssertEqual(centered.dims, [1, 3, 2])
        assertClose(floats(centered), [3, 0, -2, -1, 1, 0])
    }

    /// Found in review: a one-sided transform of an empty axis kept one bin and read the empty column's first value.
    func testAnEmptySignalTransformsToZeros() throws {
        let y = try evaluate(RDFT(), [.f32([], dims: [1, 0]), .i64([1])])[0]
        XCTAssertEqual(y.dims, [1, 1, 2])
        XCTAssertEqual(floats(y), [0, 0])
    }

    /// A length that is not a power of two is summed directly; one that would take too long is refused instead.
    func testADirectSumTooLargeIsRefused() throws {
        let n = 3 * (1 << 16)  // 3·2^16 outputs of 3·2^16 terms: 3.9e10 multiply-adds
        XCTAssertThrowsError(try evaluate(DFT(), [.f32([Float](repeating: 0, count: 2 * n), dims: [n, 2]), .i64([0])])) {
            XCTAssertTrue("\($0)".contains("too large to sum directly"), "\($0)")
        }
    }
}
