// Moving data between the channel and spatial dims in blocks.

/// How channels are split into blocks: block index outermost or innermost.
public enum DepthSpaceMode: String, IREnum {
    case blocksFirst = "blocks_first"
    case depthFirst = "depth_first"
}

/// `[N, C·bᴷ, D1, ...]` → `[N, C, D1·b, ...]`.
public struct DepthToSpace: Op {
    public static let type = "DepthToSpace"
    public static let version = "opset1"
    public var blockSize = 0
    public var mode: DepthSpaceMode = .blocksFirst
    public static var fields: [AttributeField<Self>] { [.init("block_size", \.blockSize), .init("mode", \.mode)] }
    public init() {}
    public init(blockSize: Int, mode: DepthSpaceMode) { (self.blockSize, self.mode) = (blockSize, mode) }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        guard blockSize > 0 else { throw ShapeInference.Failure("block_size must be positive") }
        let data = inputs[0]
        guard let d = data.shape.dims else { return [data.type] }
        guard d.count >= 3 else { throw ShapeInference.Failure("data must have rank 3 or more, got \(data.shape)") }
        let divisor = (2..<d.count).reduce(1) { acc, _ in acc * blockSize }
        var channels = Dim.dynamic
        if let c = d[1].value {
            guard c % divisor == 0 else { throw ShapeInference.Failure("channels \(c) are not divisible by \(divisor)") }
            channels = .fixed(c / divisor)
        }
        let spatial = d[2...].map { ShapeInference.multiply($0, .fixed(blockSize)) }
        return [TensorType(data.elementType, .ranked([d[0], channels] + spatial))]
    }
}

/// `[N, C, D1·b, ...]` → `[N, C·bᴷ, D1, ...]`.
public struct SpaceToDepth: Op {
    public static let type = "SpaceToDepth"
    public static let version = "opset1"
    public var blockSize = 0
    public var mode: DepthSpaceMode = .blocksFirst
    public static var fields: [AttributeField<Self>] { [.init("block_size", \.blockSize), .init("mode", \.mode)] }
    public init() {}
    public init(blockSize: Int, mode: DepthSpaceMode) { (self.blockSize, self.mode) = (blockSize, mode) }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 1...1)
        guard blockSize > 0 else { throw ShapeInference.Failure("block_size must be positive") }
        let data = inputs[0]
        guard let d = data.shape.dims else { return [data.type] }
        guard d.count >= 3 else { throw ShapeInference.Failure("data must have rank 3 or more, got \(data.shape)") }
        let factor = (2..<d.count).reduce(1) { acc, _ in acc * blockSize }
        let spatial: [Dim] = try d[2...].map { dim in
            guard let v = dim.value else { return .dynamic }
            guard v % blockSize == 0 else { throw ShapeInference.Failure("spatial dim \(v) is not divisible by \(blockSize)") }
            return .fixed(v / blockSize)
        }
        return [TensorType(data.elementType, .ranked([d[0], ShapeInference.multiply(d[1], .fixed(factor))] + spatial))]
    }
}
