import XCTest
@testable import OVIR

/// Type inference of DFT-7, IDFT-7, RDFT-9 and IRDFT-9: axes count among the complex dims (DFT, IDFT, IRDFT) or
/// all dims (RDFT), signal_size replaces the transformed lengths (-1 keeps one).
final class FourierOpsTests: XCTestCase {
    private func infer(_ op: any Op, _ data: TensorType, axes: [Int]?, signal: [Int]?? = nil) throws -> TensorType {
        var inputs = [InferenceInput(data)]
        inputs.append(axes.map { InferenceInput(TensorType(.i64, .fixed([$0.count])), constant: .i64($0)) }
            ?? InferenceInput(TensorType(.i64, .fixed([1]))))
        if let signal {
            inputs.append(signal.map { InferenceInput(TensorType(.i64, .fixed([$0.count])), constant: .i64($0)) }
                ?? InferenceInput(TensorType(.i64, .fixed([axes?.count ?? 1]))))
        }
        return try op.inferTypes(inputs)[0]
    }

    func testDFTKeepsTheShapeOrTakesSignalSize() throws {
        let data = TensorType(.f32, .fixed([3, 5, 7, 2]))
        for op in [DFT() as any Op, IDFT()] {
            XCTAssertEqual(try infer(op, data, axes: [1, 2]), data)
            // -1 keeps axis 1; axis -1 is the last complex axis (2)
            XCTAssertEqual(try infer(op, data, axes: [1, -1], signal: [-1, 4]), TensorType(.f32, .fixed([3, 5, 4, 2])))
            XCTAssertEqual(try infer(op, data, axes: [0], signal: [8]), TensorType(.f32, .fixed([8, 5, 7, 2])))
            // signal_size known only at run time: the transformed axes are unknown
            XCTAssertEqual(try infer(op, data, axes: [0, 2], signal: .some(nil)),
                           TensorType(.f32, .ranked([.dynamic, .fixed(5), .dynamic, .fixed(2)])))
            // axes known only at run time: every complex dim is unknown
            XCTAssertEqual(try infer(op, data, axes: nil), TensorType(.f32, .ranked([.dynamic, .dynamic, .dynamic, .fixed(2)])))
        }
    }

    func testRDFTHalvesTheLastAxis() throws {
        let data = TensorType(.f32, .fixed([4, 6]))
        XCTAssertEqual(try infer(RDFT(), data, axes: [1]), TensorType(.f32, .fixed([4, 4, 2])))
        XCTAssertEqual(try infer(RDFT(), data, axes: [1, 0]), TensorType(.f32, .fixed([3, 6, 2])))
        // RDFT counts negative axes among all dims: -2 is axis 0
        XCTAssertEqual(try infer(RDFT(), data, axes: [-2]), TensorType(.f32, .fixed([3, 6, 2])))
        // signal_size 9 on axis 1 keeps 9 / 2 + 1 = 5 values; 5 on axis 0 (not the last axis) is kept whole
        XCTAssertEqual(try infer(RDFT(), data, axes: [0, 1], signal: [5, 9]), TensorType(.f32, .fixed([5, 5, 2])))
        XCTAssertEqual(try infer(RDFT(), data, axes: [1], signal: .some(nil)), TensorType(.f32, .ranked([.fixed(4), .dynamic, .fixed(2)])))
        XCTAssertEqual(try infer(RDFT(), data, axes: nil), TensorType(.f32, .ranked([.dynamic, .dynamic, .fixed(2)])))
    }

    func testIRDFTRestoresTheFullLength() throws {
        let data = TensorType(.f32, .fixed([4, 4, 2]))
        // 4 values of a half spectrum are 2 * (4 - 1) = 6 samples by default
        XCTAssertEqual(try infer(IRDFT(), data, axes: [1]), TensorType(.f32, .fixed([4, 6])))
        XCTAssertEqual(try infer(IRDFT(), data, axes: [1], signal: [7]), TensorType(.f32, .fixed([4, 7])))
        XCTAssertEqual(try infer(IRDFT(), data, axes: [1, 0], signal: [5, -1]), TensorType(.f32, .fixed([6, 5])))
        XCTAssertEqual(try infer(IRDFT(), data, axes: [-1]), TensorType(.f32, .fixed([4, 6])))
        XCTAssertEqual(try infer(IRDFT(), data, axes: nil), TensorType(.f32, .ranked([.dynamic, .dynamic])))
    }

    func testInputsThatCannotBeTransformedAreRefused() throws {
        let complex = TensorType(.f32, .fixed([3, 5, 2]))
        let cases: [(any Op, TensorType, [Int], [Int]??, String)] = [
            (DFT(), TensorType(.f32, .fixed([3, 5, 3])), [0], nil, "last dim must be 2"),
            (DFT(), complex, [2], nil, "out of range"),  // axis 2 is the real/imaginary dim
            (IRDFT(), complex, [-3], nil, "out of range"),
            (IDFT(), complex, [0, -2], nil, "repeat"),
            (DFT(), complex, [0, 1, 1], nil, "3 axes"),
            (DFT(), complex, [0], .some([4, 4]), "signal_size 2"),
            (DFT(), complex, [0], .some([0]), "neither positive nor -1"),
            (RDFT(), TensorType(.f32, .fixed([4])), [1], nil, "out of range"),
            (RDFT(), TensorType(.i32, .fixed([4])), [0], nil, "floating point"),
        ]
        for (op, data, axes, signal, message) in cases {
            XCTAssertThrowsError(try infer(op, data, axes: axes, signal: signal), "\(op.typeName) \(data) \(axes)") {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
        }
    }
}
