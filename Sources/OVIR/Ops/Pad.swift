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
        let begin = inputs[1].intValues, end = inputs[2].intValues
        for p in [begin, end] where p != nil && p!.count != rank {
            throw ShapeInference.Failure("pads \(p!) do not match rank \(rank)")
        }
        guard let dims = data.shape.dims else { return [TensorType(data.elementType, .dynamic(rank: rank))] }
        return [TensorType(data.elementType, .ranked(try dims.indices.map { i in
            guard let n = dims[i].value, let b = begin?[i], let e = end?[i] else {
                return begin?[i] == 0 && end?[i] == 0 ? dims[i] : .dynamic
            }
            guard n + b + e >= 0 else { throw ShapeInference.Failure("pads \(b), \(e) crop axis \(i) of size \(n) below 0") }
            return .fixed(n + b + e)
        }))]
    }
}
