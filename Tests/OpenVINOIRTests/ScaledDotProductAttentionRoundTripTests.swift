import Foundation
import OVIR
@testable import OpenVINOIR
import XCTest

/// ScaledDotProductAttention-13 through the IR writer and reader: the layer spelled as the op spec's examples
/// (`type="ScaledDotProductAttention" version="opset13"`, `<data causal="false"/>`), five inputs, read back whole.
final class ScaledDotProductAttentionRoundTripTests: XCTestCase {
    func testFiveInputsAndCausal() throws {
        for causal in [false, true] {
            let g = Graph(name: "sdpa")
            let q = try g.addParameter("q", TensorType(.f32, .ranked([.fixed(1), .fixed(2), .dynamic, .fixed(8)])))
            let k = try g.addParameter("k", TensorType(.f32, .fixed([1, 2, 5, 8])))
            let v = try g.addParameter("v", TensorType(.f32, .fixed([1, 2, 5, 6])))
            let mask = try g.constant(.f32([0, 0, 0, -1, -1], dims: [1, 1, 1, 5]), name: "mask")
            let scale = try g.constant(.scalar(f32: 0.25), name: "scale")
            let node = try g.add(ScaledDotProductAttention(causal: causal), [q.output(), k.output(), v.output(), mask, scale], name: "attention")
            try g.addResult(node.output(), name: "out")
            XCTAssertEqual(node.outputTypes, [TensorType(.f32, .ranked([.fixed(1), .fixed(2), .dynamic, .fixed(6)]))])

            let out = try writeIR(g, to: try makeTemporaryFolder())
            let xml = try text(of: out.xml)
            XCTAssertTrue(xml.contains(#"type="ScaledDotProductAttention" version="opset13""#), xml)
            XCTAssertTrue(xml.contains(#"<data causal="\#(causal)""#), xml)
            let read = try IRReader(registry: .builtin).read(xmlURL: out.xml)
            XCTAssertNil(read.firstDifference(from: g))
            try read.verify()
            XCTAssertEqual(read.nodes.first { $0.name == "attention" }?.op as? ScaledDotProductAttention, ScaledDotProductAttention(causal: causal))
        }
    }
}
