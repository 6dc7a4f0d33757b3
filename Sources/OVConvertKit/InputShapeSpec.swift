import Foundation
import OVIR

/// The input shapes the user asked for: `--input` entries in ovc's syntax, `--batch` and `--imgsz`,
/// parsed, and resolved against a model's inputs into the shape each input gets.
public struct InputShapeSpec: Equatable, Sendable {
    /// One `--input` entry: `name[1,3,640,640]`, `[?,128]` (applies in input order) or a bare `name`
    /// (keeps the model's shape); `name->16000`, `name[2]->[1,2]` freezes the input to that value (ovc's legacy
    /// syntax), so the input becomes a constant and what depends only on it folds (an If on a sample rate).
    public struct Entry: Equatable, Sendable {
        public var name: String?
        public var shape: Shape?
        /// The value the input is frozen to (`->`), in row-major order; `true`/`false` read as 1/0.
        public var value: [Double]?
        /// The entry as written, for messages.
        public var text: String

        public init(name: String?, shape: Shape?, value: [Double]? = nil, text: String) {
            self.name = name
            self.shape = shape
            self.value = value
            self.text = text
        }
    }

    /// `--imgsz H[,W]`.
    public struct ImageSize: Equatable, Sendable {
        public var height: Int
        public var width: Int
    }

    /// Why the text or its use does not fit: `malformed` is a command-line mistake, `mismatch` a shape
    /// the model contradicts.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public enum Kind: Equatable, Sendable { case malformed, mismatch }
        public let kind: Kind
        public let message: String
        public var description: String { message }
    }

    public var entries: [Entry]
    public var batch: Int?
    public var imageSize: ImageSize?

    /// True when nothing is asked for.
    public var isEmpty: Bool { entries.isEmpty && batch == nil && imageSize == nil }

    /// Parses every `--input` occurrence (each may hold several comma-separated entries), `--batch` and `--imgsz`.
    public init(input: [String] = [], batch: Int? = nil, imgsz: String? = nil) throws {
        entries = try input.flatMap(Self.parseEntries)
        if let b = batch, b < 1 { throw Self.malformed("--batch \(b): the batch must be at least 1") }
        self.batch = batch
        imageSize = try imgsz.map(Self.parseImageSize)
        let named = entries.filter { $0.name != nil }
        if !named.isEmpty && named.count != entries.count {
            throw Self.malformed("--input: entries either all name their input or none do (unnamed entries apply in input order)")
        }
        var seen = Set<String>()
        for e in named where !seen.insert(e.name!).inserted {
            throw Self.malformed("--input: input '\(e.name!)' is given more than once")
        }
        if !entries.isEmpty && (batch != nil || imageSize != nil) {
            throw Self.malformed("--input cannot be combined with --batch or --imgsz; write the batch and image size into the --input shape")
        }
    }

    /// Splits `a[1,3,..640],b[?]` at top-level commas (commas inside brackets separate dims) and parses each entry.
    public static func parseEntries(_ text: String) throws -> [Entry] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            switch c {
            case "[": depth += 1
            case "]": depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            current.append(c)
        }
        parts.append(current)
        return try parts.map(parseEntry)
    }

    /// `name`, `name[dims]` or `[dims]`; dims are `3`, `?`, `-1`, `1..8`, `..640`, `2..`; any of them may end in
    /// `->VALUE` (a number, `true`, `false`, or `[v, v, ...]`), which freezes a named input.
    public static func parseEntry(_ raw: String) throws -> Entry {
        let whole = raw.trimmingCharacters(in: .whitespaces)
        guard let arrow = whole.range(of: "->") else { return try parseShapeEntry(raw) }
        func bad(_ why: String) -> Failure { malformed("--input entry '\(whole)': \(why)") }
        var entry = try parseShapeEntry(String(whole[..<arrow.lowerBound]))
        guard entry.name != nil else { throw bad("a frozen input (->) must be named") }
        var valueText = whole[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
        if valueText.hasPrefix("["), valueText.hasSuffix("]") { valueText = String(valueText.dropFirst().dropLast()) }
        let items = valueText.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        guard !items.isEmpty else { throw bad("no value after '->'") }
        entry.value = try items.map { item in
            switch item.lowercased() {
            case "true": return 1
            case "false": return 0
            default:
                guard let v = Double(item) else { throw bad("'\(item)' is not a number, true or false") }
                return v
            }
        }
        if let dims = entry.shape?.dims {
            guard let fixed = entry.shape?.staticDims else { throw bad("a frozen input's shape must be static") }
            let count = fixed.reduce(1, *)
            guard count == entry.value!.count else {
                throw bad("shape [\(dims.map(\.description).joined(separator: ","))] holds \(count) values, \(entry.value!.count) are given")
            }
        }
        entry.text = whole
        return entry
    }

    /// `name`, `name[dims]` or `[dims]` (no value).
    private static func parseShapeEntry(_ raw: String) throws -> Entry {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func bad(_ why: String) -> Failure { malformed("--input entry '\(text)': \(why)") }
        guard !text.isEmpty else { throw malformed("--input '\(raw)': empty entry (a stray comma?)") }
        guard let open = text.firstIndex(of: "[") else {
            guard !text.contains("]") else { throw bad("']' without '['") }
            return Entry(name: text, shape: nil, text: text)
        }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        guard let close = text.lastIndex(of: "]"), close > open else { throw bad("'[' without ']'") }
        guard text.index(after: close) == text.endIndex else {
            throw bad("unexpected '\(text[text.index(after: close)...])' after ']' (element types are not supported)")
        }
        let inner = text[text.index(after: open)..<close]
        guard !inner.contains("["), !inner.contains("]") else { throw bad("nested brackets") }
        var dims: [Dim] = []
        if !inner.trimmingCharacters(in: .whitespaces).isEmpty {
            for (k, part) in inner.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let p = part.trimmingCharacters(in: .whitespaces)
                if p == "..." { throw bad("a dynamic rank ('...') is not supported; give every dim") }
                guard let d = Dim(parsing: part) else {
                    throw bad("dim \(k) '\(p)' is not a size, '?', '-1' or a range like 1..8, ..640, 2..")
                }
                dims.append(d)
            }
        }
        return Entry(name: name.isEmpty ? nil : name, shape: .ranked(dims), text: text)
    }

    /// `640` (square) or `480,640` (height, width); each at least 1.
    public static func parseImageSize(_ text: String) throws -> ImageSize {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }.filter { $0 >= 1 }
        guard (1...2).contains(parts.count), values.count == parts.count else {
            throw malformed("--imgsz '\(text)': expected H or H,W with whole numbers of at least 1")
        }
        return ImageSize(height: values[0], width: values.last!)
    }

    /// The shape each model input gets (nil: unchanged), given the model's inputs in order.
    /// A dim the model fixes must stay as it is: shapes are set after translation, which may have folded
    /// static sizes into constants, so changing one could give a model that is silently wrong.
    /// With `staticDimsAreExamples`, the model's static dims are only the sizes it was traced with (a TorchScript
    /// dump, translated after this), so they may change; ranks must still match.
    public func resolve(_ inputs: [(name: String, shape: Shape)], staticDimsAreExamples: Bool = false) throws -> [Shape?] {
        var result = [Shape?](repeating: nil, count: inputs.count)
        var origin = [String](repeating: "", count: inputs.count)
        func listing() -> String { inputs.map { "\($0.name) [\($0.shape)]" }.joined(separator: ", ") }

        if entries.first?.name == nil, entries.count > inputs.count {
            throw Self.mismatch("--input: \(entries.count) unnamed entries, but the model has \(inputs.count) input\(inputs.count == 1 ? "" : "s"): \(listing())")
        }
        for (k, e) in entries.enumerated() {
            let index: Int
            if let name = e.name {
                guard let i = inputs.firstIndex(where: { $0.name == name }) else {
                    throw Self.mismatch("--input: the model has no input '\(name)'; its inputs are: \(listing())")
                }
                index = i
            } else {
                index = k
            }
            if let s = e.shape, e.value == nil { result[index] = s; origin[index] = "--input '\(e.text)'" }
        }
        if let b = batch {
            for (i, input) in inputs.enumerated() {
                guard var dims = (result[i] ?? input.shape).dims, !dims.isEmpty else {
                    throw Self.mismatch("--batch: input '\(input.name)' [\(input.shape)] has \(input.shape.rank == 0 ? "rank 0" : "an unknown rank"), so it has no batch dim")
                }
                dims[0] = .fixed(b)
                result[i] = .ranked(dims)
                origin[i] = "--batch \(b)"
            }
        }
        if let size = imageSize {
            let images = inputs.indices.filter { inputs[$0].shape.rank == 4 }
            guard images.count == 1, let i = images.first else {
                let which = images.isEmpty ? "none of the model's inputs is 4-D" : "the model has \(images.count) 4-D inputs: "
                    + images.map { "'\(inputs[$0].name)'" }.joined(separator: " and ")
                throw Self.mismatch("--imgsz is for models with one 4-D image input, but \(which); use --input instead (inputs: \(listing()))")
            }
            let dims = (result[i] ?? inputs[i].shape).dims!
            result[i] = .ranked([dims[0], dims[1], .fixed(size.height), .fixed(size.width)])
            origin[i] = [origin[i], "--imgsz \(size.height == size.width ? "\(size.height)" : "\(size.height),\(size.width)")"]
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
        for (i, input) in inputs.enumerated() {
            guard let shape = result[i] else { continue }
            let model = staticDimsAreExamples ? Shape.dynamic(rank: input.shape.rank) : input.shape
            try Self.check(shape, against: model, input: input.name, from: origin[i])
            if shape == input.shape { result[i] = nil }
        }
        return result
    }

    /// The inputs frozen to a value (`name->value`): for each, its index among `inputs`, the shape the value takes
    /// (the entry's, else the input's own when static, else `[n]` for a 1-D input or a scalar for one value) and
    /// the values.
    public func frozen(_ inputs: [(name: String, shape: Shape)]) throws -> [(index: Int, dims: [Int], values: [Double])] {
        try entries.compactMap { e -> (index: Int, dims: [Int], values: [Double])? in
            guard let values = e.value, let name = e.name else { return nil }
            guard let index = inputs.firstIndex(where: { $0.name == name }) else {
                throw Self.mismatch("--input: the model has no input '\(name)'; its inputs are: "
                    + inputs.map { "\($0.name) [\($0.shape)]" }.joined(separator: ", "))
            }
            let model = inputs[index].shape
            let dims: [Int]
            if let given = e.shape?.staticDims {
                try Self.check(.fixed(given), against: model, input: name, from: "--input '\(e.text)'")
                dims = given
            } else if let fixed = model.staticDims {
                dims = fixed
            } else if model.rank == 1 {
                dims = [values.count]
            } else if values.count == 1, model.rank == 0 || model.rank == nil {
                dims = []
            } else {
                throw Self.mismatch("--input '\(e.text)': input '\(name)' is [\(model)]; give the frozen value's shape, as in \(name)[2,3]->[...]")
            }
            guard dims.reduce(1, *) == values.count else {
                throw Self.mismatch("--input '\(e.text)': input '\(name)' [\(model)] holds \(dims.reduce(1, *)) values, \(values.count) are given")
            }
            return (index, dims, values)
        }
    }

    /// Rank and dims must fit the model's: equal rank, each static dim unchanged, each other dim overlapping.
    private static func check(_ shape: Shape, against model: Shape, input: String, from origin: String) throws {
        guard let modelDims = model.dims, let dims = shape.dims else { return }
        func fail(_ why: String) -> Failure { mismatch("\(origin): input '\(input)' [\(model.description)] cannot be [\(shape)]: \(why)") }
        guard dims.count == modelDims.count else {
            throw fail("the model's input has rank \(modelDims.count), not \(dims.count)")
        }
        for (k, (d, m)) in zip(dims, modelDims).enumerated() {
            if let v = m.value, d != m {
                throw fail("the model fixes dim \(k) at \(v) (static dims cannot be changed after translation)")
            }
            if !d.isCompatible(with: m) { throw fail("dim \(k) \(d) does not overlap the model's \(m)") }
        }
    }

    private static func malformed(_ message: String) -> Failure { Failure(kind: .malformed, message: message) }
    private static func mismatch(_ message: String) -> Failure { Failure(kind: .mismatch, message: message) }
}
