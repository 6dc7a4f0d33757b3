import Foundation

/// An OpenVINO element type, spelled as OpenVINO spells it (`f32`, `i64`, `boolean`, ...).
public enum ElementType: String, CaseIterable, Sendable, Hashable {
    case dynamic
    case boolean
    case f64, f32, f16, bf16
    case f8e4m3, f8e5m2, f8e8m0, f4e2m1
    case nf4
    case i64, i32, i16, i8, i4
    case u64, u32, u16, u8, u6, u4, u3, u2, u1
    case string

    /// Bits per element (strings have no fixed width and report 0).
    public var bitWidth: Int {
        switch self {
        case .dynamic, .string: return 0
        case .boolean, .i8, .u8, .f8e4m3, .f8e5m2, .f8e8m0: return 8
        case .f64, .i64, .u64: return 64
        case .f32, .i32, .u32: return 32
        case .f16, .bf16, .i16, .u16: return 16
        case .nf4, .i4, .u4, .f4e2m1: return 4
        case .u6: return 6
        case .u3: return 3
        case .u2: return 2
        case .u1: return 1
        }
    }

    /// The `precision` spelling of an output port (`FP32`, `I64`, `BOOL`, ...).
    public var precision: String {
        switch self {
        case .f32: return "FP32"
        case .f16: return "FP16"
        case .bf16: return "BF16"
        case .f64: return "FP64"
        case .boolean: return "BOOL"
        case .u1: return "BIN"
        case .string: return "STRING"
        case .dynamic: return "UNSPECIFIED"
        default: return rawValue.uppercased()
        }
    }

    /// Parses a port `precision` spelling back (case-insensitive; also accepts OpenVINO names).
    public init?(precision: String) {
        let p = precision.uppercased()
        switch p {
        case "FP32": self = .f32
        case "FP16": self = .f16
        case "BF16": self = .bf16
        case "FP64": self = .f64
        case "BOOL": self = .boolean
        case "BIN": self = .u1
        case "STRING": self = .string
        case "UNSPECIFIED": self = .dynamic
        default:
            guard let t = ElementType(rawValue: precision.lowercased()) else { return nil }
            self = t
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .f64, .f32, .f16, .bf16, .f8e4m3, .f8e5m2, .f8e8m0, .f4e2m1, .nf4: return true
        default: return false
        }
    }

    public var isInteger: Bool {
        switch self {
        case .i64, .i32, .i16, .i8, .i4, .u64, .u32, .u16, .u8, .u6, .u4, .u3, .u2, .u1: return true
        default: return false
        }
    }

    public var isSigned: Bool {
        switch self {
        case .i64, .i32, .i16, .i8, .i4: return true
        default: return isFloatingPoint
        }
    }

    /// Bytes needed for `count` elements, packed as OpenVINO packs sub-byte types.
    public func byteCount(elements count: Int) -> Int {
        (count * bitWidth + 7) / 8
    }
}
