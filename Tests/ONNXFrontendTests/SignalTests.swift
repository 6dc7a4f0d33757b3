import Evaluator
import XCTest
import OVIR
@testable import ONNXFrontend

/// ONNX DFT and STFT as OpenVINO's Fourier ops, checked through the evaluator on hand-computed transforms:
/// DFT of [1, 2, 3, 4] is [10, -2+2i, -2, -2-2i].
final class SignalTests: XCTestCase {
    private func dftModel(opset: Int = 17, x: [Int], attributes: [Onnx_AttributeProto] = [], dftLength: Int64? = nil,
                          runtimeAxis: Bool = false) -> ModelBuilder {
        var m = ModelBuilder()
        m.opset = opset
        m.input("x", x)
        if let dftLength { m.initializer("dft_length", int64: [dftLength], dims: []) }
        var inputs = ["x", dftLength == nil ? "" : "dft_length"]
        if runtimeAxis {
            m.input("axis", [], elemType: 7)
            inputs.append("axis")
        }
        m.node("DFT", inputs, ["y"], name: "dft", attributes: attributes)
        m.output("y")
        return m
    }

    private func run(_ m: ModelBuilder, _ inputs: [String: Tensor]) throws -> (Graph, Tensor) {
        let graph = try m.importGraph()
        return (graph, try Evaluator().run(graph, inputs: inputs)[0])
    }

    private func types(_ g: Graph) -> Set<String> { Set(g.nodes.map(\.op.typeName)) }

    private func values(_ t: Tensor) -> [Float] { (t.doubleValues() ?? []).map(Float.init) }

    private func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, "\(actual)", file: file, line: line)
        for (a, e) in zip(actual, expected) where abs(a - e) > 1e-5 * max(1, abs(e)) {
            XCTFail("\(actual) is not \(expected)", file: file, line: line)
            return
        }
    }

    func testRealInputTakesRDFTAndItsConjugateMirror() throws {
        let (g, y) = try run(dftModel(x: [1, 4, 1]), ["x": .f32([1, 2, 3, 4], dims: [1, 4, 1])])
        XCTAssertTrue(types(g).contains("RDFT") && !types(g).contains("DFT"), "\(types(g))")
        XCTAssertEqual(y.dims, [1, 4, 2])
        assertClose(values(y), [10, 0, -2, 2, -2, 0, -2, -2])
    }

    func testComplexInputTakesDFTOrIDFT() throws {
        let spectrum = Tensor.f32([10, 0, -2, 2, -2, 0, -2, -2], dims: [1, 4, 2])
        let (g, y) = try run(dftModel(x: [1, 4, 2], attributes: [ModelBuilder.attribute("inverse", int: 1)]), ["x": spectrum])
        XCTAssertTrue(types(g).contains("IDFT"), "\(types(g))")
        assertClose(values(y), [1, 0, 2, 0, 3, 0, 4, 0])
        let (forward, z) = try run(dftModel(x: [1, 4, 2]), ["x": .f32([1, 0, 2, 0, 3, 0, 4, 0], dims: [1, 4, 2])])
        XCTAssertTrue(types(forward).contains("DFT"), "\(types(forward))")
        assertClose(values(z), values(spectrum))
    }

    func testOnesidedIsRFFTForwardAndIRFFTInverse() throws {
        let onesided = ModelBuilder.attribute("onesided", int: 1), inverse = ModelBuilder.attribute("inverse", int: 1)
        let (_, half) = try run(dftModel(x: [1, 4, 1], attributes: [onesided]), ["x": .f32([1, 2, 3, 4], dims: [1, 4, 1])])
        XCTAssertEqual(half.dims, [1, 3, 2])
        assertClose(values(half), [10, 0, -2, 2, -2, 0])
        // the inverse of a 3-bin half spectrum is 2 * (3 - 1) = 4 real samples, in a trailing dim of 1
        let (g, signal) = try run(dftModel(x: [1, 3, 2], attributes: [onesided, inverse]),
                                  ["x": .f32([10, 0, -2, 2, -2, 0], dims: [1, 3, 2])])
        XCTAssertTrue(types(g).contains("IRDFT"), "\(types(g))")
        XCTAssertEqual(signal.dims, [1, 4, 1])
        assertClose(values(signal), [1, 2, 3, 4])
    }

    func testDFTLengthsBeyondTheInputArePaddedExplicitly() throws {
        let onesided = ModelBuilder.attribute("onesided", int: 1), inverse = ModelBuilder.attribute("inverse", int: 1)
        // numpy.fft.rfft([1, 2, 3, 4], n=6) = [10, -3.5-4.33012702j, 2.5+0.8660254j, -2]
        let (g, half) = try run(dftModel(x: [1, 4, 1], attributes: [onesided], dftLength: 6), ["x": .f32([1, 2, 3, 4], dims: [1, 4, 1])])
        XCTAssertTrue(types(g).contains("Pad"), "\(types(g))")
        assertClose(values(half), [10, 0, -3.5, -4.33012702, 2.5, 0.8660254, -2, 0])
        // numpy.fft.irfft([10, -2+2j, -2], n=7): 7 samples need 4 bins, the fourth is 0
        let (h, signal) = try run(dftModel(x: [1, 3, 2], attributes: [onesided, inverse], dftLength: 7),
                                  ["x": .f32([10, 0, -2, 2, -2, 0], dims: [1, 3, 2])])
        XCTAssertTrue(types(h).contains("Pad"), "\(types(h))")
        assertClose(values(signal), [0.28571429, 0.75268551, 1.51346394, 1.33919733, 1.83506446, 2.62766727, 1.64620721])
        // a full transform of a real input to length 6 mirrors the RDFT: bins 4, 5 are the conjugates of 2, 1
        let (_, full) = try run(dftModel(x: [1, 4, 1], dftLength: 6), ["x": .f32([1, 2, 3, 4], dims: [1, 4, 1])])
        assertClose(values(full), [10, 0, -3.5, -4.33012702, 2.5, 0.8660254, -2, 0, 2.5, -0.8660254, -3.5, 4.33012702])
    }

    func testARunTimeDFTLengthResizesTheInput() throws {
        let onesided = ModelBuilder.attribute("onesided", int: 1), inverse = ModelBuilder.attribute("inverse", int: 1)
        func model(x: [Int], _ attributes: [Onnx_AttributeProto]) -> ModelBuilder {
            var m = ModelBuilder()
            m.input("x", x)
            m.input("n", [], elemType: 6)  // int32
            m.node("DFT", ["x", "n"], ["y"], name: "dft", attributes: attributes + [ModelBuilder.attribute("axis", int: 1)])
            m.output("y")
            return m
        }
        // numpy.fft.rfft([1, 2, 3, 4], n=6) and n=2 ([1, 2] -> [3, -1])
        let rfft = try model(x: [1, 4, 1], [onesided]).importGraph()
        XCTAssertFalse(rfft.nodes.contains { $0.op is RDFT && $0.inputs.count == 3 }, "RDFT takes no run-time signal_size")
        let x = Tensor.f32([1, 2, 3, 4], dims: [1, 4, 1])
        assertClose(values(try Evaluator().run(rfft, inputs: ["x": x, "n": .init(.i32, dims: [], values: [Int32(6)])])[0]),
                    [10, 0, -3.5, -4.33012702, 2.5, 0.8660254, -2, 0])
        assertClose(values(try Evaluator().run(rfft, inputs: ["x": x, "n": .init(.i32, dims: [], values: [Int32(2)])])[0]), [3, 0, -1, 0])
        // numpy.fft.irfft([10, -2+2j, -2], n=5) and n=4 ([1, 2, 3, 4])
        let irfft = try model(x: [1, 3, 2], [onesided, inverse]).importGraph()
        XCTAssertFalse(irfft.nodes.contains { $0.op is IRDFT }, "an odd or even n needs signal_size, which IRDFT cannot take at run time")
        let half = Tensor.f32([10, 0, -2, 2, -2, 0], dims: [1, 3, 2])
        let odd = try Evaluator().run(irfft, inputs: ["x": half, "n": .init(.i32, dims: [], values: [Int32(5)])])[0]
        XCTAssertEqual(odd.dims, [1, 5, 1])
        assertClose(values(odd), [0.4, 1.63915479, 1.9297718, 2.8702282, 3.16084521])
        assertClose(values(try Evaluator().run(irfft, inputs: ["x": half, "n": .init(.i32, dims: [], values: [Int32(4)])])[0]), [1, 2, 3, 4])
    }

    func testAConstantDFTLengthOnAnAxisOfUnknownLengthResizesAtRunTime() throws {
        var m = dftModel(x: [1, 4, 1], attributes: [ModelBuilder.attribute("onesided", int: 1)], dftLength: 6)
        var symbolic = Onnx_TensorShapeProto.Dimension()
        symbolic.dimParam = "samples"
        m.graph.input[0].type.tensorType.shape.dim[1] = symbolic
        let graph = try m.importGraph()
        XCTAssertFalse(graph.nodes.contains { $0.op is RDFT && $0.inputs.count == 3 }, "a signal_size past the input's end")
        // numpy.fft.rfft([1, 2, 3, 4], n=6), and of [1, 2, 3, 4, 5, 6, 7, 8] cropped to 6: rfft([1, 2, 3, 4, 5, 6])
        // = [21, -3+5.19615242j, -3+1.73205081j, -3]
        let short = try Evaluator().run(graph, inputs: ["x": .f32([1, 2, 3, 4], dims: [1, 4, 1])])[0]
        assertClose(values(short), [10, 0, -3.5, -4.33012702, 2.5, 0.8660254, -2, 0])
        let long = try Evaluator().run(graph, inputs: ["x": .f32([1, 2, 3, 4, 5, 6, 7, 8], dims: [1, 8, 1])])[0]
        assertClose(values(long), [21, 0, -3, 5.19615242, -3, 1.73205081, -3, 0])
    }

    func testARunTimeAxisIsSwappedWithAFixedOne() throws {
        // rows [1, 2, 3, 4] and [5, 6, 7, 8]; along axis 2 each row's half spectrum, along axis 1 the sums and
        // differences of the two rows (numpy.fft.rfft(x, axis=0) = [[6, 8, 10, 12], [-4, -4, -4, -4]])
        let m = dftModel(opset: 20, x: [1, 2, 4, 1], attributes: [ModelBuilder.attribute("onesided", int: 1)], runtimeAxis: true)
        let graph = try m.importGraph()
        XCTAssertEqual(graph.nodes.filter { $0.op is Transpose }.count, 2)
        let x = Tensor.f32([1, 2, 3, 4, 5, 6, 7, 8], dims: [1, 2, 4, 1])
        for axis in [2, -2] {
            let y = try Evaluator().run(graph, inputs: ["x": x, "axis": .scalar(i64: axis)])[0]
            XCTAssertEqual(y.dims, [1, 2, 3, 2])
            assertClose(values(y), [10, 0, -2, 2, -2, 0, 26, 0, -2, 2, -2, 0])
        }
        let y = try Evaluator().run(graph, inputs: ["x": x, "axis": .scalar(i64: 1)])[0]
        XCTAssertEqual(y.dims, [1, 2, 4, 2])
        assertClose(values(y), [6, 0, 8, 0, 10, 0, 12, 0, -4, 0, -4, 0, -4, 0, -4, 0])
    }

    func testOpset20DefaultsToTheLastSignalAxis() throws {
        // no axis input: -2, the last dim before the real/imaginary one
        let (_, y) = try run(dftModel(opset: 20, x: [2, 2, 1]), ["x": .f32([1, 2, 3, 4], dims: [2, 2, 1])])
        assertClose(values(y), [3, 0, -1, 0, 7, 0, -1, 0])
    }

    func testATrailingDimKnownOnlyAtRunTimeIsPaddedToComplexThen() throws {
        var m = dftModel(x: [1, 4, 1])
        var symbolic = Onnx_TensorShapeProto.Dimension()
        symbolic.dimParam = "parts"
        m.graph.input[0].type.tensorType.shape.dim[2] = symbolic
        let graph = try m.importGraph()
        XCTAssertTrue(types(graph).contains("DFT"), "\(types(graph))")
        let fromReal = try Evaluator().run(graph, inputs: ["x": .f32([1, 2, 3, 4], dims: [1, 4, 1])])[0]
        assertClose(values(fromReal), [10, 0, -2, 2, -2, 0, -2, -2])
        let fromComplex = try Evaluator().run(graph, inputs: ["x": .f32([1, 1, 2, 0, 3, 0, 4, 0], dims: [1, 4, 2])])[0]
        // [1 + i, 2, 3, 4]: the spectrum above plus i·[1, 1, 1, 1]
        assertClose(values(fromComplex), [10, 1, -2, 3, -2, 1, -2, -1])
    }

    func testTransformsONNXDoesNotDefineAreRefused() throws {
        let cases: [(ModelBuilder, String)] = [
            (dftModel(x: [1, 4, 2], attributes: [ModelBuilder.attribute("onesided", int: 1)]), "takes a real input"),
            (dftModel(x: [1, 4, 1], attributes: [ModelBuilder.attribute("onesided", int: 1), ModelBuilder.attribute("inverse", int: 1)]),
             "complex half spectrum"),
            (dftModel(x: [1, 4, 1], attributes: [ModelBuilder.attribute("axis", int: 2)]), "axis 2 is out of range"),
            (dftModel(x: [1, 4, 3]), "dim of 1 (real) or 2 (complex)"),
        ]
        for (m, message) in cases {
            let error = m.importError() ?? ""
            XCTAssertTrue(error.contains(message) && error.contains("DFT"), error)
        }
    }

    private func stftModel(signal: [Int], window: Bool, frameLength: Int64?, attributes: [Onnx_AttributeProto] = []) -> ModelBuilder {
        var m = ModelBuilder()
        m.input("signal", signal)
        m.initializer("frame_step", int64: [2], dims: [])
        if window { m.input("window", [4]) }
        if let frameLength { m.initializer("frame_length", int64: [frameLength], dims: []) }
        m.node("STFT", ["signal", "frame_step", window ? "window" : "", frameLength == nil ? "" : "frame_length"], ["y"],
               name: "stft", attributes: attributes)
        m.output("y")
        return m
    }

    func testSTFTOfTwoFrames() throws {
        // frames [0, 1, 2, 3] and [2, 3, 4, 5]: [6, -2+2i, -2] and [14, -2+2i, -2]
        let signal = Tensor.f32([0, 1, 2, 3, 4, 5], dims: [1, 6, 1])
        let (g, y) = try run(stftModel(signal: [1, 6, 1], window: false, frameLength: 4), ["signal": signal])
        XCTAssertTrue(types(g).contains("STFT"), "\(types(g))")
        XCTAssertEqual(y.dims, [1, 2, 3, 2])
        assertClose(values(y), [6, 0, -2, 2, -2, 0, 14, 0, -2, 2, -2, 0])
        // window [0, 1, 1, 0]: [0, 1, 2, 0] -> [3, -2-i, 1] and [0, 3, 4, 0] -> [7, -4-3i, 1]
        let (_, windowed) = try run(stftModel(signal: [1, 6, 1], window: true, frameLength: nil),
                                    ["signal": signal, "window": .f32([0, 1, 1, 0])])
        assertClose(values(windowed), [3, 0, -2, -1, 1, 0, 7, 0, -4, -3, 1, 0])
    }

    func testSTFTWithBothSidesMirrorsTheHalfSpectrum() throws {
        // frames [0, 1, 2, 3] and [2, 3, 4, 5]: [6, -2+2i, -2, -2-2i] and [14, -2+2i, -2, -2-2i]
        let m = stftModel(signal: [1, 6, 1], window: false, frameLength: 4, attributes: [ModelBuilder.attribute("onesided", int: 0)])
        let (_, y) = try run(m, ["signal": .f32([0, 1, 2, 3, 4, 5], dims: [1, 6, 1])])
        XCTAssertEqual(y.dims, [1, 2, 4, 2])
        assertClose(values(y), [6, 0, -2, 2, -2, 0, -2, -2, 14, 0, -2, 2, -2, 0, -2, -2])
    }

    func testSTFTsOfComplexOrMismatchedInputsAreRefused() throws {
        for (m, message) in [(stftModel(signal: [1, 6, 2], window: false, frameLength: 4), "real signals only"),
                             (stftModel(signal: [1, 6, 1], window: true, frameLength: 3), "window has 4 values but frame_length is 3")] {
            let error = m.importError() ?? ""
            XCTAssertTrue(error.contains(message) && error.contains("STFT"), error)
        }
    }

    /// Found in review: a negative constant frame_length without a window reached Array(repeating:count:) and trapped.
    func testANonPositiveFrameLengthIsRefused() throws {
        let error = stftModel(signal: [1, 6, 1], window: false, frameLength: -1).importError() ?? ""
        XCTAssertTrue(error.contains("'stft'") && error.contains("frame_length -1 must be positive"), error)
    }
}
