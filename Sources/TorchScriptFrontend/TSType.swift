/// A type annotation of a TorchScript graph dump, as the printer spells it (`Float(1, 3, strides=[...], ...)`,
/// `int[]`, `Tensor?`, `(Tensor, Tensor)`, `__torch__.models.Net`, ...).
public indirect enum TSType: Equatable, Sendable, CustomStringConvertible {
    /// A tensor: `Tensor` (nothing known), `Float(...)` or `Tensor(...)` with sizes.
    case tensor(TSTensorType)
    /// A scalar or other named kind: `int`, `float`, `bool`, `str`, `NoneType`, `Device`, `Scalar`, `Layout`, ...
    case named(String)
    /// `T[]`.
    case list(TSType)
    /// `T?`.
    case optional(TSType)
    /// `(T1, T2)`; `NamedTuple(a : T, ...)` keeps its field names.
    case tuple([TSType], names: [String]?)
    /// `Dict(K, V)`.
    case dict(TSType, TSType)
    /// `Future[T]`, `Union(...)` and other generic forms, kept by name with their arguments.
    case generic(String, [TSType])
    /// A module or class (`__torch__.torchvision.models.resnet.ResNet`): opaque.
    case classType(String)

    public var description: String {
        switch self {
        case .tensor(let t): return t.description
        case .named(let n): return n
        case .list(let e): return "\(e)[]"
        case .optional(let e): return "\(e)?"
        case .tuple(let es, let names?):
            return "NamedTuple(" + zip(names, es).map { "\($0) : \($1)" }.joined(separator: ", ") + ")"
        case .tuple(let es, nil): return "(" + es.map(\.description).joined(separator: ", ") + (es.count == 1 ? ",)" : ")")
        case .dict(let k, let v): return "Dict(\(k), \(v))"
        case .generic(let n, let args): return "\(n)(" + args.map(\.description).joined(separator: ", ") + ")"
        case .classType(let n): return n
        }
    }
}

/// What a tensor annotation says: the scalar type name (`Float`, `Long`, ...; nil for `Tensor`) and the sizes
/// (nil when the annotation gives none; an element is nil for an unknown dim, printed `*` or `SS(-N)`).
/// Strides, `requires_grad` and `device` are read and dropped: a converter has no use for them.
public struct TSTensorType: Equatable, Sendable, CustomStringConvertible {
    public var scalarType: String?
    public var sizes: [Int?]?

    public init(scalarType: String?, sizes: [Int?]?) {
        self.scalarType = scalarType
        self.sizes = sizes
    }

    public var description: String {
        let name = scalarType ?? "Tensor"
        guard let sizes else { return name }
        return "\(name)(" + sizes.map { $0.map(String.init) ?? "*" }.joined(separator: ", ") + ")"
    }
}
