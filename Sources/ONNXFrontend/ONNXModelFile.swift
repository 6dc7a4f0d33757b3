import Foundation
import OVIR
import SwiftProtobuf

/// An ONNX model file, memory-mapped and decoded with the lean schema (weights stay in the mapping).
final class ONNXModelFile {
    let path: String
    let file: MappedFile
    let model: Onnx_ModelProto
    /// Where each TensorProto's raw_data lies in `file`, by tensor path (see ONNXWireScanner).
    let rawData: [[Int]: Range<Int>]

    init(path: String) throws {
        self.path = path
        func fail(_ why: String) -> ONNXFrontendError { ONNXFrontendError(.badFile, "\(path): \(why)") }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw fail("no such file") }
        if isDir.boolValue { throw fail("is a directory, not an ONNX model file") }
        do { file = try MappedFile(path: path) } catch let e as MappedFileError { throw fail("cannot be read: \(e.reason)") }
        guard file.count > 0 else { throw fail("the file is empty") }

        let bytes = file.bytes
        do {
            rawData = try ONNXWireScanner.scan(bytes)
        } catch {
            throw fail("not a valid ONNX model (\(error))")
        }
        var options = BinaryDecodingOptions()
        options.discardUnknownFields = true
        let view = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), count: bytes.count, deallocator: .none)
        do {
            model = try Onnx_ModelProto(serializedBytes: view, options: options)
        } catch {
            throw fail("not a valid ONNX model (protobuf: \(error))")
        }
        guard model.hasGraph, model.irVersion > 0 else {
            throw fail("not an ONNX model (no \(model.hasGraph ? "ir_version" : "graph"))")
        }
    }

    /// The opset version the model imports for each domain ("" is normalized to "ai.onnx").
    var opsets: [String: Int] {
        var out: [String: Int] = [:]
        for o in model.opsetImport { out[Self.domain(o.domain)] = Int(o.version) }
        return out
    }

    static func domain(_ d: String) -> String { d.isEmpty ? "ai.onnx" : d }
}
