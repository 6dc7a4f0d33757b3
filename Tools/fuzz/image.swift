// libFuzzer target: the image decoder calibration data goes through (JPEG through libjpeg-turbo, PNG through libpng,
// told apart by their signatures; errors returned through the C shims' setjmp/longjmp, never exit() or abort()), then
// the Ultralytics preprocessing of what it decodes (letterbox with the bilinear resize, to a small 24x32 input so
// each execution stays fast). A thrown error is a clean refusal.
import Calibration

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let image = try? ImageDecoder().decode(Array(UnsafeBufferPointer(start: data, count: size)), path: "fuzz") else {
        return 0
    }
    _ = Preprocessing.ultralytics.tensor(from: image, width: 32, height: 24)
    return 0
}
