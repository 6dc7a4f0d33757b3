/// How an outer input of an If or Loop reaches a body Parameter (OpenVINO's input descriptions).
public struct BodyInput: Hashable, Sendable, CustomStringConvertible {
    /// What the Parameter holds in each iteration.
    public enum Kind: Hashable, Sendable {
        /// The outer value, every iteration (the only kind If takes).
        case invariant
        /// The outer value in the first iteration, then the value body Result `result` had at the end of the
        /// previous one (a Loop back edge).
        case merged(result: Int)
    }

    /// The outer input's index.
    public var input: Int
    /// The body Parameter's index.
    public var parameter: Int
    public var kind: Kind

    public init(input: Int, parameter: Int, kind: Kind = .invariant) {
        self.input = input
        self.parameter = parameter
        self.kind = kind
    }

    /// Outer input `input` feeds body Parameter `parameter` unchanged.
    public static func invariant(input: Int, parameter: Int) -> BodyInput {
        BodyInput(input: input, parameter: parameter)
    }

    /// Outer input `input` feeds body Parameter `parameter` in the first iteration, body Result `result` after that.
    public static func merged(input: Int, parameter: Int, backEdgeFrom result: Int) -> BodyInput {
        BodyInput(input: input, parameter: parameter, kind: .merged(result: result))
    }

    /// The back edge's body Result, for a merged input.
    public var backEdgeResult: Int? {
        if case .merged(let r) = kind { return r }
        return nil
    }

    public var description: String {
        switch kind {
        case .invariant: "input \(input) -> Parameter #\(parameter)"
        case .merged(let r): "input \(input) -> Parameter #\(parameter) <- Result #\(r)"
        }
    }
}
