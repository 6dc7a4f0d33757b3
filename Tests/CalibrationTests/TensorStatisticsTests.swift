import XCTest
@testable import Calibration

final class TensorStatisticsTests: XCTestCase {
    func testMinMaxCountAndKeptValues() {
        var s = TensorStatistics()
        s.observe([3, -1, .nan, 2, 5, 0], budget: 10)
        XCTAssertEqual(s.min, -1)
        XCTAssertEqual(s.max, 5)
        XCTAssertEqual(s.count, 6)
        XCTAssertEqual(s.kept, [3, -1, 2, 5, 0])
    }

    /// 10 values with a budget of 3: stride ceil(10/3) = 4, starting at offset % 4.
    func testKeepsAnEvenlyStridedSubsampleWithinTheBudget() {
        let values = (0..<10).map(Float.init)
        var a = TensorStatistics(), b = TensorStatistics()
        a.observe(values, budget: 3, offset: 0)
        b.observe(values, budget: 3, offset: 5)
        XCTAssertEqual(a.kept, [0, 4, 8])
        XCTAssertEqual(b.kept, [1, 5, 9])
        a.merge(b)
        XCTAssertEqual(a.kept, [0, 4, 8, 1, 5, 9])
        XCTAssertEqual(a.count, 20)
        XCTAssertEqual(a.min, 0)
        XCTAssertEqual(a.max, 9)
    }

    /// Quantiles interpolate linearly between sorted neighbours: of [1, 2, 3, 4, 5], q 0.5 is 3, q 0.1 is 1.4.
    func testQuantiles() {
        var s = TensorStatistics()
        s.observe([5, 1, 4, 2, 3], budget: 5)
        XCTAssertEqual(s.quantile(0.5), 3)
        XCTAssertEqual(Double(s.quantile(0.1)!), 1.4, accuracy: 1e-6)
        XCTAssertEqual(s.quantile(1), 5)
        XCTAssertNil(TensorStatistics().quantile(0.5))
    }

    /// [2, 3, 2] along axis 1: channel c sums both batch rows' two values; means over 4 values each.
    func testChannelMeansAlongAnAxis() {
        let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        var s = TensorStatistics()
        values.withUnsafeBufferPointer { s.observeChannels($0, dims: [2, 3, 2], axis: 1) }
        // Channel 0: 1, 2, 7, 8; channel 1: 3, 4, 9, 10; channel 2: 5, 6, 11, 12.
        XCTAssertEqual(s.channelMeans, [4.5, 6.5, 8.5])
        var other = TensorStatistics()
        [Float](repeating: 0, count: 12).withUnsafeBufferPointer { other.observeChannels($0, dims: [2, 3, 2], axis: 1) }
        s.merge(other)
        XCTAssertEqual(s.channelMeans, [2.25, 3.25, 4.25])
        XCTAssertNil(TensorStatistics().channelMeans)
    }

    /// Per sample min/max means: samples [0, 4], [-2, 10] and an all-NaN one (not a sample), one of them merged in.
    func testMeanSampleRangeAcrossSamplesAndMerges() {
        var a = TensorStatistics(), b = TensorStatistics()
        a.observe([0, 4, 1], budget: 0)
        a.observe([.nan], budget: 0)
        b.observe([-2, 10], budget: 0)
        a.merge(b)
        XCTAssertEqual(a.samples, 2)
        XCTAssertEqual(a.meanSampleRange?.min, -1)
        XCTAssertEqual(a.meanSampleRange?.max, 7)
        XCTAssertEqual(a.min, -2)
        XCTAssertEqual(a.max, 10)
        XCTAssertNil(TensorStatistics().meanSampleRange)
    }
}
