import Calibration
import OVIR

/// Input tensors for a graph's Parameters taken from an `.npz` archive, checked against the graph: every
/// input has exactly one array (named after the input or one of its tensor names), every array feeds an
/// input, and each array's element type and shape fit its input.
struct InputFeeds {
    /// The feeds by Parameter name, in parameter order.
    let feeds: [(input: String, tensor: Tensor)]

    init(_ archive: NPZArchive, path: String, graph: Graph) throws {
        func fail(_ why: String) -> NPZError { NPZError("\(path): \(why)") }
        func describe(_ node: Node) -> String { "'\(node.name)' (\(node.outputTypes[0].elementType) [\(node.outputTypes[0].shape)])" }
        let parameters = graph.parameters
        let expected = parameters.map(describe).joined(separator: ", ")
        var byName: [String: Int] = [:]
        for (i, array) in archive.arrays.enumerated() { byName[array.name] = i }
        var used = Set<Int>()
        var feeds: [(String, Tensor)] = []
        for node in parameters {
            let candidates = ([node.name] + node.tensorNames[0]).filter { byName[$0] != nil }
            let indices = Set(candidates.map { byName[$0]! })
            guard let index = indices.first else {
                throw fail("has no array for input \(describe(node)); the model's inputs are \(expected), "
                    + "the file holds \(archive.arrays.map { "'\($0.name)'" }.joined(separator: ", "))")
            }
            guard indices.count == 1 else {
                throw fail("arrays \(candidates.map { "'\($0)'" }.joined(separator: " and ")) both name input '\(node.name)'")
            }
            used.insert(index)
            var array = archive.arrays[index]
            let type = node.outputTypes[0]
            if archive.untyped.contains(array.name), let retyped = Self.retype(array.tensor, as: type.elementType) {
                array.tensor = retyped
            }
            guard array.tensor.elementType == type.elementType else {
                throw fail("array '\(array.name)' is \(array.tensor.elementType) [\(array.tensor.dims.map(String.init).joined(separator: ","))], "
                    + "input '\(node.name)' takes \(type.elementType) [\(type.shape)]")
            }
            if let dims = type.shape.dims {
                let fits = dims.count == array.tensor.dims.count
                    && zip(dims, array.tensor.dims).allSatisfy { $0.isCompatible(with: .fixed($1)) }
                guard fits else {
                    throw fail("array '\(array.name)' has shape [\(array.tensor.dims.map(String.init).joined(separator: ","))], "
                        + "input '\(node.name)' takes [\(type.shape)]")
                }
            }
            feeds.append((node.name, array.tensor))
        }
        if let extra = archive.arrays.indices.first(where: { !used.contains($0) }) {
            throw fail("array '\(archive.arrays[extra].name)' matches no model input; the inputs are \(expected)")
        }
        self.feeds = feeds
    }

    /// The bytes of an untyped 1-byte array (one element per byte) as `type`, when `type` is one NumPy
    /// lacks: the 8-bit float types as they are, narrower types packed LSB-first as OpenVINO stores them
    /// (each byte's low bits: a 4-bit two's complement, an unsigned value or a float4 code).
    static func retype(_ tensor: Tensor, as type: ElementType) -> Tensor? {
        let bytes = tensor.bytes
        switch type {
        case .f8e4m3, .f8e5m2, .f8e8m0:
            return Tensor(type, dims: tensor.dims, bytes: bytes)
        case .i4, .u4, .f4e2m1, .u2, .u1:
            let bits = type.bitWidth, perByte = 8 / type.bitWidth, mask = UInt8((1 << bits) - 1)
            var packed = [UInt8](repeating: 0, count: (bytes.count + perByte - 1) / perByte)
            for (i, byte) in bytes.enumerated() { packed[i / perByte] |= (byte & mask) << (bits * (i % perByte)) }
            return Tensor(type, dims: tensor.dims, bytes: packed)
        default:
            return nil
        }
    }
}
