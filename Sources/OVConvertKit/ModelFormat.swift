import Foundation
import ONNXFrontend
import OpenVINOIR
import OVIR
import TorchScriptFrontend

/// A source format ovconvert reads: how a file of it is recognized by its content, and how it is imported.
/// Adding a frontend is adding an entry to `all`.
struct ModelFormat: Sendable {
    /// As `conversion_parameters` records it.
    let name: String
    /// Whether a file starting with these bytes is of this format.
    let recognizes: @Sendable (_ head: [UInt8]) -> Bool
    /// Imports the file (with the options a frontend reads); failures are `ConversionFailure`s naming the file.
    let load: @Sendable (_ path: String, _ options: ConversionOptions) throws -> ImportedModel

    /// Tried in order; ONNX last, since a protobuf has no signature and takes whatever the others do not.
    static let all: [ModelFormat] = [.openVINOIR, .torchScript, .onnx]

    /// The format of the file at `path`, judged by its first bytes.
    static func of(path: String) throws -> ModelFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw ConversionFailure(.badModelFile, "\(path): " + (!exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be opened"))
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 256)) ?? Data())
        return all.first { $0.recognizes(head) }!
    }

    /// ONNX protobuf (`ModelProto`).
    static let onnx = ModelFormat(name: "onnx", recognizes: { _ in true }, load: { path, options in
        do {
            return try ONNXImporter(allowNewerOpset: options.allowNewerOpset).load(path: path)
        } catch let e as ONNXFrontendError {
            let reason: ConversionFailure.Reason = switch e.kind {
            case .badFile, .badExternalData: .badModelFile
            case .unsupported: .unsupportedOperators
            case .badNode: .badNode
            }
            throw ConversionFailure(reason, e.message)
        } catch {
            throw ConversionFailure(.badNode, "\(path): \(error)")
        }
    })

    /// A TorchScript graph dump (`NAME.ts.txt`, the printed graph of a traced module) with its safetensors weights.
    /// `--input` shapes are applied before translation, so shape chains fold with the shapes the user asked for.
    static let torchScript = ModelFormat(name: "torchscript", recognizes: TorchScriptDump.recognizes, load: { path, options in
        do {
            let dump = try TorchScriptDump(path: path, weightsPath: options.weightsPath)
            let spec = try options.inputShapeSpec()
            var types = dump.inputs.map(\.type)
            if !spec.isEmpty {
                let shapes = try spec.resolve(dump.inputs.map { ($0.name, $0.type.shape) }, staticDimsAreExamples: true)
                for (k, shape) in shapes.enumerated() { if let shape { types[k] = TensorType(types[k].elementType, shape) } }
            }
            return try dump.translate(inputTypes: types)
        } catch let e as TorchScriptFrontendError {
            let reason: ConversionFailure.Reason = switch e.kind {
            case .syntax: .badModelFile
            case .badWeights: .badWeights
            case .unsupported: .unsupportedOperators
            case .badNode: .badNode
            }
            throw ConversionFailure(reason, e.message)
        } catch let e as InputShapeSpec.Failure {
            throw ConversionFailure(e.kind == .malformed ? .badOptions : .inputShape, "\(path): \(e.message)")
        } catch let e as GraphError {
            throw ConversionFailure(.badNode, "\(path): \(e)")
        } catch let e as ConversionFailure {
            throw e
        } catch {
            throw ConversionFailure(.badNode, "\(path): \(error)")
        }
    })

    /// OpenVINO IR: an XML document (its `.bin` beside it), recognized by its leading `<`.
    static let openVINOIR = ModelFormat(name: "openvino_ir", recognizes: { isXML($0) }, load: { path, _ in
        let graph: Graph
        do {
            graph = try IRReader().read(xmlURL: URL(fileURLWithPath: path))
        } catch let error as IRReadError {
            throw ConversionFailure(.badModelFile, "\(error)")  // it names the file already
        } catch {
            throw ConversionFailure(.badModelFile, "\(path): \(error)")
        }
        // Every tensor name of the IR maps to itself, so the new mapping file relates the new IR to the old.
        var ports: [String: Int] = [:]
        for node in graph.nodes {
            for (i, names) in node.tensorNames.enumerated() { for n in names { ports[n] = i } }
        }
        let metadata = (graph.rtInfo["framework", "metadata"]?.entries ?? []).compactMap { entry -> (key: String, value: String)? in
            if case .value(let v) = entry.value { return (entry.key, v) }
            return nil
        }
        let producer: String
        if case .value(let v)? = graph.rtInfo["ovconvert", "version"] {
            producer = "ovconvert \(v)"
        } else if case .value(let v)? = graph.rtInfo["Runtime_version"] {
            producer = "OpenVINO \(v)"
        } else {
            producer = ""
        }
        return ImportedModel(format: "openvino_ir", graph: graph, frameworkPorts: ports, metadata: metadata,
                             opsets: [:], producer: producer, warnings: [])
    })

    /// An XML document: optional UTF-8 byte order mark and whitespace, then `<`.
    private static func isXML(_ head: [UInt8]) -> Bool {
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
    }
}
