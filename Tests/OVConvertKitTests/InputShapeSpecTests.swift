import XCTest
import OVIR
@testable import OVConvertKit

final class InputShapeSpecTests: XCTestCase {
    private func entries(_ text: String) throws -> [InputShapeSpec.Entry] { try InputShapeSpec.parseEntries(text) }

    private func assertMalformed(input: [String] = [], batch: Int? = nil, imgsz: String? = nil, mentions phrase: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try InputShapeSpec(input: input, batch: batch, imgsz: imgsz), file: file, line: line) { error in
            let f = error as? InputShapeSpec.Failure
            XCTAssertEqual(f?.kind, .malformed, "\(error)", file: file, line: line)
            XCTAssertTrue(f?.message.contains(phrase) == true, "\(error)", file: file, line: line)
        }
    }

    func testEveryDimFormParses() throws {
        let e = try entries("images[1,3,640,640],mask[?,-1,1..8,..640,2..]")
        XCTAssertEqual(e.map(\.name), ["images", "mask"])
        XCTAssertEqual(e[0].shape, .fixed([1, 3, 640, 640]))
        XCTAssertEqual(e[1].shape, .ranked([.dynamic, .dynamic, Dim(lower: 1, upper: 8), Dim(lower: 0, upper: 640), Dim(lower: 2, upper: nil)]))
        XCTAssertEqual(e[1].text, "mask[?,-1,1..8,..640,2..]")
    }

    func testFrozenValues() throws {
        let e = try entries("sr->16000,mask[2]->[true, false],scale->[0.5],x[1,2]->[1 2]")
        XCTAssertEqual(e.map(\.name), ["sr", "mask", "scale", "x"])
        XCTAssertEqual(e.map(\.value), [[16000], [1, 0], [0.5], [1, 2]])
        XCTAssertEqual(e[1].shape, .fixed([2]))
        XCTAssertEqual(e[0].text, "sr->16000")
        let spec = try InputShapeSpec(input: ["sr->16000,v->[1,2,3],m[1,2]->[4,5]"])
        let frozen = try spec.frozen([("v", .dynamic(rank: 1)), ("sr", .scalar), ("m", .dynamic(rank: 2))])
        XCTAssertEqual(frozen.map(\.index), [1, 0, 2])
        XCTAssertEqual(frozen.map(\.dims), [[], [3], [1, 2]])
        XCTAssertEqual(try spec.resolve([("v", .dynamic(rank: 1)), ("sr", .scalar), ("m", .dynamic(rank: 2))]), [nil, nil, nil],
                       "a frozen input gets no shape of its own")
        for (text, phrase) in [("[2]->[1,2]", "must be named"), ("a->", "no value"), ("a->x", "'x' is not a number"),
                               ("a[2]->[1]", "holds 2 values, 1 are given"), ("a[?]->[1]", "must be static")] {
            XCTAssertThrowsError(try entries(text), text) { error in XCTAssertTrue("\(error)".contains(phrase), "\(text): \(error)") }
        }
        XCTAssertThrowsError(try InputShapeSpec(input: ["m->[1,2,3]"]).frozen([("m", .dynamic(rank: 2))])) { error in
            XCTAssertTrue("\(error)".contains("give the frozen value's shape"), "\(error)")
        }
    }

    func testUnnamedScalarBareNameAndSpaces() throws {
        let e = try entries(" [1, 3] , [] ,ids")
        XCTAssertEqual(e.map(\.name), [nil, nil, "ids"])
        XCTAssertEqual(e.map(\.shape), [.fixed([1, 3]), .scalar, nil])
    }

    func testRepeatedInputOptionsConcatenate() throws {
        let spec = try InputShapeSpec(input: ["a[1]", "b[2],c[3]"])
        XCTAssertEqual(spec.entries.map(\.name), ["a", "b", "c"])
    }

    func testImageSize() throws {
        XCTAssertEqual(try InputShapeSpec.parseImageSize("640"), .init(height: 640, width: 640))
        XCTAssertEqual(try InputShapeSpec.parseImageSize("480,640"), .init(height: 480, width: 640))
        for bad in ["", "0", "-3", "640x480", "1,2,3", "a", "480,"] {
            assertMalformed(imgsz: bad, mentions: "--imgsz '\(bad)'")
        }
    }

    func testMalformedEntriesAreNamed() {
        let cases: [(String, String)] = [
            ("images[1,3,,640]", "entry 'images[1,3,,640]': dim 2 ''"),
            ("images[1,3,abc,640]", "dim 2 'abc'"),
            ("images[1,-2]", "dim 1 '-2'"),
            ("images[8..1]", "dim 0 '8..1'"),
            ("images[1,3", "'[' without ']'"),
            ("images]", "']' without '['"),
            ("images[1]{f32}", "after ']'"),
            ("images[[1]]", "nested brackets"),
            ("images[...]", "dynamic rank"),
            ("a[1],,b[2]", "empty entry"),
            ("a[1],", "empty entry"),
        ]
        for (text, phrase) in cases { assertMalformed(input: [text], mentions: phrase) }
    }

    func testBadCombinations() {
        assertMalformed(input: ["a[1],[2]"], mentions: "all name their input or none")
        assertMalformed(input: ["a[1]", "a[2]"], mentions: "'a' is given more than once")
        assertMalformed(input: ["a[1]"], batch: 1, mentions: "cannot be combined")
        assertMalformed(batch: 0, mentions: "at least 1")
    }

    private let inputs: [(name: String, shape: Shape)] = [
        ("images", .ranked([.dynamic, .fixed(3), .dynamic, .dynamic])),
        ("ids", .ranked([.dynamic, Dim(lower: 1, upper: 512)])),
    ]

    private func assertMismatch(_ spec: InputShapeSpec, mentions phrases: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try spec.resolve(inputs), file: file, line: line) { error in
            let f = error as? InputShapeSpec.Failure
            XCTAssertEqual(f?.kind, .mismatch, "\(error)", file: file, line: line)
            for p in phrases { XCTAssertTrue(f?.message.contains(p) == true, "\(error)", file: file, line: line) }
        }
    }

    func testNamedAndUnnamedEntriesResolveInInputOrder() throws {
        let named = try InputShapeSpec(input: ["ids[1,128]"]).resolve(inputs)
        XCTAssertEqual(named, [nil, .fixed([1, 128])])
        let unnamed = try InputShapeSpec(input: ["[1,3,64,64],[2,..256]"]).resolve(inputs)
        XCTAssertEqual(unnamed, [.fixed([1, 3, 64, 64]), .ranked([.fixed(2), Dim(lower: 0, upper: 256)])])
        // An entry equal to the model's shape changes nothing.
        XCTAssertEqual(try InputShapeSpec(input: ["images[?,3,?,?]"]).resolve(inputs), [nil, nil])
    }

    func testBatchAndImageSize() throws {
        XCTAssertEqual(try InputShapeSpec(batch: 4).resolve(inputs),
                       [.ranked([.fixed(4), .fixed(3), .dynamic, .dynamic]), .ranked([.fixed(4), Dim(lower: 1, upper: 512)])])
        XCTAssertEqual(try InputShapeSpec(batch: 1, imgsz: "480,640").resolve(inputs),
                       [.fixed([1, 3, 480, 640]), .ranked([.fixed(1), Dim(lower: 1, upper: 512)])])
        XCTAssertEqual(try InputShapeSpec(imgsz: "320").resolve(inputs), [.ranked([.dynamic, .fixed(3), .fixed(320), .fixed(320)]), nil])
    }

    func testShapesTheModelContradicts() throws {
        assertMismatch(try InputShapeSpec(input: ["foo[1]"]), mentions: ["no input 'foo'", "images [?,3,?,?], ids [?,1..512]"])
        assertMismatch(try InputShapeSpec(input: ["[1],[2],[3]"]), mentions: ["3 unnamed entries", "2 inputs"])
        assertMismatch(try InputShapeSpec(input: ["images[1,3,64]"]), mentions: ["input 'images'", "rank 4, not 3"])
        assertMismatch(try InputShapeSpec(input: ["images[1,4,64,64]"]), mentions: ["input 'images'", "fixes dim 1 at 3"])
        assertMismatch(try InputShapeSpec(input: ["images[1,?,64,64]"]), mentions: ["fixes dim 1 at 3"])
        assertMismatch(try InputShapeSpec(input: ["ids[1,1024]"]), mentions: ["input 'ids'", "dim 1 1024 does not overlap the model's 1..512"])
    }

    func testBatchNeedsABatchDimAndImageSizeOneImage() throws {
        let scalar: [(name: String, shape: Shape)] = [("images", .fixed([1, 3, 8, 8])), ("scale", .scalar)]
        XCTAssertThrowsError(try InputShapeSpec(batch: 1).resolve(scalar)) {
            XCTAssertTrue("\($0)".contains("input 'scale'") && "\($0)".contains("rank 0"), "\($0)")
        }
        let two: [(name: String, shape: Shape)] = [("left", .dynamic(rank: 4)), ("right", .dynamic(rank: 4))]
        XCTAssertThrowsError(try InputShapeSpec(imgsz: "64").resolve(two)) {
            XCTAssertTrue("\($0)".contains("'left' and 'right'"), "\($0)")
        }
        XCTAssertThrowsError(try InputShapeSpec(imgsz: "64").resolve([("ids", .dynamic(rank: 2))])) {
            XCTAssertTrue("\($0)".contains("none of the model's inputs is 4-D") && "\($0)".contains("ids [?,?]"), "\($0)")
        }
    }
}
