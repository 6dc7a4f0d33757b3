import XCTest
@testable import OVIR

final class RecurrentSequenceTests: XCTestCase {
    private func input(_ dims: [Dim], _ type: ElementType = .f32) -> InferenceInput { InferenceInput(TensorType(type, .ranked(dims))) }
    private func fixed(_ dims: [Int], _ type: ElementType = .f32) -> InferenceInput { input(dims.map(Dim.fixed), type) }

    func testLSTMShapes() throws {
        // batch 2, seq 5, input 3, hidden 4, bidirectional: gates 4·4 = 16
        let op = LSTMSequence(hiddenSize: 4, direction: .bidirectional)
        let out = try op.inferTypes([fixed([2, 5, 3]), fixed([2, 2, 4]), fixed([2, 2, 4]), fixed([2], .i32),
                                     fixed([2, 16, 3]), fixed([2, 16, 4]), fixed([2, 16])])
        XCTAssertEqual(out, [TensorType(.f32, .fixed([2, 2, 5, 4])), TensorType(.f32, .fixed([2, 2, 4])), TensorType(.f32, .fixed([2, 2, 4]))])
    }

    func testDynamicBatchAndSequenceComeFromTheInputs() throws {
        let op = GRUSequence(hiddenSize: 2)
        let out = try op.inferTypes([input([.dynamic, .dynamic, .fixed(3)]), input([.dynamic, .fixed(1), .fixed(2)]), input([.dynamic], .i64),
                                     fixed([1, 6, 3]), fixed([1, 6, 2]), fixed([1, 6])])
        XCTAssertEqual(out, [TensorType(.f32, .ranked([.dynamic, .fixed(1), .dynamic, .fixed(2)])),
                             TensorType(.f32, .ranked([.dynamic, .fixed(1), .fixed(2)]))])
        // the batch is known from H0 although X's is not
        let h = try op.inferTypes([input([.dynamic, .fixed(7), .fixed(3)]), fixed([4, 1, 2]), input([.dynamic], .i64),
                                   fixed([1, 6, 3]), fixed([1, 6, 2]), fixed([1, 6])])
        XCTAssertEqual(h[0].shape, .fixed([4, 1, 7, 2]))
    }

    func testGRULinearBeforeResetTakesFourBiasBlocks() throws {
        var op = GRUSequence(hiddenSize: 2, linearBeforeReset: true)
        let inputs = [fixed([1, 2, 3]), fixed([1, 1, 2]), fixed([1], .i32), fixed([1, 6, 3]), fixed([1, 6, 2]), fixed([1, 8])]
        XCTAssertEqual(try op.inferTypes(inputs)[1].shape, .fixed([1, 1, 2]))
        op.linearBeforeReset = false
        XCTAssertThrowsError(try op.inferTypes(inputs))
    }

    func testRNNChecksDimsAndTypes() throws {
        let op = RNNSequence(hiddenSize: 3, direction: .reverse)
        let good = [fixed([2, 4, 5]), fixed([2, 1, 3]), fixed([2], .i32), fixed([1, 3, 5]), fixed([1, 3, 3]), fixed([1, 3])]
        XCTAssertEqual(try op.inferTypes(good)[0].shape, .fixed([2, 1, 4, 3]))
        var wrongInput = good; wrongInput[3] = fixed([1, 3, 6])
        XCTAssertThrowsError(try op.inferTypes(wrongInput)) { XCTAssertTrue("\($0)".contains("input"), "\($0)") }
        var twoDirections = good; twoDirections[1] = fixed([2, 2, 3])
        XCTAssertThrowsError(try op.inferTypes(twoDirections)) { XCTAssertTrue("\($0)".contains("num_directions"), "\($0)") }
        var floatLengths = good; floatLengths[2] = fixed([2])
        XCTAssertThrowsError(try op.inferTypes(floatLengths)) { XCTAssertTrue("\($0)".contains("sequence_lengths"), "\($0)") }
        var otherBatch = good; otherBatch[2] = fixed([3], .i32)
        XCTAssertThrowsError(try op.inferTypes(otherBatch)) { XCTAssertTrue("\($0)".contains("batch"), "\($0)") }
        XCTAssertThrowsError(try RNNSequence(hiddenSize: 3, activations: ["elu"]).inferTypes(good))
        XCTAssertThrowsError(try RNNSequence(hiddenSize: 3, activations: ["tanh", "tanh"]).inferTypes(good))
    }

    func testAttributesRoundTrip() throws {
        let op = LSTMSequence(hiddenSize: 8, direction: .bidirectional, activations: ["sigmoid", "relu", "tanh"], clip: 2.5)
        let attributes = Dictionary(uniqueKeysWithValues: op.attributes)
        XCTAssertEqual(attributes["activations"], "sigmoid,relu,tanh")
        XCTAssertEqual(attributes["direction"], "bidirectional")
        XCTAssertEqual(attributes["hidden_size"], "8")
        XCTAssertEqual(attributes["clip"], "2.5")
        XCTAssertEqual(try LSTMSequence.decode(attributes), op)
        // OpenVINO reads enums case-insensitively; spaces after commas are tolerated
        let gru = try GRUSequence.decode(["hidden_size": "4", "direction": "REVERSE", "activations": "Sigmoid, Tanh", "linear_before_reset": "true"])
        XCTAssertEqual(gru, GRUSequence(hiddenSize: 4, direction: .reverse, linearBeforeReset: true))
        XCTAssertNotNil(OpRegistry.builtin.lookup(type: "RNNSequence", version: "opset5"))
    }
}
