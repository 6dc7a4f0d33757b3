// libFuzzer target: the OpenVINO IR reader (XML through libxml2, then the graph builder with its BIN) as
// `ovconvert model.xml` reads it. The input is `[u32 little-endian n][n bytes of XML][the BIN]`; an n past the
// end takes the rest as XML and leaves the BIN empty. A thrown error is a clean refusal.
import Foundation
import OpenVINOIR

private let folder: String = {
    let dir = NSTemporaryDirectory() + "/ovconvert-fuzz-ir-\(getpid())"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIR(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size >= 4 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let declared = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
    let xmlEnd = 4 + min(declared, size - 4)
    FileManager.default.createFile(atPath: folder + "/model.xml", contents: Data(bytes[4..<xmlEnd]))
    FileManager.default.createFile(atPath: folder + "/model.bin", contents: Data(bytes[xmlEnd...]))
    _ = try? IRReader().read(xmlURL: URL(fileURLWithPath: folder + "/model.xml"))
    return 0
}
