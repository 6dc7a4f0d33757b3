/// Matrix product with numpy-style batch broadcasting; 1-D operands act as a row (A) or column (B).
public struct MatMul: Op {
    public static let type = "MatMul"
    public static let version = "opset1"
    public var transposeA = false
    public var transposeB = false
    public static var fields: [AttributeField<Self>] {
        [.init("transpose_a", \.transposeA), .init("transpose_b", \.transposeB)]
    }
    public init() {}
    public init(transposeA: Bool = false, transposeB: Bool = false) {
        self.transposeA = transposeA
        self.transposeB = transposeB
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 2...2)
        let (a, b) = (inputs[0].type, inputs[1].type)
        guard a.elementType == b.elementType || a.elementType == .dynamic || b.elementType == .dynamic else {
            throw ShapeInference.Failure("element types differ: \(a.elementType) and \(b.elementType)")
        }
        let type = a.elementType == .dynamic ? b.elementType : a.elementType
        guard var x = a.shape.dims, var y = b.shape.dims else { return [TensorType(type, .dynamicRank)] }
        guard !x.isEmpty, !y.isEmpty else { throw ShapeInference.Failure("operands must not be scalars") }
        // Transposes are ignored for 1-D operands.
        let rowVector = x.count == 1, columnVector = y.count == 1
        if rowVector { x.insert(.fixed(1), at: 0) } else if transposeA { x.swapAt(x.count - 1, x.count - 2) }
        if columnVector { y.append(.fixed(1)) } else if transposeB { y.swapAt(y.count - 1, y.count - 2) }
        let (k1, k2) = (x[x.count - 1], y[y.count - 2])
        guard k1.isCompatible(with: k2) else {
            throw ShapeInference.Failure("inner dimensions differ: \(a.shape) and \(b.shape)")
        }
        let batch = try ShapeInference.broadcast(.ranked(Array(x.dropLast(2))), .ranked(Array(y.dropLast(2)))).dims ?? []
        var out = batch + [x[x.count - 2], y[y.count - 1]]
        if columnVector { out.removeLast() }
        if rowVector { out.remove(at: out.count - (columnVector ? 1 : 2)) }
        return [TensorType(type, .ranked(out))]
    }
}
