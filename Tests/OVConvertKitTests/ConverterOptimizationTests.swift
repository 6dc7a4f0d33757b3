import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import OpenVINOIR
@testable import OVConvertKit

/// What the pass pipeline does to the YOLO fixture, seen in the written XML, and `--disable`/`--trace-rewrites`.
final class ConverterOptimizationTests: XCTestCase {
    private let yolo = ConverterTests.testdata.appendingPathComponent("yolo_tiny.onnx").path

    private func convert(disabling passes: [String] = []) throws -> (ConversionReport, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-passes-\(UUID().uuidString)")
        let report = try Converter(ConversionOptions(modelPath: yolo, outputFolder: folder.path, disabledPasses: passes)).run()
        return (report, folder.appendingPathComponent("yolo_tiny.xml"))
    }

    /// The export has 54 Sigmoids and 54 Muls; 53 are SiLU pairs Mul(x, Sigmoid(x)) (counted in the ONNX file),
    /// the other Sigmoid is the class scores and the other Mul the box stride. The IR has 53 Swish instead, and
    /// a second Multiply: the box centres' Div by 2, which ConstantChainMerging turns into a Multiply by 0.5.
    func testTheYOLOFixtureHasSwishWhereTheExportHasSigmoidTimesMul() throws {
        let (report, xml) = try convert()
        let counts = try Self.layerTypeCounts(xml)
        XCTAssertEqual(counts["Swish"], 53)
        XCTAssertEqual(counts["Sigmoid"], 1)
        XCTAssertEqual(counts["Multiply"], 2)
        XCTAssertNil(counts["Divide"])
        XCTAssertNil(counts["BatchNormInference"])
        XCTAssertTrue(SummaryFormatter(traceRewrites: true).format(report).contains("ActivationFusion/Swish ×53"))
        XCTAssertFalse(SummaryFormatter().format(report).contains("  rewrite "))
    }

    /// --disable ActivationFusion keeps the export's Sigmoid × Mul pairs, and the choice is recorded in rt_info.
    func testADisabledPassDoesNotRun() throws {
        let (report, xml) = try convert(disabling: ["ActivationFusion"])
        XCTAssertFalse(report.passes.map(\.name).contains("ActivationFusion"))
        let counts = try Self.layerTypeCounts(xml)
        XCTAssertNil(counts["Swish"])
        XCTAssertEqual(counts["Sigmoid"], 54)
        XCTAssertEqual(try IRReader().read(xmlURL: xml).rtInfo["conversion_parameters", "disable"], .value("ActivationFusion"))
        XCTAssertFalse(SummaryFormatter(traceRewrites: true).format(report).contains("ActivationFusion/"))
    }

    /// The attention fixture's MatMul(q, kᵀ) / √8 + mask → Softmax → MatMul v becomes one ScaledDotProductAttention
    /// named after the export's final MatMul ("attention"); the k Transpose [0,2,3,1] becomes one [0,2,1,3] (still 4
    /// Transposes), and 4 MatMuls (the projections) stay. --disable keeps the export's 6 MatMuls and the Softmax.
    func testTheAttentionFixtureHasOneScaledDotProductAttention() throws {
        let model = ConverterTests.testdata.appendingPathComponent("attention_block.onnx").path
        for disabled in [false, true] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-sdpa-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let options = ConversionOptions(modelPath: model, outputFolder: folder.path,
                                            disabledPasses: disabled ? ["ScaledDotProductAttentionFusion"] : [])
            _ = try Converter(options).run()
            let xml = folder.appendingPathComponent("attention_block.xml")
            let counts = try Self.layerTypeCounts(xml)
            XCTAssertEqual(counts["ScaledDotProductAttention"], disabled ? nil : 1)
            XCTAssertEqual(counts["MatMul"], disabled ? 6 : 4)
            XCTAssertEqual(counts["SoftMax"], disabled ? 1 : nil)
            XCTAssertEqual(counts["Transpose"], 4)
            if !disabled {
                let graph = try IRReader().read(xmlURL: xml)
                XCTAssertTrue(graph.nodes.contains { $0.name == "attention" && $0.op.typeName == "ScaledDotProductAttention" })
            }
        }
    }

    /// An unknown pass name is a usage error naming the passes, before anything is written.
    func testAnUnknownPassIsABadOption() throws {
        XCTAssertThrowsError(try convert(disabling: ["Fusion"])) { error in
            let f = error as? ConversionFailure
            XCTAssertEqual(f?.reason, .badOptions)
            XCTAssertTrue(f?.message.contains("unknown pass 'Fusion'; the passes are ConvertLikeToConvert, ConstantFolding, ShapeSubgraphSimplification") == true, "\(error)")
        }
    }

    /// How many `<layer>`s of each `type` an IR XML file has, read with Foundation's parser.
    static func layerTypeCounts(_ xml: URL) throws -> [String: Int] {
        final class Collector: NSObject, XMLParserDelegate {
            var counts: [String: Int] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if name == "layer", let type = attributes["type"] { counts[type, default: 0] += 1 }
            }
        }
        let parser = XMLParser(data: try Data(contentsOf: xml)), collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(xml.lastPathComponent) does not parse")
        return collector.counts
    }
}
