import Foundation
import OVIR

/// Reads one sample from an array file: an `.npy` feeds the model's only input, an `.npz` holds one array per
/// input, named after it (or one of its other names). Each array must have the input's element type and a shape
/// that fits the input's.
struct ArraySampleReader: Sendable {
    let inputs: [CalibrationInput]

    func read(path: String) throws -> [String: Tensor] {
        if path.lowercased().hasSuffix(".npz") { return try readNPZ(path) }
        guard inputs.count == 1, let input = inputs.first else {
            throw CalibrationError(.mismatch, "\(path): an .npy array feeds a model with one input; this one has \(inputs.count) "
                + "(\(inputs.map(\.described).joined(separator: ", "))): give .npz files holding one array per input")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CalibrationError(.unreadable, "\(path): cannot be read")
        }
        let tensor: Tensor
        do {
            tensor = try NPYFormat.decode([UInt8](data), name: path)
        } catch let e as NPZError {
            throw CalibrationError(.unreadable, e.message)
        }
        try check(tensor, array: "the array", feeds: input, path: path)
        return [input.name: tensor]
    }

    private func readNPZ(_ path: String) throws -> [String: Tensor] {
        let archive: NPZArchive
        do {
            archive = try NPZArchive(contentsOf: path)
        } catch let e as NPZError {
            throw CalibrationError(.unreadable, e.message)
        }
        let held = archive.arrays.map { "'\($0.name)'" }.joined(separator: ", ")
        var sample: [String: Tensor] = [:]
        var used = Set<String>()
        for input in inputs {
            let matches = archive.arrays.filter { $0.name == input.name || input.otherNames.contains($0.name) }
            guard let array = matches.first else {
                throw CalibrationError(.mismatch, "\(path): has no array for input \(input.described); it holds \(held.isEmpty ? "none" : held)")
            }
            guard matches.count == 1 else {
                throw CalibrationError(.mismatch, "\(path): arrays \(matches.map { "'\($0.name)'" }.joined(separator: " and ")) both name input '\(input.name)'")
            }
            try check(array.tensor, array: "array '\(array.name)'", feeds: input, path: path)
            used.insert(array.name)
            sample[input.name] = array.tensor
        }
        if let extra = archive.arrays.first(where: { !used.contains($0.name) }) {
            throw CalibrationError(.mismatch, "\(path): array '\(extra.name)' matches no model input; the inputs are "
                + inputs.map(\.described).joined(separator: ", "))
        }
        return sample
    }

    private func check(_ tensor: Tensor, array: String, feeds input: CalibrationInput, path: String) throws {
        let fits = tensor.elementType == input.type.elementType && (input.type.shape.dims.map { dims in
            dims.count == tensor.dims.count && zip(dims, tensor.dims).allSatisfy { $0.isCompatible(with: .fixed($1)) }
        } ?? true)
        guard fits else {
            throw CalibrationError(.mismatch, "\(path): \(array) is \(tensor.elementType) [\(tensor.dims.map(String.init).joined(separator: ","))]; "
                + "input '\(input.name)' takes \(input.type.elementType) [\(input.type.shape)]")
        }
    }
}
