/// A value declared in a dump: a graph input, a block parameter or a node output (`%x.1 : Float(1, 3)`).
public struct TSValueDecl: Equatable, Sendable {
    /// The debug name without `%`.
    public var name: String
    public var type: TSType
    /// 1-based line and column of the `%` in the dump.
    public var line: Int
    public var column: Int

    public init(name: String, type: TSType, line: Int, column: Int) {
        self.name = name
        self.type = type
        self.line = line
        self.column = column
    }
}

/// One node line of a dump (`%y : T = aten::add(%a, %b, %c), scope: __module.x # file.py:3:0`) and its blocks.
public struct TSNode: Equatable, Sendable {
    public var outputs: [TSValueDecl]
    /// `namespace::name` (`aten::_convolution`, `prim::Constant`).
    public var kind: String
    /// In printed order.
    public var attributes: [(name: String, value: TSAttributeValue)]
    /// Input value names without `%`.
    public var inputs: [String]
    /// The blocks printed under the node (prim::If has 2, prim::Loop 1).
    public var blocks: [TSBlock]
    /// The `, scope: ` text (`__module.layer1/__module.layer1.0/__module.layer1.0.conv1`), if printed.
    public var scope: String?
    /// The `# file:line:col` source comment without `# `, if printed.
    public var source: String?
    /// 1-based line of the node in the dump.
    public var line: Int

    public init(outputs: [TSValueDecl], kind: String, attributes: [(name: String, value: TSAttributeValue)], inputs: [String],
                blocks: [TSBlock] = [], scope: String? = nil, source: String? = nil, line: Int) {
        self.outputs = outputs
        self.kind = kind
        self.attributes = attributes
        self.inputs = inputs
        self.blocks = blocks
        self.scope = scope
        self.source = source
        self.line = line
    }

    /// The attribute `name`, if present.
    public func attribute(_ name: String) -> TSAttributeValue? { attributes.first { $0.name == name }?.value }

    /// The module path of the scope's last segment without `__module.` (`layer1.0.conv1`), if any.
    public var modulePath: String? {
        guard let last = scope?.split(separator: "/").last else { return nil }
        let s = last.hasPrefix("__module.") ? last.dropFirst("__module.".count) : last[...]
        return s.isEmpty || s == "__module" ? nil : String(s)
    }

    public static func == (a: TSNode, b: TSNode) -> Bool {
        a.outputs == b.outputs && a.kind == b.kind && a.inputs == b.inputs && a.blocks == b.blocks && a.scope == b.scope
            && a.source == b.source && a.line == b.line && a.attributes.count == b.attributes.count
            && zip(a.attributes, b.attributes).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// A block: parameters, nodes, and the values it returns. The graph itself is a block whose parameters are the
/// graph inputs and whose returns are the `return (...)` list.
public struct TSBlock: Equatable, Sendable {
    public var parameters: [TSValueDecl]
    public var nodes: [TSNode]
    public var returns: [String]
    /// 1-based line of the `graph(`/`blockN(` header.
    public var line: Int

    public init(parameters: [TSValueDecl], nodes: [TSNode], returns: [String], line: Int) {
        self.parameters = parameters
        self.nodes = nodes
        self.returns = returns
        self.line = line
    }
}
