import Dispatch
import Foundation

/// Runs work on samples `0..<count` across `workers` threads, each taking the next index when it is free; the
/// first failure stops the others from taking more and is rethrown as a `CalibrationError` naming the sample
/// (`label` 1-based of `count`: "sample 3 of 32: ..."). Calibration and `--int8-max-drop` evaluate samples this way.
public enum ParallelSamples {
    /// `body(worker, index)` for every index; `worker` is in `0..<min(workers, count)`, so per-worker state can be
    /// kept in an array of that size. `finished(done)` is called after each sample, outside the lock.
    public static func run(count: Int, workers: Int, label: String = "sample",
                           _ body: (_ worker: Int, _ index: Int) throws -> Void,
                           finished: ((Int) -> Void)? = nil) throws {
        let lock = NSLock()
        var next = 0, done = 0
        var failure: Error?
        DispatchQueue.concurrentPerform(iterations: workerCount(count: count, workers: workers)) { worker in
            while true {
                lock.lock()
                let index = failure == nil && next < count ? next : nil
                next += 1
                lock.unlock()
                guard let index else { return }
                do {
                    try body(worker, index)
                } catch {
                    lock.lock()
                    if failure == nil { failure = CalibrationError(.mismatch, "\(label) \(index + 1) of \(count): \(error)") }
                    lock.unlock()
                    return
                }
                lock.lock()
                done += 1
                let finishedCount = done
                lock.unlock()
                finished?(finishedCount)
            }
        }
        if let failure { throw failure }
    }

    /// How many workers `run` starts: at least 1, at most one per sample.
    public static func workerCount(count: Int, workers: Int) -> Int {
        Swift.max(1, Swift.min(workers, count))
    }
}
