import Foundation
import SwiftProtobuf
import OVIR
@testable import ONNXFrontend

/// Builds small ONNX models for tests and writes them into a fresh temporary folder.
struct ModelBuilder {
    var graph = Onnx_GraphProto()
    var opset = 17
    /// Other domains' opsets (`com.microsoft`: 1, ...).
    var domains: [String: Int] = [:]

    init() { graph.name = "test" }

    /// An f32 initializer; `raw` stores it in raw_data (appended as a wire field, since the lean schema reserves it).
    mutating func initializer(_ name: String, _ values: [Float], dims: [Int], raw: Bool = true) {
        graph.initializer.append(Self.tensor(name, values, dims: dims, raw: raw))
    }

    static func tensor(_ name: String, _ values: [Float], dims: [Int], raw: Bool) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = 1
        t.dims = dims.map(Int64.init)
        guard raw else {
            t.floatData = values
            return t
        }
        var bytes = try! t.serializedBytes() as [UInt8]
        let payload = values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) }
        bytes += [0x4A] + varint(payload.count) + payload  // field 9 (raw_data), wire type 2
        return try! Onnx_TensorProto(serializedBytes: bytes)
    }

    static func varint(_ n: Int) -> [UInt8] {
        var v = UInt64(n), out: [UInt8] = []
        repeat {
            let b = UInt8(v & 0x7f)
            v >>= 7
            out.append(v == 0 ? b : b | 0x80)
        } while v != 0
        return out
    }

    mutating func input(_ name: String, _ dims: [Int], elemType: Int32 = 1) {
        graph.input.append(Self.valueInfo(name, dims, elemType))
    }

    mutating func output(_ name: String, _ dims: [Int] = [], elemType: Int32 = 1) {
        graph.output.append(Self.valueInfo(name, dims, elemType))
    }

    static func valueInfo(_ name: String, _ dims: [Int], _ elemType: Int32) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = elemType
        t.shape.dim = dims.map { d in
            var x = Onnx_TensorShapeProto.Dimension()
            if d < 0 { x.dimParam = "d\(-d)" } else { x.dimValue = Int64(d) }  // a negative dim is a symbolic one
            return x
        }
        v.type.tensorType = t
        return v
    }

    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "", domain: String = "",
                       attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        n.domain = domain
        n.attribute = attributes
        graph.node.append(n)
        return n
    }

    static func attribute(_ name: String, int value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    static func attribute(_ name: String, string value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(value.utf8)
        return a
    }

    static func attribute(_ name: String, ints values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    static func attribute(_ name: String, float value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = value
        return a
    }

    /// Imports the model and returns its graph.
    func importGraph() throws -> Graph {
        try ONNXImporter().load(path: write()).graph
    }

    /// The error text of importing the model, or nil when it imports.
    func importError() -> String? {
        do {
            _ = try ONNXImporter().load(path: write())
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// An initializer of integers (i64) or booleans.
    mutating func initializer(_ name: String, int64 values: [Int64], dims: [Int], dataType: Int32 = 7) {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = dataType
        t.dims = dims.map(Int64.init)
        if dataType == 7 { t.int64Data = values } else { t.int32Data = values.map(Int32.init) }
        graph.initializer.append(t)
    }

    func serialized() -> [UInt8] {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var o = Onnx_OperatorSetIdProto()
        o.version = Int64(opset)
        m.opsetImport = [o] + domains.sorted { $0.key < $1.key }.map { domain, version in
            var d = Onnx_OperatorSetIdProto()
            d.domain = domain
            d.version = Int64(version)
            return d
        }
        m.graph = graph
        return try! m.serializedBytes()
    }

    /// Writes the model as `model.onnx` in a new temporary folder and returns its path.
    func write(in folder: URL = TempFolder.make()) -> String {
        let url = folder.appendingPathComponent("model.onnx")
        try! Data(serialized()).write(to: url)
        return url.path
    }
}

enum TempFolder {
    static func make() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ovconvert-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
