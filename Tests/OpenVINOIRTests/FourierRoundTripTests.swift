import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

/// The Fourier ops through the IR writer and reader, spelled as OpenVINO 2026.4.1 serializes them
/// (`<layer type="RDFT" version="opset9">` with no `<data>`, `<data transpose_frames="true" />` on STFT).
final class FourierRoundTripTests: XCTestCase {
    func testEveryFourierOpIsWrittenAndReadBack() throws {
        let g = Graph(name: "fourier")
        let real = try g.addParameter("real", TensorType(.f32, .fixed([2, 16]))).output()
        let complex = try g.addParameter("complex", TensorType(.f32, .fixed([2, 16, 2]))).output()
        let axes = try g.constant(.i64([1]), name: "axes"), size = try g.constant(.i64([12]), name: "size")
        let nodes = [
            try g.add(DFT(), [complex, axes], name: "dft"),
            try g.add(IDFT(), [complex, axes, size], name: "idft"),
            try g.add(RDFT(), [real, axes, size], name: "rdft"),
            try g.add(IRDFT(), [complex, axes], name: "irdft"),
            try g.add(STFT(transposeFrames: true), [real, g.constant(.f32(Array(repeating: 1, count: 8)), name: "window"),
                                                    g.constant(.scalar(i64: 8), name: "frameSize"),
                                                    g.constant(.scalar(i64: 4), name: "frameStep")], name: "stft"),
        ]
        for node in nodes { try g.addResult(node.output(0), name: "\(node.name)/result") }
        XCTAssertEqual(nodes.map { $0.outputTypes[0].shape }, [.fixed([2, 16, 2]), .fixed([2, 12, 2]), .fixed([2, 7, 2]), .fixed([2, 30]),
                                                               .fixed([2, 5, 3, 2])])

        let out = try writeIR(g, to: try makeTemporaryFolder())
        let xml = try text(of: out.xml)
        for spelling in [#"type="DFT" version="opset7""#, #"type="IDFT" version="opset7""#, #"type="RDFT" version="opset9""#,
                         #"type="IRDFT" version="opset9""#, #"type="STFT" version="opset15""#, #"<data transpose_frames="true""#] {
            XCTAssertTrue(xml.contains(spelling), "the XML lacks \(spelling)")
        }
        let read = try IRReader(registry: .builtin).read(xmlURL: out.xml)
        XCTAssertNil(read.firstDifference(from: g))
        try read.verify()
        XCTAssertEqual(read.nodes.first { $0.name == "stft" }?.op as? STFT, STFT(transposeFrames: true))
    }
}
