import Calibration
import Foundation
import OVIR
import Passes

extension Converter {
    /// `--int8`: plans the quantization of the optimized FP32 graph, collects statistics at its points over the
    /// samples in the evaluator, then runs `QuantizeINT8` with the chosen ranges. Data that cannot be used exits
    /// `calibrationData`, naming the file; what the user should know (few samples, skipped files) goes in `warnings`.
    func quantize(_ graph: Graph, _ int8: INT8Options, warnings: inout [String]) throws -> PassReport {
        let clock = ContinuousClock()
        let start = clock.now
        let source = try calibrationSource(int8.data, for: graph, warnings: &warnings)
        guard source.count > 0 else { throw ConversionFailure(.calibrationData, "--int8: no calibration samples") }
        let plan = QuantizeINT8.plan(graph, options: int8.quantization)
        let collector = StatisticsCollector(graph: graph, points: plan.points)
        let statistics: [Output: TensorStatistics]
        do {
            statistics = try collector.collect(count: source.count, sample: source.sample(at:), progress: int8.progress)
        } catch let e as CalibrationError {
            throw failure(e)
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
        graph.rtInfo.set(["conversion_parameters", "int8_samples"], .value(String(source.count)))
        return PassReport(name: pass.name, summary: pass.summary, result: result, seconds: (clock.now - start).seconds)
    }

    /// The samples `data` names, listed for the graph's inputs (a sample is keyed by Parameter name; an `.npz`
    /// array may also use one of the Parameter's tensor names).
    private func calibrationSource(_ data: INT8Options.Data, for graph: Graph, warnings: inout [String]) throws -> any CalibrationSource {
        switch data {
        case .samples(let source):
            return source
        case .path(let path, let calibration):
            let inputs = graph.parameters.map {
                CalibrationInput(name: $0.name, otherNames: $0.tensorNames[0], type: $0.outputTypes[0])
            }
            do {
                let dataset = try CalibrationDataset(path: path, inputs: inputs, options: calibration)
                warnings += dataset.warnings.map { "--data: \($0)" }
                return dataset
            } catch let e as CalibrationError {
                throw failure(e)
            }
        }
    }

    private func failure(_ e: CalibrationError) -> ConversionFailure {
        ConversionFailure(e.kind == .badOptions ? .badOptions : .calibrationData, "--int8: \(e)")
    }
}
