// libFuzzer target: the `.npz` reader (ZIP and ZIP64 directories, stored and deflated entries, CRCs, then each
// `.npy`) as `--verify-inputs in.npz` and `ovconvert run` open a file. A thrown error is a clean refusal.
import Foundation
import Calibration

private let archivePath: String = {
    let dir = NSTemporaryDirectory() + "/ovconvert-fuzz-npz-\(getpid())"
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/arrays.npz"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FileManager.default.createFile(atPath: archivePath, contents: Data(bytes: data, count: size))
    _ = try? NPZArchive(contentsOf: archivePath)
    return 0
}
