import OVIR

/// A TorchScript value while a dump is translated: an IR tensor, or a Python-level value the graph computes
/// with (ints of shape chains, lists of them, tuples, None, modules of an unfrozen dump).
public indirect enum TSValue: CustomStringConvertible {
    /// A tensor, or a number only known at run time (a 0-D tensor: `aten::size` of a dynamic dim).
    case tensor(Output)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case none
    case list([TSValue])
    case tuple([TSValue])
    /// A module or object of an unfrozen dump, by its dotted attribute path from the graph's `self` ("" for self).
    case object(path: String)
    /// A value a converter has no use for but that may be passed along (a Device, a ScalarType's name).
    case opaque(String)

    public var description: String {
        switch self {
        case .tensor(let o): return "Tensor \(o.type)"
        case .int(let v): return "int \(v)"
        case .float(let v): return "float \(v)"
        case .bool(let v): return "bool \(v)"
        case .string(let s): return "str \"\(s)\""
        case .none: return "None"
        case .list(let vs): return "list[\(vs.count)]"
        case .tuple(let vs): return "tuple[\(vs.count)]"
        case .object(let p): return "module '\(p.isEmpty ? "self" : p)'"
        case .opaque(let s): return s
        }
    }

    /// Tensors reached depth-first through tuples and lists (a model's outputs, flattened).
    func flattened() -> [TSValue] {
        switch self {
        case .list(let vs), .tuple(let vs): return vs.flatMap { $0.flattened() }
        default: return [self]
        }
    }
}
