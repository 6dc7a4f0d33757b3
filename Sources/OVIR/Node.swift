/// An operation in a graph: its op, inputs, friendly name, tensor names per output and rt_info.
/// Edges are edited only through `Graph`, which keeps the use-lists.
public final class Node: CustomStringConvertible {
    /// Unique within its graph, in creation order.
    public let id: Int
    public internal(set) var op: any Op
    public internal(set) var inputs: [Output]
    public var name: String
    public internal(set) var outputTypes: [TensorType]
    /// What type inference knows about output 0's elements (see `InferenceInput.value`).
    public internal(set) var value: [Dim]?
    /// Tensor names per output, kept sorted and unique.
    public internal(set) var tensorNames: [[String]]
    /// Layer `<rt_info>` attributes (`fused_names`, `decompression`, ...).
    public var rtInfo: [RTAttribute]
    var uses: [[Use]]

    init(id: Int, op: any Op, inputs: [Output], name: String, outputTypes: [TensorType], value: [Dim]?) {
        self.id = id
        self.op = op
        self.inputs = inputs
        self.name = name
        self.outputTypes = outputTypes
        self.value = value
        self.tensorNames = Array(repeating: [], count: outputTypes.count)
        self.rtInfo = []
        self.uses = Array(repeating: [], count: outputTypes.count)
    }

    public var outputCount: Int { outputTypes.count }
    public func output(_ i: Int = 0) -> Output { Output(self, i) }
    public var outputs: [Output] { (0..<outputCount).map { Output(self, $0) } }

    /// The readers of output `i`.
    public func uses(of i: Int) -> [Use] { uses[i] }
    public var hasUses: Bool { uses.contains { !$0.isEmpty } }

    public var description: String { "\(op.typeName) '\(name)'" }
}

/// One layer- or port-level `<rt_info><attribute .../>` entry.
public struct RTAttribute: Equatable, Sendable {
    public var name: String
    public var version: String
    /// The other XML attributes of the entry, in order (usually just `value`).
    public var values: [(key: String, value: String)]

    public init(name: String, version: String = "0", values: [(key: String, value: String)] = []) {
        self.name = name
        self.version = version
        self.values = values
    }

    public static func == (a: RTAttribute, b: RTAttribute) -> Bool {
        a.name == b.name && a.version == b.version && a.values.elementsEqual(b.values) { $0 == $1 }
    }
}

/// Model-level `<rt_info>`: an ordered tree of string values.
public indirect enum RTInfo: Equatable, Sendable {
    case value(String)
    case map([RTInfoEntry])

    public static let empty = RTInfo.map([])

    public var entries: [RTInfoEntry] {
        if case .map(let e) = self { return e }
        return []
    }

    /// Sets `value` at `path`, creating maps on the way and replacing any existing entry.
    public mutating func set(_ path: [String], _ value: RTInfo) {
        guard let key = path.first else { self = value; return }
        var list = entries
        if let i = list.firstIndex(where: { $0.key == key }) {
            var child = list[i].value
            child.set(Array(path.dropFirst()), value)
            list[i].value = child
        } else {
            var child = RTInfo.empty
            child.set(Array(path.dropFirst()), value)
            list.append(RTInfoEntry(key: key, value: child))
        }
        self = .map(list)
    }

    public subscript(path: String...) -> RTInfo? {
        var cur: RTInfo = self
        for key in path {
            guard let next = cur.entries.first(where: { $0.key == key })?.value else { return nil }
            cur = next
        }
        return cur
    }
}

public struct RTInfoEntry: Equatable, Sendable {
    public var key: String
    public var value: RTInfo

    public init(key: String, value: RTInfo) {
        self.key = key
        self.value = value
    }
}
