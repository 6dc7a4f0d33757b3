import XCTest
@testable import OVIR

/// Type inference of STFT-15: frames = (length - frame_size) / frame_step + 1, bins = frame_size / 2 + 1.
final class STFTTests: XCTestCase {
    private func infer(_ op: STFT, signal: [Int], window: Int = 8, frameSize: Int?, frameStep: Int? = 4) throws -> TensorType {
        func scalar(_ v: Int?) -> InferenceInput {
            v.map { InferenceInput(TensorType(.i64, .scalar), constant: .scalar(i64: $0)) } ?? InferenceInput(TensorType(.i64, .scalar))
        }
        return try op.inferTypes([InferenceInput(TensorType(.f32, .fixed(signal))), InferenceInput(TensorType(.f32, .fixed([window]))),
                                  scalar(frameSize), scalar(frameStep)])[0]
    }

    func testFramesAndBins() throws {
        // (48 - 16) / 4 + 1 = 9 frames of 16 / 2 + 1 = 9 bins
        XCTAssertEqual(try infer(STFT(), signal: [2, 48], frameSize: 16), TensorType(.f32, .fixed([2, 9, 9, 2])))
        XCTAssertEqual(try infer(STFT(transposeFrames: true), signal: [2, 50], frameSize: 10), TensorType(.f32, .fixed([2, 6, 11, 2])))
        XCTAssertEqual(try infer(STFT(), signal: [50], frameSize: 10), TensorType(.f32, .fixed([11, 6, 2])))
        XCTAssertEqual(try infer(STFT(), signal: [1, 16], window: 5, frameSize: 8, frameStep: 3), TensorType(.f32, .fixed([1, 3, 5, 2])))
        XCTAssertEqual(try infer(STFT(), signal: [2, 48], frameSize: nil), TensorType(.f32, .ranked([.fixed(2), .dynamic, .dynamic, .fixed(2)])))
    }

    func testImpossibleFramesAreRefused() throws {
        for (signal, window, frameSize, frameStep, message) in [([2, 8], 8, 16, 4, "longer than the signal"), ([2, 48], 20, 16, 4, "window length 20"),
                                                                ([2, 48], 8, 16, 0, "frame_step 0"), ([2, 2, 48], 8, 16, 4, "1-D [length] or 2-D")] {
            XCTAssertThrowsError(try infer(STFT(), signal: signal, window: window, frameSize: frameSize, frameStep: frameStep)) {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
        }
    }
}
