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
            let array = archive.arrays[index]
            let type = node.outputTypes[0]
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
}
