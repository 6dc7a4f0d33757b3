import OVIR
import XCTest
@testable import Calibration

final class InMemorySamplesTests: XCTestCase {
    func testIteratorYieldsEachSampleInOrderThenNil() throws {
        let source = InMemorySamples([["x": .f32([1])], ["x": .f32([2])]])
        var samples = source.makeSampleIterator()
        XCTAssertEqual(try samples.next(), ["x": .f32([1])])
        XCTAssertEqual(samples.index, 1)
        XCTAssertEqual(try samples.next(), ["x": .f32([2])])
        XCTAssertNil(try samples.next())
        XCTAssertEqual(source.count, 2)
    }
}
