/// An OpenVINO operation: its IR type name, opset, typed attributes and type inference.
///
/// Adding an op means adding one small type that conforms to `Op` and listing it in
/// `OpRegistry.builtin`; the serializer and the reader need no edit.
public protocol Op: Equatable, Sendable {
    /// The `type` written in `<layer>` (`Convolution`, `SoftMax`, ...).
    static var type: String { get }
    /// The `version` written in `<layer>` (`opset1`, `opset8`, ...).
    static var version: String { get }
    /// The `<data>` attributes, in serializer order.
    static var fields: [AttributeField<Self>] { get }
    /// The op with every attribute at its OpenVINO default.
    init()
    /// Output types from input types (and constant input values where the op needs them).
    func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType]
    /// What is known about output 0's elements, for the ops of shape subgraphs (ShapeOf, Gather, Concat,
    /// arithmetic, ...); nil (the default) when nothing is. See `InferenceInput.value`.
    func inferValue(_ inputs: [InferenceInput]) -> [Dim]?
}

extension Op {
    public static var fields: [AttributeField<Self>] { [] }
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? { nil }

    /// `<data>` attributes as name/value strings, in serializer order.
    public var attributes: [(String, String)] {
        Self.fields.map { ($0.name, $0.get(self)) }
    }

    /// Builds the op from `<data>` attributes; missing ones keep their defaults, unknown ones are ignored
    /// (as the OpenVINO reader does).
    public static func decode(_ attributes: [String: String]) throws -> Self {
        var op = Self()
        for field in fields {
            if let text = attributes[field.name] {
                do { try field.set(&op, text) } catch {
                    throw AttributeError(op: type, name: field.name, value: text)
                }
            }
        }
        return op
    }

    /// Type-erased equality.
    public func isEqual(to other: any Op) -> Bool {
        guard let o = other as? Self else { return false }
        return self == o
    }

    public var typeName: String { Self.type }
    public var opsetName: String { Self.version }
}

/// An input as type inference sees it: its type, its value when a Const produces it, and what is known
/// about its value when a shape subgraph computes it.
public struct InferenceInput: Sendable {
    public var type: TensorType
    public var constant: Tensor?
    /// The partial value of a small integer tensor (a shape, axes, a size; row-major, at most
    /// `ShapeInference.valueLimit` elements): per element the range of integers it may hold, as a `Dim`
    /// (static = known exactly, and then possibly negative, as a Reshape's -1; otherwise `lower...upper`, upper
    /// nil = unbounded). This is how `Reshape(x, Concat(Gather(ShapeOf(y), 0), 144, -1))` learns [?,144,?]:
    /// OpenVINO propagates the same lower/upper bounds through its shape subgraphs. Ops produce it in `inferValue`.
    public var value: [Dim]?

    public init(_ type: TensorType, constant: Tensor? = nil, value: [Dim]? = nil) {
        self.type = type
        self.constant = constant
        self.value = value ?? constant.flatMap(ShapeInference.value(of:))
    }

    public var shape: Shape { type.shape }
    public var elementType: ElementType { type.elementType }
    /// The value read as integers (shape, axes, pads inputs): a Const's, or a computed value known exactly.
    public var intValues: [Int]? { constant?.intValues() ?? value.flatMap(ShapeInference.exactValues) }
}

/// One `<data>` attribute of an op: its name and how to print and parse it.
public struct AttributeField<O>: @unchecked Sendable {
    public let name: String
    public let get: (O) -> String
    public let set: (inout O, String) throws -> Void

    public init<V: AttributeValue>(_ name: String, _ keyPath: WritableKeyPath<O, V>) {
        self.name = name
        self.get = { $0[keyPath: keyPath].irString }
        self.set = { op, text in op[keyPath: keyPath] = try V(irString: text) }
    }
}

/// An attribute value that could not be parsed.
public struct AttributeError: Error, CustomStringConvertible {
    public let op: String
    public let name: String
    public let value: String
    public var description: String { "\(op): bad value '\(value)' for attribute '\(name)'" }
}
