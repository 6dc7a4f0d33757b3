import XCTest
import OVIR
@testable import Evaluator

/// ScaledDotProductAttention on values worked out by hand: one query row q = [√2, 0] against the keys
/// k0 = [0, 0] and k1 = [ln 3, 0], so q·kᵀ/√2 = [0, ln 3] and the weights are [1/4, 3/4] over the values
/// v0 = [4, 0] and v1 = [0, 8].
final class AttentionTests: XCTestCase {
    private let l3 = Float(log(3.0))
    private var q: Tensor { .f32([Float(2).squareRoot(), 0], dims: [1, 1, 2]) }
    private var k: Tensor { .f32([0, 0, l3, 0], dims: [1, 2, 2]) }
    private let v = Tensor.f32([4, 0, 0, 8], dims: [1, 2, 2])

    func testDefaultScaleIsOneOverRootE() throws {
        // q·kᵀ = [0, √2 ln 3], / √2 = [0, ln 3] -> weights [1/4, 3/4] -> [1, 6]
        let y = try evaluate(ScaledDotProductAttention(), [q, k, v])[0]
        XCTAssertEqual(y.dims, [1, 1, 2])
        assertClose(floats(y), [1, 6])
    }

    func testExplicitScaleAndFloatMask() throws {
        // scale 1/√2 given, mask [0, -ln 3] -> scores [0, 0] -> weights [1/2, 1/2] -> [2, 4]
        let scale = Tensor.f32([1 / Float(2).squareRoot()], dims: [])
        let y = try evaluate(ScaledDotProductAttention(), [q, k, v, .f32([0, -l3], dims: [1, 1, 2]), scale])[0]
        assertClose(floats(y), [2, 4])
        // a scalar zero mask is no mask
        assertClose(floats(try evaluate(ScaledDotProductAttention(), [q, k, v, .f32([0], dims: []), scale])[0]), [1, 6])
    }

    func testBooleanMaskKeepsWhereTrue() throws {
        let mask = Tensor(.boolean, dims: [1, 1, 2], values: [UInt8(1), 0])
        assertClose(floats(try evaluate(ScaledDotProductAttention(), [q, k, v, mask])[0]), [4, 0])
    }

    func testCausalMasksLaterKeysAndIgnoresTheMask() throws {
        // Two query rows, both q: row 0 sees k0 only -> v0; row 1 sees both -> [1, 6]. The -ln 3 mask is ignored.
        let q2 = Tensor.f32([Float(2).squareRoot(), 0, Float(2).squareRoot(), 0], dims: [1, 2, 2])
        let y = try evaluate(ScaledDotProductAttention(causal: true), [q2, k, v, .f32([0, -l3], dims: [1, 1, 2])])[0]
        assertClose(floats(y), [4, 0, 1, 6])
    }

    func testBatchBroadcast() throws {
        // Two batch items of q ([√2, 0] and [0, 0]) against one key/value batch: [1, 6], then uniform [2, 4].
        let q2 = Tensor.f32([Float(2).squareRoot(), 0, 0, 0], dims: [2, 1, 2])
        let y = try evaluate(ScaledDotProductAttention(), [q2, k, v])[0]
        XCTAssertEqual(y.dims, [2, 1, 2])
        assertClose(floats(y), [1, 6, 2, 4])
    }
}
