import XCTest
import OVIR
@testable import Evaluator

final class SoftmaxTests: XCTestCase {
    func testRowsSumToOneWithKnownValues() throws {
        // softmax([0, ln 2, ln 3]) = [1, 2, 3] / 6; the second row is shifted by 1000 (must not overflow).
        let l2 = Float(log(2.0)), l3 = Float(log(3.0))
        let x = Tensor.f32([0, l2, l3, 1000, 1000 + l2, 1000 + l3], dims: [2, 3])
        let y = floats(try evaluate(Softmax(axis: 1), [x])[0])
        assertClose(y, [1 / 6, 2 / 6, 3 / 6, 1 / 6, 2 / 6, 3 / 6], accuracy: 1e-4)
        assertClose([y[0...2].reduce(0, +), y[3...5].reduce(0, +)], [1, 1])
    }

    func testAxisZeroAndNegativeAxis() throws {
        // along axis 0 of [2,2]: columns [0, ln 3] -> [1/4, 3/4]
        let l3 = Float(log(3.0))
        let x = Tensor.f32([0, 0, l3, 0], dims: [2, 2])
        assertClose(floats(try evaluate(Softmax(axis: 0), [x])[0]), [0.25, 0.5, 0.75, 0.5])
        assertClose(floats(try evaluate(Softmax(axis: -1), [x])[0]), [0.5, 0.5, 0.75, 0.25])
        assertClose(floats(try evaluate(LogSoftmax(axis: -1), [x])[0]), [log(0.5), log(0.5), log(0.75), log(0.25)])
    }
}
