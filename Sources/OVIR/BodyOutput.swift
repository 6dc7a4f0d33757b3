/// Which body Result becomes an output of an If or Loop, and how (OpenVINO's output descriptions).
public struct BodyOutput: Hashable, Sendable, CustomStringConvertible {
    /// The value an output takes from its Result.
    public enum Kind: Hashable, Sendable {
        /// The Result's value in the last iteration (for If: the value of the branch taken).
        case last
        /// The Result's values of all iterations concatenated along an axis (Loop only).
        case concatenated(BodyConcatenation)
    }

    /// The body Result's index.
    public var result: Int
    /// The outer output's index.
    public var output: Int
    public var kind: Kind

    public init(result: Int, output: Int, kind: Kind = .last) {
        self.result = result
        self.output = output
        self.kind = kind
    }

    /// Output `output` is body Result `result`'s last value.
    public static func last(result: Int, output: Int) -> BodyOutput {
        BodyOutput(result: result, output: output)
    }

    /// Output `output` is body Result `result`'s values of every iteration, concatenated along `axis`.
    public static func concatenated(result: Int, output: Int, axis: Int) -> BodyOutput {
        BodyOutput(result: result, output: output, kind: .concatenated(BodyConcatenation(axis: axis)))
    }

    public var description: String {
        switch kind {
        case .last: "Result #\(result) -> output \(output)"
        case .concatenated(let c): "Result #\(result) -> output \(output) concatenated (\(c))"
        }
    }
}

/// How a Loop output concatenates its Result's per-iteration values: OpenVINO's `axis`, `start`, `stride`,
/// `part_size` and `end` (Loop-5 takes only start 0, stride 1, part_size 1, end -1: every iteration in order).
public struct BodyConcatenation: Hashable, Sendable, CustomStringConvertible {
    public var axis: Int
    public var start: Int
    public var stride: Int
    public var partSize: Int
    public var end: Int

    public init(axis: Int, start: Int = 0, stride: Int = 1, partSize: Int = 1, end: Int = -1) {
        self.axis = axis
        self.start = start
        self.stride = stride
        self.partSize = partSize
        self.end = end
    }

    /// Every iteration's value, in order: the only form Loop-5 takes.
    public var isEveryIteration: Bool { start == 0 && stride == 1 && partSize == 1 && end == -1 }

    public var description: String { "axis \(axis) start \(start) stride \(stride) part_size \(partSize) end \(end)" }
}
