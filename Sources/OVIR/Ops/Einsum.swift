/// Einstein summation over any number of inputs, described by `equation` (`"bij,bjk->bik"`, `...` allowed).
public struct Einsum: Op {
    public static let type = "Einsum"
    public static let version = "opset7"
    public var equation = ""
    public static var fields: [AttributeField<Self>] { [.init("equation", \.equation)] }
    public init() {}
    public init(equation: String) { self.equation = equation }

    /// One subscript: letters, with `nil` standing for the ellipsis.
    public typealias Subscript = [Character?]

    /// Input subscripts and the output subscript (implicit output made explicit).
    public func parse(inputCount: Int) throws -> (inputs: [Subscript], output: Subscript) {
        let eq = equation.filter { !$0.isWhitespace }
        let sides = eq.components(separatedBy: "->")
        guard sides.count <= 2 else { throw ShapeInference.Failure("bad equation '\(equation)'") }
        func subscriptOf(_ s: String) throws -> Subscript {
            var out: Subscript = []
            var rest = Substring(s)
            while let c = rest.first {
                if rest.hasPrefix("...") {
                    guard !out.contains(nil) else { throw ShapeInference.Failure("two ellipses in '\(s)' of '\(equation)'") }
                    out.append(nil)
                    rest = rest.dropFirst(3)
                } else {
                    guard c.isLetter else { throw ShapeInference.Failure("bad label '\(c)' in '\(equation)'") }
                    out.append(c)
                    rest = rest.dropFirst()
                }
            }
            return out
        }
        let inputs = try sides[0].components(separatedBy: ",").map(subscriptOf)
        guard inputs.count == inputCount else {
            throw ShapeInference.Failure("equation '\(equation)' has \(inputs.count) operands, got \(inputCount) inputs")
        }
        if sides.count == 2 { return (inputs, try subscriptOf(sides[1])) }
        // Implicit output: the ellipsis, then labels used exactly once, alphabetically.
        var counts: [Character: Int] = [:]
        for s in inputs { for case let c? in s { counts[c, default: 0] += 1 } }
        let once = counts.filter { $0.value == 1 }.keys.sorted()
        let ellipsis: Subscript = inputs.contains { $0.contains(nil) } ? [nil] : []
        return (inputs, ellipsis + once.map { $0 })
    }

    public func inferTypes(_ inputs: [InferenceInput]) throws -> [TensorType] {
        guard !inputs.isEmpty else { throw ShapeInference.Failure("expects at least 1 input") }
        let type = inputs.first { $0.elementType != .dynamic }?.elementType ?? .dynamic
        let (subs, output) = try parse(inputCount: inputs.count)
        var labelDims: [Character: Dim] = [:]
        var ellipsis: Shape = .scalar
        for (sub, input) in zip(subs, inputs) {
            guard let dims = input.shape.dims else {
                if sub.contains(nil) { ellipsis = .dynamicRank }
                continue
            }
            let letters = sub.filter { $0 != nil }.count
            let ellipsisRank = dims.count - letters
            guard ellipsisRank == 0 || (ellipsisRank > 0 && sub.contains(nil)) else {
                throw ShapeInference.Failure("input of rank \(dims.count) does not match subscript of '\(equation)'")
            }
            var i = 0
            for label in sub {
                if let c = label {
                    let d = dims[i]
                    // A static dim other than 1 wins (1 broadcasts).
                    if let old = labelDims[c] {
                        if let u = old.value, let v = d.value, u != v, u != 1, v != 1 {
                            throw ShapeInference.Failure("label '\(c)' has sizes \(u) and \(v) in '\(equation)'")
                        }
                        if !old.isStatic || (old == .fixed(1) && d.isStatic) { labelDims[c] = d }
                    } else {
                        labelDims[c] = d
                    }
                    i += 1
                } else {
                    ellipsis = try ShapeInference.broadcast(ellipsis, .ranked(Array(dims[i..<(i + ellipsisRank)])))
                    i += ellipsisRank
                }
            }
        }
        var out: [Dim] = []
        for label in output {
            if let c = label {
                guard let d = labelDims[c] ?? (inputs.contains { $0.shape.rank == nil } ? .dynamic : nil) else {
                    throw ShapeInference.Failure("output label '\(c)' is not in any input of '\(equation)'")
                }
                out.append(d)
            } else {
                guard let e = ellipsis.dims else { return [TensorType(type, .dynamicRank)] }
                out += e
            }
        }
        return [TensorType(type, .ranked(out))]
    }
}
