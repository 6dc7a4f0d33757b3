// libFuzzer target: the ONNX import as `ovconvert` runs it (protobuf decode, external-data checks, translation,
// type and shape inference) on the input bytes written as a model file. A thrown error is a clean refusal.
import Foundation
import ONNXFrontend

/// A folder of this process's own, so external data named by a model resolves next to nothing but the model.
private let modelPath: String = {
    let dir = NSTemporaryDirectory() + "/ovconvert-fuzz-onnx-\(getpid())"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/model.onnx"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FileManager.default.createFile(atPath: modelPath, contents: Data(bytes: data, count: size))
    // --allow-newer-opset, so a mutated opset number does not stop the import before translation.
    _ = try? ONNXImporter(allowNewerOpset: true).load(path: modelPath)
    return 0
}
