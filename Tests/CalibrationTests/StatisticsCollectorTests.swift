import XCTest
import OVIR
@testable import Calibration

final class StatisticsCollectorTests: XCTestCase {
    /// x [4] -> ReLU -> Result; points x and relu.
    func graph() throws -> Graph {
        let g = Graph(name: "g")
        let x = try g.addParameter("x", TensorType(.f32, .fixed([4])))
        let r = try g.add(Relu(), [x.output()], name: "relu")
        try g.addResult(r.output(), name: "out")
        return g
    }

    /// Three samples on two workers: min/max over all of them, every value kept, progress reaching 3 of 3.
    func testCollectsMinMaxOverAllSamplesInParallel() throws {
        let g = try graph()
        let x = g.parameters[0].output(), relu = g.nodes.first { $0.name == "relu" }!.output()
        let samples: [[Float]] = [[-1, 2, 0.5, 3], [4, -7, 1, 1], [0, 0, 0, 9]]
        let done = Counter()
        let stats = try StatisticsCollector(graph: g, points: [x, relu], workers: 2)
            .collect(count: 3, sample: { ["x": .f32(samples[$0])] }, progress: { finished, total in
                XCTAssertEqual(total, 3)
                done.record(finished)
            })
        XCTAssertEqual(stats[x]!.min, -7)
        XCTAssertEqual(stats[x]!.max, 9)
        XCTAssertEqual(stats[relu]!.min, 0)
        XCTAssertEqual(stats[relu]!.max, 9)
        XCTAssertEqual(stats[x]!.count, 12)
        XCTAssertEqual(stats[x]!.kept.sorted(), [-7, -1, 0, 0, 0, 0.5, 1, 1, 2, 3, 4, 9])
        XCTAssertEqual(done.values.sorted(), [1, 2, 3])
    }

    func testAFailingSampleIsNamed() throws {
        let g = try graph()
        XCTAssertThrowsError(try StatisticsCollector(graph: g, points: [g.parameters[0].output()], workers: 1)
            .collect(count: 2, sample: { $0 == 0 ? ["x": .f32([1, 2, 3, 4])] : ["y": .f32([1])] })) { error in
            XCTAssertTrue("\(error)".hasPrefix("sample 2 of 2: "), "\(error)")
        }
    }
}

/// Progress calls, recorded from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int] = []
    func record(_ v: Int) { lock.lock(); values.append(v); lock.unlock() }
}
