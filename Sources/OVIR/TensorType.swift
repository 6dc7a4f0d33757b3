/// The type of a value flowing along an edge: element type and shape.
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    public var elementType: ElementType
    public var shape: Shape

    public init(_ elementType: ElementType, _ shape: Shape) {
        self.elementType = elementType
        self.shape = shape
    }

    public var description: String { "\(elementType)[\(shape)]" }
}
