/// Pads (or, with negative pads, crops) data; the pad value is used in constant mode.
public struct Pad: Op {
    public enum Mode: String, IREnum { case constant, edge, reflect, symmetric }
    public static let type = "Pad"
    public static let version = "opset12"
    public var padMode: Mode = .constant
    public static var fields: [AttributeField<Self>] { [.init("pad_mode", \.padMode)] }
    public init() {}
    public init(mode: Mode) { padMode = mode }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...4)
        let data = inputs[0].type
        let rank = data.shape.rank ?? ShapeInference.length(inputs[1]) ?? ShapeInference.length(inputs[2])
        guard let rank else { return [TensorType(data.elementType, .dynamicRank)] }
        // Pads computed by a shape subgraph may be known in part (`value`).
        let begin = inputs[1].value, end = inputs[2].value
        for p in [begin, end] where p != nil && p!.count != rank {
            throw ShapeInference.Failure("pads \(p!) do not match rank \(rank)")
        }
        guard let dims = data.shape.dims else { return [TensorType(data.elementType, .dynamic(rank: rank))] }
        return [TensorType(data.elementType, .ranked(try dims.indices.map { i in
            guard let b = begin?[i], let e = end?[i] else { return .dynamic }
            if b == .fixed(0), e == .fixed(0) { return dims[i] }
            if let n = dims[i].value, let bv = b.value, let ev = e.value {
                guard let padded = ShapeInference.sum(.fixed(n), .fixed(bv)).flatMap({ ShapeInference.sum($0, .fixed(ev)) })?.value else {
                    throw ShapeInference.Failure("pads \(bv), \(ev) on axis \(i) of size \(n) overflow")
                }
                guard padded >= 0 else { throw ShapeInference.Failure("pads \(bv), \(ev) crop axis \(i) of size \(n) below 0") }
                return .fixed(padded)
            }
            return ShapeInference.sum(dims[i], b).flatMap { ShapeInference.sum($0, e) }.map(ShapeInference.size) ?? .dynamic
        }))]
    }
}
