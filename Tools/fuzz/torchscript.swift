// libFuzzer target: a TorchScript graph dump as `ovconvert NAME.ts.txt` reads it: the dump parser, the weights
// checks and, on a parse, the translation of every node into OpenVINO ops with type inference. The weights are one
// fixed safetensors file, `$OVCONVERT_FUZZ_WEIGHTS` (Tools/fuzz/run makes it from the tensors of every
// testdata/torchscript dump, without `graph_sha256`), or none when it is unset. A thrown error is a clean refusal.
import Foundation
import TorchScriptFrontend

private let dumpPath: String = {
    let dir = NSTemporaryDirectory() + "/ovconvert-fuzz-torchscript-\(getpid())"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/model.ts.txt"
}()
private let weightsPath = ProcessInfo.processInfo.environment["OVCONVERT_FUZZ_WEIGHTS"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTorchScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FileManager.default.createFile(atPath: dumpPath, contents: Data(bytes: data, count: size))
    _ = try? TorchScriptDump(path: dumpPath, weightsPath: weightsPath).translate()
    return 0
}
