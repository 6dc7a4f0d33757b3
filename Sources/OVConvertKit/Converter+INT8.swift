import Calibration
import Foundation
import OVIR
import Passes

extension Converter {
    /// `--int8`: plans the quantization of the optimized FP32 graph, collects statistics at its points over the
    /// samples in the evaluator, then runs `QuantizeINT8` with the chosen ranges.
    func quantize(_ graph: Graph, _ int8: INT8Options) throws -> PassReport {
        guard !int8.samples.isEmpty else { throw ConversionFailure(.badInputs, "--int8: no calibration samples") }
        let clock = ContinuousClock()
        let start = clock.now
        let plan = QuantizeINT8.plan(graph, options: int8.quantization)
        let samples = int8.samples
        let collector = StatisticsCollector(graph: graph, points: plan.points)
        let statistics: [Output: TensorStatistics]
        do {
            statistics = try collector.collect(count: samples.count, sample: { i in
                let path = samples[i].path
                let feeds = try InputFeeds(NPZArchive(contentsOf: path), path: path, graph: graph).feeds
                return Dictionary(feeds.map { ($0.input, $0.tensor) }, uniquingKeysWith: { a, _ in a })
            }, progress: int8.progress)
        } catch let e as CalibrationError {
            throw ConversionFailure(.badInputs, "--int8: \(e)")
        }
        var ranges = QuantizationRanges()
        for (point, s) in statistics { ranges[point] = int8.estimator.range(s) }
        let pass = QuantizeINT8(options: int8.quantization, ranges: ranges)
        let result: PassResult
        do {
            result = try pass.run(on: graph)
        } catch let e as GraphError {
            throw ConversionFailure(.badNode, "\(options.modelPath): while quantizing: \(e)")
        }
        return PassReport(name: pass.name, summary: pass.summary, result: result, seconds: (clock.now - start).seconds)
    }
}
