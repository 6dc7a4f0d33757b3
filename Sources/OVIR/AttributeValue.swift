import Foundation

/// A value that can be written as and read from an IR `<data>` attribute string.
public protocol AttributeValue: Equatable {
    var irString: String { get }
    init(irString: String) throws
}

struct AttributeParseError: Error {}

extension Int: AttributeValue {
    public var irString: String { String(self) }
    public init(irString: String) throws {
        guard let v = Int(irString.trimmingCharacters(in: .whitespaces)) else { throw AttributeParseError() }
        self = v
    }
}

extension Double: AttributeValue {
    public var irString: String { irFormat(self) }
    public init(irString: String) throws {
        guard let v = Double(irString.trimmingCharacters(in: .whitespaces)) else { throw AttributeParseError() }
        self = v
    }
}

extension Bool: AttributeValue {
    public var irString: String { self ? "true" : "false" }
    public init(irString: String) throws {
        switch irString.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1": self = true
        case "false", "0": self = false
        default: throw AttributeParseError()
        }
    }
}

extension String: AttributeValue {
    public var irString: String { self }
    public init(irString: String) throws { self = irString }
}

extension Array: AttributeValue where Element: AttributeValue {
    public var irString: String { map(\.irString).joined(separator: ", ") }
    public init(irString: String) throws {
        let t = irString.trimmingCharacters(in: .whitespaces)
        self = t.isEmpty ? [] : try t.split(separator: ",").map { try Element(irString: String($0)) }
    }
}

extension ElementType: AttributeValue {
    public var irString: String { rawValue }
    public init(irString: String) throws {
        guard let t = ElementType(rawValue: irString.trimmingCharacters(in: .whitespaces)) else { throw AttributeParseError() }
        self = t
    }
}

extension Shape: AttributeValue {
    public var irString: String { description }
    public init(irString: String) throws {
        guard let s = Shape(parsing: irString) else { throw AttributeParseError() }
        self = s
    }
}

/// An enum attribute: written as its raw value, read case-insensitively.
public protocol IREnum: AttributeValue, RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension IREnum {
    public var irString: String { rawValue }
    public init(irString: String) throws {
        let t = irString.trimmingCharacters(in: .whitespaces).lowercased()
        guard let v = Self.allCases.first(where: { $0.rawValue.lowercased() == t }) else { throw AttributeParseError() }
        self = v
    }
}

/// Shortest round-trip spelling of a double (integers keep no trailing ".0" noise beyond Swift's).
func irFormat(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == 0, v.sign == .minus { return "-0" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return "\(v)"
}
