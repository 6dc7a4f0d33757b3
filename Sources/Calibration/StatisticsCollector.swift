import Evaluator
import Foundation
import OVIR

/// Runs the FP32 graph in the evaluator over calibration samples and gathers `TensorStatistics` at each
/// quantization point (the values `QuantizeINT8.plan` lists). Samples run in parallel, one worker per core;
/// the evaluator only reads the graph, so workers share it.
public struct StatisticsCollector {
    public let graph: Graph
    public let points: [Output]
    /// Points whose per-channel means are also gathered, with the channel axis (`QuantizeINT8.Plan.channelAxes`).
    public var channelAxes: [Output: Int]
    /// Values kept per point over all samples, for the percentile and MSE estimators.
    public var keptPerPoint: Int
    /// Parallel workers (default: the active cores).
    public var workers: Int

    public init(graph: Graph, points: [Output], channelAxes: [Output: Int] = [:], keptPerPoint: Int = 1 << 16,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.graph = graph
        self.points = points
        self.channelAxes = channelAxes
        self.keptPerPoint = keptPerPoint
        self.workers = Swift.max(1, workers)
    }

    /// The statistics of every point over `count` samples; `sample(i)` gives sample `i`'s inputs by input name
    /// (loaded when its turn comes, so only `workers` samples are in memory at once). `progress(done, total)`
    /// is called after each sample, from the worker that finished it. The first failure stops the run and is
    /// rethrown, naming the sample.
    public func collect(count: Int, sample: @escaping (Int) throws -> [String: Tensor],
                        progress: ((Int, Int) -> Void)? = nil) throws -> [Output: TensorStatistics] {
        var slots: [ObjectIdentifier: [(output: Int, point: Int, axis: Int?)]] = [:]
        for (k, point) in points.enumerated() {
            slots[ObjectIdentifier(point.node), default: []].append((point.index, k, channelAxes[point]))
        }
        let budget = count == 0 ? 0 : Swift.max(1, keptPerPoint / count)
        let workerCount = ParallelSamples.workerCount(count: count, workers: workers)
        var perWorker = [[TensorStatistics]](repeating: [TensorStatistics](repeating: TensorStatistics(), count: points.count),
                                             count: workerCount)
        let evaluator = Evaluator()
        try perWorker.withUnsafeMutableBufferPointer { buffers in
            let buffers = buffers
            try ParallelSamples.run(count: count, workers: workers, { w, index in
                _ = try evaluator.run(graph, inputs: try sample(index)) { node, outputs in
                    guard let wanted = slots[ObjectIdentifier(node)] else { return }
                    for (output, point, axis) in wanted {
                        let tensor = outputs[output]
                        guard tensor.elementType == .f32 else { continue }
                        tensor.withUnsafeBytes { raw in
                            let values = raw.bindMemory(to: Float.self)
                            buffers[w][point].observe(values, budget: budget, offset: index)
                            if let axis { buffers[w][point].observeChannels(values, dims: tensor.dims, axis: axis) }
                        }
                    }
                }
            }, finished: progress.map { report in { done in report(done, count) } })
        }
        var merged = [Output: TensorStatistics]()
        for (k, point) in points.enumerated() {
            var total = TensorStatistics()
            for w in 0..<workerCount { total.merge(perWorker[w][k]) }
            merged[point] = total
        }
        return merged
    }
}
