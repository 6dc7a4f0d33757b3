import XCTest
@testable import Passes

final class QuantizationOptionsTests: XCTestCase {
    /// A name covers itself and what is named under it at a `/`, not names that merely start alike.
    func testIgnoredNameCoversNodesNamedUnderIt() {
        let options = QuantizationOptions(ignoredNames: ["/m/Conv", "/model.22"])
        XCTAssertTrue(options.ignores(name: "/m/Conv"))
        XCTAssertTrue(options.ignores(name: "/m/Conv/conv"))
        XCTAssertTrue(options.ignores(name: "/model.22/cv2.0/cv2.0.2/Conv/conv"))
        XCTAssertFalse(options.ignores(name: "/m/Conv_1"))
        XCTAssertFalse(options.ignores(name: "/m/Conv2/conv"))
        XCTAssertFalse(options.ignores(name: "/model.2/cv1/conv"))
        XCTAssertFalse(options.ignores(name: "/m"))
        XCTAssertFalse(QuantizationOptions().ignores(name: "/m/Conv"))
    }
}
