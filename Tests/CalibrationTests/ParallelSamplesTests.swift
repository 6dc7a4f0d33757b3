import Foundation
import XCTest
@testable import Calibration

/// Samples shared out over workers: each index once, per-worker slots in range, the first failure named.
final class ParallelSamplesTests: XCTestCase {
    func testEveryIndexRunsOnceOnAWorkerInRange() throws {
        let lock = NSLock()
        var seen: [Int] = [], finished: [Int] = []
        try ParallelSamples.run(count: 7, workers: 3, { worker, index in
            XCTAssert((0..<3).contains(worker))
            lock.lock(); seen.append(index); lock.unlock()
        }, finished: { done in lock.lock(); finished.append(done); lock.unlock() })
        XCTAssertEqual(seen.sorted(), Array(0..<7))
        XCTAssertEqual(finished.sorted(), Array(1...7))
        XCTAssertEqual(ParallelSamples.workerCount(count: 0, workers: 2), 1)
        XCTAssertEqual(ParallelSamples.workerCount(count: 5, workers: 2), 2)
    }

    func testAFailureIsRethrownNamingTheSample() {
        XCTAssertThrowsError(try ParallelSamples.run(count: 4, workers: 1, label: "held-out sample", { _, index in
            if index == 2 { throw CalibrationError(.unreadable, "x.png: cannot be read") }
        })) { error in
            XCTAssertEqual(error as? CalibrationError, CalibrationError(.mismatch, "held-out sample 3 of 4: x.png: cannot be read"))
        }
    }
}
