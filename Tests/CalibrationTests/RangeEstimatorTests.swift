import XCTest
@testable import Calibration

final class RangeEstimatorTests: XCTestCase {
    /// -5000 ... 5000 in steps of 1 (10001 values).
    func symmetric() -> TensorStatistics {
        var s = TensorStatistics()
        s.observe((-5000...5000).map(Float.init), budget: 20000)
        return s
    }

    func testMinMax() {
        XCTAssert(RangeEstimator.minMax.range(symmetric()) == -5000...5000)
        XCTAssertNil(RangeEstimator.minMax.range(TensorStatistics()))
    }

    /// Three samples with max 1, 1 and 100 (an outlier): minmax spans 100, meanminmax the mean 34.
    func testMeanMinMaxAveragesEachSamplesExtremes() {
        var s = TensorStatistics()
        for sample: [Float] in [[0, 1], [-0.5, 1], [0.5, 100]] { s.observe(sample, budget: 0) }
        XCTAssert(RangeEstimator.minMax.range(s) == -0.5...100)
        let r = RangeEstimator.meanMinMax.range(s)!
        XCTAssertEqual(r.lowerBound, 0, accuracy: 1e-6)
        XCTAssertEqual(r.upperBound, 34, accuracy: 1e-5)
        XCTAssertEqual(RangeEstimator.meanMinMax.name, "meanminmax")
    }

    /// q = 0.01: positions 0.01 × 10000 = 100 from each end: -4900 and 4900.
    func testPercentileClipsBothTails() {
        let r = RangeEstimator.percentile(0.01).range(symmetric())!
        XCTAssertEqual(r.lowerBound, -4900, accuracy: 1e-3)
        XCTAssertEqual(r.upperBound, 4900, accuracy: 1e-3)
    }

    /// A non-negative value keeps its minimum as the low end (it stays unsigned).
    func testPercentileKeepsANonNegativeLowEnd() {
        var s = TensorStatistics()
        s.observe((0...100).map(Float.init), budget: 200)
        let r = RangeEstimator.percentile(0.01).range(s)!
        XCTAssertEqual(r.lowerBound, 0)
        XCTAssertEqual(r.upperBound, 99, accuracy: 1e-4)
    }

    /// Evenly spread values: clipping costs more than it saves, the full range stays.
    func testMSEKeepsTheFullRangeOfUniformValues() {
        var s = TensorStatistics()
        s.observe((0...10000).map { Float($0) / 10000 }, budget: 20000)
        XCTAssert(RangeEstimator.mse.range(s) == 0...1)
    }

    /// 10000 values at 0.5 and one at 1: on [0, 1] each 0.5 rounds to 128/255 (error 0.002); clipping the one
    /// outlier a little puts 0.5 near a level, so MSE shrinks the range.
    func testMSEClipsARareOutlierWhenRoundingTheBulkCostsMore() {
        var s = TensorStatistics()
        s.observe(Array(repeating: 0.5, count: 10000) + [1], budget: 20000)
        let r = RangeEstimator.mse.range(s)!
        XCTAssertLessThan(r.upperBound, 1)
        XCTAssertGreaterThan(r.upperBound, 0.5)
    }
}
