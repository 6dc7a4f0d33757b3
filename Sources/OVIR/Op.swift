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
}

extension Op {
    public static var fields: [AttributeField<Self>] { [] }

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

/// An input as type inference sees it: its type, and its value when a Const produces it.
public struct InferenceInput: Sendable {
    public var type: TensorType
    public var constant: Tensor?

    public init(_ type: TensorType, constant: Tensor? = nil) {
        self.type = type
        self.constant = constant
    }

    public var shape: Shape { type.shape }
    public var elementType: ElementType { type.elementType }
    /// The constant value read as integers (shape, axes, pads inputs).
    public var intValues: [Int]? { constant?.intValues() }
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
