import XCTest
@testable import ovconvert

/// The progress line's text: count, bar, rate and time left, and the total time once done.
final class ProgressBarTests: XCTestCase {
    func testLineShowsRateAndTimeLeft() {
        XCTAssertEqual(ProgressBar.line(label: "calibrating", done: 30, total: 300, seconds: 10, width: 10),
                       "\rcalibrating  30/300 [#---------]   3.0 samples/s  1:30 left")
    }

    func testLineWhenDoneShowsTheTotalTime() {
        XCTAssertEqual(ProgressBar.line(label: "calibrating", done: 4, total: 4, seconds: 3725, width: 4),
                       "\rcalibrating 4/4 [####]   0.0 samples/s  1:02:05 total")
    }

    func testNoRateYetShowsNoTimeLeft() {
        XCTAssertEqual(ProgressBar.line(label: "x", done: 0, total: 2, seconds: 0, width: 2), "\rx 0/2 [--]   0.0 samples/s")
    }
}
