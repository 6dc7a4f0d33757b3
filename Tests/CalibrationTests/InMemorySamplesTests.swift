import OVIR
import XCTest
@testable import Calibration

final class InMemorySamplesTests: XCTestCase {
    func testEachSampleByIndex() throws {
        let source = InMemorySamples([["x": .f32([1])], ["x": .f32([2])]])
        XCTAssertEqual(try source.sample(at: 0), ["x": .f32([1])])
        XCTAssertEqual(try source.sample(at: 1), ["x": .f32([2])])
        XCTAssertEqual(source.count, 2)
    }
}
