// libFuzzer target: the Ultralytics dataset YAML reader (`DatasetYAML(text:file:)`: Yams, then `path` and the splits,
// each a name or a list of names) and the choice of split, as `--data data.yaml` reads the file before listing the
// folders it names. The folders are not listed: a mutated `path: /` would walk the whole file system. A thrown error
// is a clean refusal.
import Calibration

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let yaml = try? DatasetYAML(text: text, file: "/fuzz/data.yaml") else { return 0 }
    _ = try? yaml.chooseSplit(nil)
    _ = try? yaml.chooseSplit("train")
    return 0
}
