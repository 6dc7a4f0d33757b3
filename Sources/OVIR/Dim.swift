/// One dimension: static, dynamic, or bounded (`lower...upper`, upper `nil` = unbounded).
public struct Dim: Hashable, Sendable, CustomStringConvertible {
    public var lower: Int
    public var upper: Int?

    public init(lower: Int, upper: Int?) {
        self.lower = lower
        self.upper = upper
    }

    public static func fixed(_ n: Int) -> Dim { Dim(lower: n, upper: n) }
    public static let dynamic = Dim(lower: 0, upper: nil)

    /// The value when the dim is static.
    public var value: Int? { upper == lower ? lower : nil }
    public var isStatic: Bool { value != nil }
    public var isDynamic: Bool { lower == 0 && upper == nil }

    /// OpenVINO's Parameter `shape` spelling: `3`, `?`, `1..8`, `..640`, `2..`.
    public var description: String {
        if let v = value { return String(v) }
        if isDynamic { return "?" }
        let lo = lower == 0 ? "" : String(lower)
        let hi = upper.map(String.init) ?? ""
        return "\(lo)..\(hi)"
    }

    /// The value written in a port `<dim>`: the static value, otherwise -1.
    public var portValue: Int { value ?? -1 }

    /// Parses `3`, `?`, `-1`, `1..8`, `..640`, `2..`.
    public init?(parsing text: Substring) {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s == "?" || s == "-1" { self = .dynamic; return }
        if let r = s.range(of: "..") {
            let lo = s[..<r.lowerBound], hi = s[r.upperBound...]
            guard let l = lo.isEmpty ? 0 : Int(lo), l >= 0 else { return nil }
            let u: Int?
            if hi.isEmpty { u = nil } else {
                guard let h = Int(hi), h >= l else { return nil }
                u = h
            }
            self.init(lower: l, upper: u)
            return
        }
        guard let v = Int(s), v >= 0 else { return nil }
        self = .fixed(v)
    }

    /// True when both dims can describe the same runtime size.
    public func isCompatible(with other: Dim) -> Bool {
        let lo = max(lower, other.lower)
        let hi: Int? = switch (upper, other.upper) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
        return hi.map { lo <= $0 } ?? true
    }
}

import Foundation
