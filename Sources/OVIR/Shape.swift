/// A tensor shape: a list of dims, or dynamic rank.
public enum Shape: Hashable, Sendable, CustomStringConvertible {
    case ranked([Dim])
    case dynamicRank

    public static func fixed(_ dims: [Int]) -> Shape { .ranked(dims.map(Dim.fixed)) }
    public static let scalar = Shape.ranked([])

    public var dims: [Dim]? {
        if case .ranked(let d) = self { return d }
        return nil
    }

    public var rank: Int? { dims?.count }

    /// All dims as integers when the shape is fully static.
    public var staticDims: [Int]? {
        guard let d = dims else { return nil }
        var out: [Int] = []
        out.reserveCapacity(d.count)
        for x in d {
            guard let v = x.value else { return nil }
            out.append(v)
        }
        return out
    }

    public var isStatic: Bool { staticDims != nil }

    /// A shape of `rank` fully dynamic dims, or dynamic rank when `rank` is nil.
    public static func dynamic(rank: Int?) -> Shape {
        rank.map { .ranked(Array(repeating: .dynamic, count: $0)) } ?? .dynamicRank
    }

    /// OpenVINO's Parameter spelling: `1,3,?,..640`, `...` for dynamic rank, `""` for a scalar.
    public var description: String {
        guard let d = dims else { return "..." }
        return d.map(\.description).joined(separator: ",")
    }

    /// Parses OpenVINO's Parameter spelling (brackets tolerated).
    public init?(parsing text: String) {
        var s = text.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("["), s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        if s == "..." { self = .dynamicRank; return }
        if s.isEmpty { self = .scalar; return }
        var dims: [Dim] = []
        for part in s.split(separator: ",", omittingEmptySubsequences: false) {
            guard let d = Dim(parsing: part) else { return nil }
            dims.append(d)
        }
        self = .ranked(dims)
    }
}

import Foundation
