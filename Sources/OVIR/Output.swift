/// One output of a node: the value an edge carries.
public struct Output: Hashable, CustomStringConvertible {
    public let node: Node
    public let index: Int

    public init(_ node: Node, _ index: Int = 0) {
        self.node = node
        self.index = index
    }

    public var type: TensorType { node.outputTypes[index] }
    public var shape: Shape { type.shape }
    public var elementType: ElementType { type.elementType }
    public var names: [String] { node.tensorNames[index] }

    /// The value when a Const produces this output.
    public var constant: Tensor? { (node.op as? Constant)?.tensor }
    /// What type inference knows about this output's elements (see `InferenceInput.value`).
    public var value: [Dim]? { index == 0 ? node.value : nil }

    public static func == (a: Output, b: Output) -> Bool { a.node === b.node && a.index == b.index }
    public func hash(into h: inout Hasher) {
        h.combine(ObjectIdentifier(node))
        h.combine(index)
    }

    public var description: String { "\(node.name):\(index)" }
}

/// A use of a value: `node` reads it as input number `inputIndex`.
public struct Use: Equatable {
    public unowned let node: Node
    public let inputIndex: Int

    public static func == (a: Use, b: Use) -> Bool { a.node === b.node && a.inputIndex == b.inputIndex }
}
