import Foundation
import OpenVINOIR
import OVIR
import XCTest
@testable import OVConvertKit

final class ConversionLimitsTests: XCTestCase {
    /// x → If(true, x) whose two bodies are this model one level less deep, `depth` levels down: the If at depth
    /// k is named `if<k>`. Each level has a Parameter, a condition Const, the If and a Result (4 nodes), the last
    /// a Parameter and a Result; a model of depth d has 4 + 2·4 + ... + 2^(d-1)·4 + 2^d·2 nodes.
    private func nested(_ depth: Int, level: Int = 0) throws -> Graph {
        let g = Graph(name: "nested")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([1])))
        guard level < depth else {
            try g.addResult(x.output(), name: "r")
            return g
        }
        let op = If(then: try nested(depth, level: level + 1), else: try nested(depth, level: level + 1),
                    thenInputs: [.invariant(input: 1, parameter: 0)], elseInputs: [.invariant(input: 1, parameter: 0)])
        let condition = try g.constant(.boolean([true], dims: []), name: "c\(level)")
        try g.addResult(g.add(op, [condition, x.output()], name: "if\(level)").output(), name: "r")
        return g
    }

    private func nodeCount(_ depth: Int) -> Int {
        (0..<depth).reduce(0) { $0 + (1 << $1) * 4 } + (1 << depth) * 2
    }

    private func failure(_ body: () throws -> Void) -> ConversionFailure? {
        do {
            try body()
            return nil
        } catch {
            return error as? ConversionFailure
        }
    }

    func testNodesOfBodiesCount() throws {
        let g = try nested(3)
        XCTAssertEqual(nodeCount(3), 4 + 8 + 16 + 16)
        XCTAssertNoThrow(try ConversionLimits(maxNodes: nodeCount(3)).check(g, model: "m.xml"))
        let e = failure { try ConversionLimits(maxNodes: nodeCount(3) - 1).check(g, model: "m.xml") }
        XCTAssertEqual(e?.exitCode, 14)
        XCTAssertEqual(e?.message, "m.xml: the translated graph has 44 nodes (with those of If/Loop bodies), more than the limit of 43; "
            + "--max-nodes N raises it")
    }

    func testSubgraphDepthNamesThePathToTheFirstBodyTooDeep() throws {
        let g = try nested(3)
        XCTAssertNoThrow(try ConversionLimits(maxSubgraphDepth: 3).check(g, model: "m.xml"))
        let e = failure { try ConversionLimits(maxSubgraphDepth: 2).check(g, model: "m.xml") }
        XCTAssertEqual(e?.exitCode, 14)
        XCTAssertEqual(e?.message, "m.xml: subgraphs nest 3 deep (If 'if0' then_body > If 'if1' then_body > If 'if2' then_body), "
            + "more than the limit of 2; --max-subgraph-depth N raises it")
        XCTAssertNotNil(failure { try ConversionLimits(maxSubgraphDepth: 0).check(try nested(1), model: "m.xml") })
        XCTAssertNoThrow(try ConversionLimits(maxSubgraphDepth: 0).check(try nested(0), model: "m.xml"))
    }

    func testNegativeLimitsAreProblems() {
        XCTAssertNil(ConversionLimits().problem)
        XCTAssertEqual(ConversionLimits(maxNodes: -1).problem, "--max-nodes must not be negative, got -1")
        XCTAssertEqual(ConversionLimits(maxSubgraphDepth: -2).problem, "--max-subgraph-depth must not be negative, got -2")
        XCTAssertEqual(ConversionLimits(maxFoldBytes: -3).problem, "--max-fold-bytes must not be negative, got -3")
    }

    /// Through the Converter (an IR of nested Ifs, read by the IR frontend): over a limit it fails with exit 14
    /// and writes nothing; with the defaults it converts.
    func testTheConverterRefusesAModelOverALimitWritingNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let xml = folder.appendingPathComponent("nested.xml")
        try IRWriter().write(try nested(3), xmlURL: xml, binURL: folder.appendingPathComponent("nested.bin"))
        let out = folder.appendingPathComponent("out")
        for limits in [ConversionLimits(maxNodes: 43), ConversionLimits(maxSubgraphDepth: 2)] {
            var options = ConversionOptions(modelPath: xml.path, outputFolder: out.path)
            options.limits = limits
            let e = failure { _ = try Converter(options).run() }
            XCTAssertEqual(e?.reason, .limitExceeded, "\(limits)")
            XCTAssertTrue(e?.message.hasPrefix("\(xml.path): ") == true, e?.message ?? "converted")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["nested.bin", "nested.xml"])
        }
        var negative = ConversionOptions(modelPath: xml.path, outputFolder: out.path)
        negative.limits.maxFoldBytes = -1
        XCTAssertEqual(failure { _ = try Converter(negative).run() }?.reason, .badOptions)
        let report = try Converter(ConversionOptions(modelPath: xml.path, outputFolder: out.path)).run()
        XCTAssertEqual(report.outputs.map(\.name), ["r"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("nested.xml").path))
    }
}
