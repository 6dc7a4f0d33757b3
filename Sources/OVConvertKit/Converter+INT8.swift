import Calibration
import Foundation
import OVIR
import Passes

extension Converter {
    /// `--int8`: plans the quantization of the optimized FP32 graph, collects statistics at its points over the
    /// samples in the evaluator, with `--int8-max-drop` chooses nodes to keep in float (`INT8AccuracyControl`), then
    /// runs `QuantizeINT8` with the chosen ranges. Data that cannot be used exits `calibrationData`, naming the file;
    /// what the user should know (few samples, skipped files) goes in `warnings`.
    func quantize(_ graph: Graph, _ int8: INT8Options, warnings: inout [String]) throws -> (PassReport, ConversionReport.INT8) {
        let clock = ContinuousClock()
        let start = clock.now
        let (source, heldOut) = try calibrationSources(int8, for: graph, warnings: &warnings)
        guard source.count > 0 else { throw ConversionFailure(.calibrationData, "--int8: no calibration samples") }
        let plan = QuantizeINT8.plan(graph, options: int8.quantization)
        for name in int8.quantization.ignoredNames.sorted() {
            let one = QuantizationOptions(ignoredNames: [name])
            guard !graph.nodes.contains(where: { one.ignores(name: $0.name) }) else { continue }
            warnings.append("--ignore: no node is named '\(name)' or named under it ('\(name)/...'); nothing kept float for it")
        }
        let types = Set(graph.nodes.map(\.op.typeName))
        for type in int8.quantization.ignoredTypes.sorted() where !types.contains(type) {
            warnings.append("--ignore-types: the model has no \(type) node")
        }
        let collector = StatisticsCollector(graph: graph, points: plan.observed,
                                            channelAxes: int8.quantization.biasCorrection ? plan.channelAxes : [:])
        let statistics: [Output: TensorStatistics]
        do {
            statistics = try collector.collect(count: source.count, sample: source.sample(at:), progress: int8.progress)
        } catch let e as CalibrationError {
            throw failure(e)
        }
        var ranges = QuantizationRanges()
        // Ranges only where FakeQuantizes go; the other observed values are there for their channel means.
        let rangePoints = Set(plan.points)
        for (point, s) in statistics {
            if rangePoints.contains(point) { ranges[point] = int8.estimator.range(s) }
            ranges.channelMeans[point] = s.channelMeans
        }

        var quantization = int8.quantization
        var accuracy: ConversionReport.INT8.Accuracy?
        if let maxDrop = int8.maxDrop {
            if heldOut == nil {
                warnings.append("--int8-max-drop: every sample of the data calibrated; the drop is measured on calibration samples, "
                    + "which flatters INT8: give more files than --subset")
            }
            var control = INT8AccuracyControl(graph: graph, ranges: ranges, options: quantization, samples: heldOut ?? source, maxDrop: maxDrop)
            control.progress = int8.status
            let outcome: INT8AccuracyControl.Outcome
            do {
                outcome = try control.run()
            } catch let e as CalibrationError {
                throw failure(e)
            } catch let e as GraphError {
                throw ConversionFailure(.badNode, "\(options.modelPath): while measuring --int8-max-drop: \(e)")
            }
            for name in outcome.returned { quantization.keptFloat[name] = INT8AccuracyControl.reason }
            accuracy = .init(metric: outcome.metric.rawValue, samples: outcome.samples, heldOut: heldOut != nil, maxDrop: maxDrop,
                             before: outcome.before, after: outcome.after, returned: outcome.returned, ranked: outcome.candidates,
                             measured: outcome.measured)
            if outcome.candidates > 0, outcome.returned.count == outcome.candidates {
                warnings.append("--int8-max-drop \(maxDrop): met only with every quantizable node in float, so the model is the FP32 one "
                    + "(with all of them quantized the drop was \(String(format: "%.4f", outcome.before)) on \(outcome.samples) samples); "
                    + "allow a larger drop, or give more held-out samples for a finer measure")
            }
        }

        let pass = QuantizeINT8(options: quantization, ranges: ranges)
        let result: PassResult
        do {
            result = try pass.run(on: graph)
        } catch let e as GraphError {
            throw ConversionFailure(.badNode, "\(options.modelPath): while quantizing: \(e)")
        }
        graph.rtInfo.set(["conversion_parameters", "int8_samples"], .value(String(source.count)))
        if let maxDrop = int8.maxDrop { graph.rtInfo.set(["conversion_parameters", "int8_max_drop"], .value("\(maxDrop)")) }
        if int8.maxDrop != nil, let path = int8.heldOut {
            graph.rtInfo.set(["conversion_parameters", "int8_held_out"], .value((path as NSString).lastPathComponent))
        }
        let quantized = graph.nodes.filter { node in !(node.op is FakeQuantize) && node.inputs.contains { $0.node.op is FakeQuantize } }.count
        let seconds = (clock.now - start).seconds
        let summary = ConversionReport.INT8(samples: source.count, ranges: int8.estimator.name, quantized: quantized,
                                            keptFloat: result.skipped, accuracy: accuracy, seconds: seconds)
        return (PassReport(name: pass.name, summary: pass.summary, result: result, seconds: seconds), summary)
    }

    /// The calibration samples `int8.data` names, listed for the graph's inputs (a sample is keyed by Parameter name;
    /// an `.npz` array may also use one of the Parameter's tensor names), and with `--int8-max-drop` the samples it
    /// measures on: `--int8-held-out`'s, else the files of the data calibration does not use, when there are any.
    private func calibrationSources(_ int8: INT8Options, for graph: Graph, warnings: inout [String])
        throws -> (calibration: any CalibrationSource, heldOut: (any CalibrationSource)?) {
        let path: String, calibration: CalibrationOptions
        switch int8.data {
        case .samples(let source): return (source, nil)
        case .path(let p, let c): (path, calibration) = (p, c)
        }
        let inputs = graph.parameters.map {
            CalibrationInput(name: $0.name, otherNames: $0.tensorNames[0], type: $0.outputTypes[0])
        }
        let dataset = try listed(path, inputs, calibration, option: "--int8")
        warnings += dataset.warnings.map { "--data: \($0)" }
        if dataset.files.count < CalibrationOptions.advisedMinimum {
            warnings.append("--data: \(path): only \(dataset.files.count) sample\(dataset.files.count == 1 ? "" : "s"); "
                + "ranges from fewer than \(CalibrationOptions.advisedMinimum) are unreliable")
        }
        guard int8.maxDrop != nil else { return (dataset, nil) }
        guard let heldOutPath = int8.heldOut else { return (dataset, dataset.heldOut(int8.heldOutSamples)) }
        var options = calibration
        options.subset = int8.heldOutPathSamples
        let heldOut = try listed(heldOutPath, inputs, options, option: "--int8-held-out")
        warnings += heldOut.warnings.map { "--int8-held-out: \($0)" }
        let calibrated = Set(dataset.files)
        let shared = heldOut.files.filter { calibrated.contains($0) }.count
        if shared > 0 {
            warnings.append("--int8-held-out: \(shared) of its \(heldOut.files.count) samples are calibration samples too, "
                + "which flatters INT8: give data calibration does not use")
        }
        return (dataset, heldOut)
    }

    /// The data at `path` listed, data that cannot be used failing under `option`.
    private func listed(_ path: String, _ inputs: [CalibrationInput], _ options: CalibrationOptions, option: String) throws -> CalibrationDataset {
        do {
            return try CalibrationDataset(path: path, inputs: inputs, options: options)
        } catch let e as CalibrationError {
            throw failure(e, option: option)
        }
    }

    private func failure(_ e: CalibrationError, option: String = "--int8") -> ConversionFailure {
        ConversionFailure(e.kind == .badOptions ? .badOptions : .calibrationData, "\(option): \(e)")
    }
}
