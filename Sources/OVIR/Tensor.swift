import Foundation

/// Where a tensor's bytes live: owned, or a slice of a memory-mapped file.
public enum TensorStorage: @unchecked Sendable {
    case owned([UInt8])
    case mapped(MappedFile, Range<Int>)
}

/// A constant value: element type, static dims and packed little-endian bytes.
/// String tensors keep their elements in `strings`.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    public var elementType: ElementType
    public var dims: [Int]
    public var storage: TensorStorage
    public var strings: [String]

    public init(_ elementType: ElementType, dims: [Int], storage: TensorStorage) {
        self.elementType = elementType
        self.dims = dims
        self.storage = storage
        self.strings = []
    }

    public init(_ elementType: ElementType, dims: [Int], bytes: [UInt8]) {
        self.init(elementType, dims: dims, storage: .owned(bytes))
    }

    /// A string tensor.
    public init(strings: [String], dims: [Int]) {
        self.elementType = .string
        self.dims = dims
        self.storage = .owned([])
        self.strings = strings
    }

    public var elementCount: Int { dims.reduce(1, *) }
    public var type: TensorType { TensorType(elementType, .fixed(dims)) }

    public var byteCount: Int {
        switch storage {
        case .owned(let b): return b.count
        case .mapped(_, let r): return r.count
        }
    }

    /// Calls `body` with the tensor's bytes, without copying mapped storage.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .owned(let b): return try b.withUnsafeBytes(body)
        case .mapped(let file, let r): return try body(file.slice(r))
        }
    }

    /// A copy of the bytes (for small tensors: shape constants, scalars).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    public var description: String { "Tensor(\(elementType), \(dims))" }
}

extension Tensor: Equatable {
    public static func == (a: Tensor, b: Tensor) -> Bool {
        guard a.elementType == b.elementType, a.dims == b.dims, a.strings == b.strings,
              a.byteCount == b.byteCount else { return false }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }
}

// MARK: - Typed construction and reading

extension Tensor {
    /// Packs plain values (integers, floats: trivial fixed-size types) as little-endian bytes, one memcpy on
    /// little-endian hosts. The packing constructor the typed ones below go through. For whole-byte element
    /// types the width of `T` must match; sub-byte types take values already packed (e.g. `UInt8`).
    public init<T>(_ elementType: ElementType, dims: [Int], values: [T]) {
        precondition(_isPOD(T.self) && MemoryLayout<T>.size == MemoryLayout<T>.stride, "\(T.self) is not a plain fixed-size type")
        precondition(elementType.bitWidth < 8 || elementType.bitWidth == MemoryLayout<T>.size * 8, "\(elementType) does not hold \(T.self)")
        var bytes = values.withUnsafeBytes { Array($0) }
        #if _endian(big)
        let width = MemoryLayout<T>.size
        if width > 1 {
            for start in stride(from: 0, to: bytes.count, by: width) { bytes[start..<start + width].reverse() }
        }
        #endif
        self.init(elementType, dims: dims, bytes: bytes)
    }

    /// Packs plain numbers of a fixed-width type.
    public init<T: FixedWidthInteger>(_ elementType: ElementType, dims: [Int], integers: [T]) {
        self.init(elementType, dims: dims, values: integers)
    }

    public static func i64(_ values: [Int], dims: [Int]? = nil) -> Tensor {
        Tensor(.i64, dims: dims ?? [values.count], values: values.map(Int64.init))
    }

    public static func i32(_ values: [Int], dims: [Int]? = nil) -> Tensor {
        Tensor(.i32, dims: dims ?? [values.count], values: values.map { Int32(truncatingIfNeeded: $0) })
    }

    public static func f32(_ values: [Float], dims: [Int]? = nil) -> Tensor {
        Tensor(.f32, dims: dims ?? [values.count], values: values)
    }

    public static func scalar(i64 value: Int) -> Tensor { .i64([value], dims: []) }
    public static func scalar(f32 value: Float) -> Tensor { .f32([value], dims: []) }

    public static func boolean(_ values: [Bool], dims: [Int]? = nil) -> Tensor {
        Tensor(.boolean, dims: dims ?? [values.count], bytes: values.map { $0 ? 1 : 0 })
    }

    /// Elements as integers, for integer and boolean tensors (floats are truncated).
    public func intValues() -> [Int]? {
        let n = elementCount
        return withUnsafeBytes { raw -> [Int]? in
            guard raw.count >= elementType.byteCount(elements: n) else { return nil }
            func read<T: FixedWidthInteger>(_: T.Type) -> [Int]? {
                var out: [Int] = []
                out.reserveCapacity(n)
                for i in 0..<n {
                    // u64 values above Int.max are not valid shapes, axes or counts: no integer view.
                    guard let v = Int(exactly: T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))) else { return nil }
                    out.append(v)
                }
                return out
            }
            switch elementType {
            case .i64: return read(Int64.self)
            case .i32: return read(Int32.self)
            case .i16: return read(Int16.self)
            case .i8: return read(Int8.self)
            case .u64: return read(UInt64.self)
            case .u32: return read(UInt32.self)
            case .u16: return read(UInt16.self)
            case .u8, .boolean: return read(UInt8.self)
            case .f32, .f64, .f16:
                guard let values = doubleValues(), values.allSatisfy({ $0.isFinite && abs($0) < 9.2e18 }) else { return nil }
                return values.map { Int($0) }
            default: return nil
            }
        }
    }

    /// Elements as doubles, for numeric tensors of common types.
    public func doubleValues() -> [Double]? {
        let n = elementCount
        return withUnsafeBytes { raw -> [Double]? in
            guard raw.count >= elementType.byteCount(elements: n) else { return nil }
            func load<T>(_: T.Type, _ i: Int) -> T { raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self) }
            switch elementType {
            case .f32: return (0..<n).map { Double(Float(bitPattern: UInt32(littleEndian: load(UInt32.self, $0)))) }
            case .f64: return (0..<n).map { Double(bitPattern: UInt64(littleEndian: load(UInt64.self, $0))) }
            case .f16: return (0..<n).map { Double(Float16(bitPattern: UInt16(littleEndian: load(UInt16.self, $0)))) }
            case .bf16: return (0..<n).map { Double(Float(bitPattern: UInt32(UInt16(littleEndian: load(UInt16.self, $0))) << 16)) }
            default:
                guard elementType.isInteger || elementType == .boolean else { return nil }
                return intValues()?.map(Double.init)
            }
        }
    }
}
