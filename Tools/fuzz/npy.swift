// libFuzzer target: the `.npy` array decoder (magic, version, Python-literal header, dtype, shape, Fortran order)
// that `--verify-inputs` and `ovconvert run` read arrays with. A thrown error is a clean refusal.
import Calibration

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    _ = try? NPYFormat.decode(Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz.npy")
    return 0
}
