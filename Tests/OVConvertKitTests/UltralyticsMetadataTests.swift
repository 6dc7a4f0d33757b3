import XCTest
@testable import OVConvertKit

/// Ultralytics export metadata: read from ONNX `metadata_props`, edited, written as `metadata.yaml`.
final class UltralyticsMetadataTests: XCTestCase {
    /// What an Ultralytics ONNX export carries (shortened), every value `str()`-ed.
    private let exportProps: [(key: String, value: String)] = [
        ("description", "Ultralytics YOLO11n model"),
        ("author", "Ultralytics"),
        ("date", "2025-01-01T00:00:00"),
        ("version", "8.3.59"),
        ("stride", "32"),
        ("task", "detect"),
        ("batch", "1"),
        ("imgsz", "[640, 640]"),
        ("names", "{0: 'person', 1: 'traffic light', 2: \"it's\"}"),
        ("args", "{'batch': 1, 'half': False, 'nms': False, 'conf': None, 'iou': 0.7}"),
        ("channels", "3"),
    ]

    func testAnExportsMetadataParsesItsStructuredKeysOnly() throws {
        let meta = try XCTUnwrap(UltralyticsMetadata(metadata: exportProps))
        XCTAssertEqual(meta.entries.map(\.key), exportProps.map(\.key), "the order is kept")
        // text keys stay text, even when they look like numbers or dates
        XCTAssertEqual(meta["version"], .string("8.3.59"))
        XCTAssertEqual(meta["date"], .string("2025-01-01T00:00:00"))
        XCTAssertEqual(meta["task"], .string("detect"))
        // structured keys are literals
        XCTAssertEqual(meta["stride"], .int(32))
        XCTAssertEqual(meta["imgsz"], .list([.int(640), .int(640)]))
        XCTAssertEqual(meta["args"]?["half"], .bool(false))
        XCTAssertEqual(meta["channels"], .int(3))
        XCTAssertEqual(meta.task, "detect")
        XCTAssertEqual(meta.names?.map(\.index), [0, 1, 2])
        XCTAssertEqual(meta.names?.map(\.name), ["person", "traffic light", "it's"])
        XCTAssertFalse(meta.isEndToEnd)
        XCTAssertNil(meta["missing"])
    }

    /// Names come back in index order whatever order the dict was written in; a list is numbered from 0.
    func testNamesInIndexOrder() throws {
        let meta = try XCTUnwrap(UltralyticsMetadata(metadata: [("stride", "32"), ("names", "{0: 'a', 10: 'k', 1: 'b'}")]))
        XCTAssertEqual(meta.names?.map(\.index), [0, 1, 10])
        XCTAssertEqual(meta.names?.map(\.name), ["a", "b", "k"])
        let list = try XCTUnwrap(UltralyticsMetadata(metadata: [("task", "detect"), ("names", "['cat', 'dog']")]))
        XCTAssertEqual(list.names?.map(\.index), [0, 1])
        XCTAssertEqual(list.names?.map(\.name), ["cat", "dog"])
    }

    /// Metadata without parseable names, or with names but neither stride nor task, is not an Ultralytics export's.
    func testOtherMetadataIsNotUltralytics() {
        XCTAssertNil(UltralyticsMetadata(metadata: []))
        XCTAssertNil(UltralyticsMetadata(metadata: [("author", "someone"), ("license", "MIT")]))
        XCTAssertNil(UltralyticsMetadata(metadata: [("stride", "32"), ("task", "detect")]), "no names")
        XCTAssertNil(UltralyticsMetadata(metadata: [("names", "{0: 'a'}")]), "names without stride or task")
        XCTAssertNil(UltralyticsMetadata(metadata: [("stride", "32"), ("names", "person, car")]), "names not a literal")
        XCTAssertNil(UltralyticsMetadata(metadata: [("stride", "32"), ("names", "{'a': 'person'}")]), "a key that is no index")
        XCTAssertNil(UltralyticsMetadata(metadata: [("stride", "32"), ("names", "{0: 1}")]), "a name that is no string")
        XCTAssertNil(UltralyticsMetadata(metadata: [("stride", "32"), ("names", "'person'")]), "a lone string")
    }

    /// A structured value that does not parse stays the text it was.
    func testAnUnparseableStructuredValueStaysText() throws {
        let meta = try XCTUnwrap(UltralyticsMetadata(metadata: [("stride", "32"), ("names", "{0: 'a'}"), ("imgsz", "[640, 640")]))
        XCTAssertEqual(meta["imgsz"], .string("[640, 640"))
    }

    /// `end2end: True`, or `nms: True` in args, means the head already ends in final detections.
    func testEndToEnd() throws {
        func meta(_ extra: [(key: String, value: String)]) -> UltralyticsMetadata? {
            UltralyticsMetadata(metadata: [("task", "detect"), ("names", "{0: 'a'}")] + extra)
        }
        XCTAssertEqual(meta([("end2end", "True")])?.isEndToEnd, true)
        XCTAssertEqual(meta([("args", "{'batch': 1, 'nms': True}")])?.isEndToEnd, true)
        XCTAssertEqual(meta([("end2end", "False"), ("args", "{'nms': False}")])?.isEndToEnd, false)
        XCTAssertEqual(meta([])?.isEndToEnd, false)
    }

    /// New keys go where an Ultralytics export has them, among the keys present; present keys change in place;
    /// keys Ultralytics does not write go last.
    func testSetInsertsInUltralyticsKeyOrder() {
        var meta = UltralyticsMetadata(entries: [("description", .string("d")), ("task", .string("detect")), ("names", .dict([]))])
        meta.set("stride", .int(32))  // after description, before task
        XCTAssertEqual(meta.entries.map(\.key), ["description", "stride", "task", "names"])
        meta.set("author", .string("me"))  // before stride
        meta.set("end2end", .bool(true))  // last of the known keys
        meta.set("custom", .int(1))  // unknown: at the end
        meta.set("channels", .int(3))  // before end2end, after names
        meta.set("date", .string("today"))  // after author, before stride
        meta.set("task", .string("segment"))  // in place
        XCTAssertEqual(meta.entries.map(\.key), ["description", "author", "date", "stride", "task", "names", "channels", "end2end", "custom"])
        XCTAssertEqual(meta["task"], .string("segment"))
        XCTAssertEqual(meta.task, "segment")
        XCTAssertEqual(meta.entries.count, 9, "no key twice")
    }

    /// The text of metadata.yaml: keys in entry order; strings single-quoted (so '8.3.59' and the date stay
    /// strings, and a quote doubles), numbers, booleans and null plain; names as a mapping of index to name;
    /// lists as block sequences.
    func testYAMLText() throws {
        var meta = try XCTUnwrap(UltralyticsMetadata(metadata: exportProps))
        meta.set("end2end", .bool(true))
        XCTAssertEqual(try meta.yaml(), """
            description: 'Ultralytics YOLO11n model'
            author: 'Ultralytics'
            date: '2025-01-01T00:00:00'
            version: '8.3.59'
            stride: 32
            task: 'detect'
            batch: 1
            imgsz:
            - 640
            - 640
            names:
              0: 'person'
              1: 'traffic light'
              2: 'it''s'
            args:
              batch: 1
              half: false
              nms: false
              conf: null
              iou: 0.7
            channels: 3
            end2end: true

            """)
    }

    /// Floats keep a decimal point, so PyYAML (YAML 1.1) reads `1.0e-05` back as a float, not the string `1e-05`.
    func testYAMLFloatsReadBackAsFloats() throws {
        let meta = UltralyticsMetadata(entries: [("args", .dict([(.string("lr"), .float(1e-5)), (.string("iou"), .float(0.7)),
                                                                 (.string("big"), .float(1e20))]))])
        XCTAssertEqual(try meta.yaml(), """
            args:
              lr: 1.0e-05
              iou: 0.7
              big: 1.0e+20

            """)
    }

    /// Mapping keys that YAML would read as something else than the same string are quoted.
    func testYAMLQuotesKeysThatAreNotPlainIdentifiers() throws {
        let meta = UltralyticsMetadata(entries: [("args", .dict([(.string("yes"), .int(1)), (.string("a b"), .int(2)),
                                                                 (.string("opset_17"), .int(3)), (.string("1x"), .int(4))]))])
        XCTAssertEqual(try meta.yaml(), """
            args:
              'yes': 1
              'a b': 2
              opset_17: 3
              '1x': 4

            """)
    }
}
