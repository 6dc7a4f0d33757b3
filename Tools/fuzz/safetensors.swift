// libFuzzer target: the safetensors reader (header length, strict JSON, entries, dtypes, offsets tiling the data)
// and every tensor it hands out, read to its last byte. A thrown error is a clean refusal.
import Foundation
import TorchScriptFrontend

private let weightsPath: String = {
    let dir = NSTemporaryDirectory() + "/ovconvert-fuzz-safetensors-\(getpid())"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/model.safetensors"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FileManager.default.createFile(atPath: weightsPath, contents: Data(bytes: data, count: size))
    guard let file = try? SafetensorsFile(path: weightsPath) else { return 0 }
    for key in file.entries.keys.sorted() {
        _ = try? file.tensor(key)?.bytes
    }
    return 0
}
