/// TensorFlow-style slicing with begin/end/new-axis/shrink/ellipsis masks (1 in a mask sets it for that spec).
public struct StridedSlice: Op {
    public static let type = "StridedSlice"
    public static let version = "opset1"
    public var beginMask: [Int] = []
    public var endMask: [Int] = []
    public var newAxisMask: [Int] = []
    public var shrinkAxisMask: [Int] = []
    public var ellipsisMask: [Int] = []
    public static var fields: [AttributeField<Self>] {
        [.init("begin_mask", \.beginMask), .init("end_mask", \.endMask), .init("new_axis_mask", \.newAxisMask),
         .init("shrink_axis_mask", \.shrinkAxisMask), .init("ellipsis_mask", \.ellipsisMask)]
    }
    public init() {}

    private static func isSet(_ mask: [Int], _ i: Int) -> Bool { i < mask.count && mask[i] != 0 }
    private static func element(_ values: [Int]?, _ i: Int) -> Int? { values.flatMap { i < $0.count ? $0[i] : nil } }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        try ShapeInference.expectInputs(inputs, 3...4)
        let data = inputs[0].type
        guard let dims = data.shape.dims, let specs = ShapeInference.length(inputs[1]) else {
            return [TensorType(data.elementType, .dynamicRank)]
        }
        let begin = inputs[1].intValues, end = inputs[2].intValues
        let stride = inputs.count == 4 ? inputs[3].intValues : Array(repeating: 1, count: specs)
        let set = Self.isSet
        let ellipsis = (0..<specs).first { set(ellipsisMask, $0) }
        let consumed = (0..<specs).filter { $0 != ellipsis && !set(newAxisMask, $0) }.count
        guard consumed <= dims.count else { throw ShapeInference.Failure("\(consumed) slice specs for rank \(dims.count)") }
        var out: [Dim] = []
        var j = 0
        for i in 0..<specs {
            if i == ellipsis {
                out += dims[j..<(j + dims.count - consumed)]
                j += dims.count - consumed
            } else if set(newAxisMask, i) {
                out.append(.fixed(1))
            } else {
                defer { j += 1 }
                if set(shrinkAxisMask, i) { continue }
                guard let n = dims[j].value, let s = Self.element(stride, i) else { out.append(.dynamic); continue }
                guard s != 0 else { throw ShapeInference.Failure("stride must not be 0") }
                let b = set(beginMask, i) ? (s > 0 ? 0 : Int.max) : Self.element(begin, i)
                let e = set(endMask, i) ? (s > 0 ? Int.max : Int.min) : Self.element(end, i)
                guard let b, let e else { out.append(.dynamic); continue }
                out.append(.fixed(try ShapeInference.sliceLength(n, start: b, stop: e, step: s)))
            }
        }
        out += dims[j...]
        return [TensorType(data.elementType, .ranked(out))]
    }

    /// A slice (or, with shrink_axis_mask, one element) of a 1-D value, for one slice spec without new
    /// axes or ellipsis.
    public func inferValue(_ inputs: [InferenceInput]) -> [Dim]? {
        guard inputs[0].shape.rank == 1, let data = inputs[0].value, let begin = inputs[1].intValues,
              let end = inputs[2].intValues, begin.count == 1, end.count == 1,
              !Self.isSet(newAxisMask, 0), !Self.isSet(ellipsisMask, 0) else { return nil }
        let s = inputs.count == 4 ? inputs[3].intValues?.first : 1
        guard let s, s != 0 else { return nil }
        if Self.isSet(shrinkAxisMask, 0) { return ShapeInference.pick(data, [begin[0]]) }
        let b = Self.isSet(beginMask, 0) ? (s > 0 ? 0 : Int.max) : begin[0]
        let e = Self.isSet(endMask, 0) ? (s > 0 ? Int.max : Int.min) : end[0]
        guard let picked = try? ShapeInference.sliceIndices(data.count, start: b, stop: e, step: s) else { return nil }
        return picked.map { data[$0] }
    }
}
